package chr

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// The download's budgets. The connect timeout is short so that an offline
// machine (no route, or no DNS) fails within seconds instead of hanging;
// a transfer that is under way may take as long as it needs, but one that
// stalls for stallTimeout is given up.
const (
	connectTimeout = 5 * time.Second
	headerTimeout  = 30 * time.Second
	stallTimeout   = 60 * time.Second
)

// newClient is the default HTTP client: proxies from the environment as
// users behind one expect, and the budgets above.
func newClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: connectTimeout}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: headerTimeout,
	}}
}

// download fetches the zip of o.Version from o.BaseURL into a temporary
// file in the cache, verifies it and unpacks it to img. The zip itself is
// not kept: the image is what later runs reuse.
func download(ctx context.Context, o Options, img, want string) (Image, error) {
	src := URL(o.BaseURL, o.Version)
	// hint says what a user without network can do instead; every failure
	// to get the file ends with it.
	hint := fmt.Sprintf("to run offline, put %s (or %s) into %s, or set CHR_IMAGE=<file>",
		ImageName(o.Version), ZipName(o.Version), o.CacheDir)
	fail := func(err error) (Image, error) {
		return Image{}, fmt.Errorf("download CHR %s from %s: %w; %s", o.Version, src, err, hint)
	}
	client := o.Client
	if client == nil {
		client = newClient()
	}
	// The stall watchdog cancels the request when no byte arrived for
	// stallTimeout; every read re-arms it.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	errStalled := fmt.Errorf("no data for %s", stallTimeout)
	watchdog := time.AfterFunc(stallTimeout, func() { cancel(errStalled) })
	defer watchdog.Stop()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return fail(err)
	}
	req.Header.Set("User-Agent", "chrlab")
	fmt.Fprintf(o.Progress, "downloading %s\n", src)
	resp, err := client.Do(req)
	if err != nil {
		if cause := context.Cause(ctx); errors.Is(cause, errStalled) {
			err = cause
		}
		// The URL is in the message already.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if offline(err) {
			err = fmt.Errorf("%w (offline?)", err)
		}
		return fail(err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return fail(fmt.Errorf("the server has no such file (%s): is %s a RouterOS release?", resp.Status, o.Version))
	case resp.StatusCode != http.StatusOK:
		return fail(fmt.Errorf("the server answered %s", resp.Status))
	}

	tmp, err := os.CreateTemp(o.CacheDir, ZipName(o.Version)+".part-*")
	if err != nil {
		return Image{}, fmt.Errorf("create CHR download in the cache: %w", err)
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}()
	bar := newBar(o.Progress, ZipName(o.Version), resp.ContentLength)
	h := sha256.New()
	body := &watched{r: resp.Body, rearm: func() { watchdog.Reset(stallTimeout) }}
	n, err := io.Copy(io.MultiWriter(tmp, h, bar), body)
	bar.done()
	if err != nil {
		if cause := context.Cause(ctx); errors.Is(cause, errStalled) {
			err = cause
		}
		return fail(fmt.Errorf("transfer stopped after %d bytes: %w", n, err))
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return fail(fmt.Errorf("got %d of %d bytes", n, resp.ContentLength))
	}
	if err := tmp.Close(); err != nil {
		return Image{}, fmt.Errorf("write CHR download %s: %w", tmp.Name(), err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if err := checkSum(src, sum, want); err != nil {
		return Image{}, err
	}
	size, err := unpack(tmp.Name(), src, "the download is damaged: try again, or fetch the file by hand into "+o.CacheDir, o.Version, img)
	if err != nil {
		return Image{}, err
	}
	fmt.Fprintf(o.Progress, "%s: SHA-256 %s; unpacked into %s\n", ZipName(o.Version), sum, filepath.Dir(img))
	return Image{Path: img, Version: o.Version, Source: FromDownload, Size: size, ZipSHA256: sum}, nil
}

// watched calls rearm after every read that returned data.
type watched struct {
	r     io.Reader
	rearm func()
}

func (w *watched) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if n > 0 {
		w.rearm()
	}
	return n, err
}

// offline reports whether err looks like a machine without a way out: no
// DNS, no route, or a connect that timed out.
func offline(err error) bool {
	var dnsErr *net.DNSError
	var ne net.Error
	return errors.As(err, &dnsErr) || errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}
