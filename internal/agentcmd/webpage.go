package agentcmd

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

// labagent webpage fetches one page over HTTP and reports whose it is: the
// router's own login page (rosemu's www service; its page carries the
// marker below and RouterOS's title) or any other server's. It prints one
// JSON object: the outcome as the probes name it (ok, timeout, refused,
// unreachable), the HTTP status, the page title, and whether the page is
// the router's.

// routerMarker is the marker rosemu's www service puts in its page
// (rosemu/service/ipsvc.Marker).
const routerMarker = "chrlab-rosemu-webfig"

// WebpageResult is what labagent webpage prints.
type WebpageResult struct {
	Result string `json:"result"`
	Status int    `json:"status,omitempty"`
	Title  string `json:"title,omitempty"`
	Server string `json:"server,omitempty"` // the Server header
	Router bool   `json:"router"`           // the router's own page
	Error  string `json:"error,omitempty"`
}

var titleRE = regexp.MustCompile(`(?is)<title>(.*?)</title>`)

func runWebpage(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("webpage", flag.ContinueOnError)
	url := fs.String("url", "", "the page's `URL`, http://host:port/")
	timeout := fs.Duration("timeout", 2*time.Second, "bound on the whole fetch")
	if err := parseFlags(fs, args, stderr); err != nil {
		return 2
	}
	if !strings.HasPrefix(*url, "http://") {
		usageErrorf(stderr, fs, "--url %q is not an http:// URL", *url)
		return 2
	}
	res := fetchPage(ctx, *url, *timeout)
	b, _ := json.Marshal(res)
	fmt.Fprintln(stdout, string(b))
	return 0
}

func fetchPage(ctx context.Context, url string, timeout time.Duration) WebpageResult {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return WebpageResult{Result: string(probe.Error), Error: err.Error()}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		o := outcome(err)
		var ne net.Error
		switch {
		case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
			o = probe.Timeout
		case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF):
			// Accepted, then closed before any answer: a service whose
			// address= list leaves the client out.
			o = "reset"
		}
		return WebpageResult{Result: string(o), Error: err.Error()}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return WebpageResult{Result: string(outcome(err)), Status: resp.StatusCode, Error: err.Error()}
	}
	r := WebpageResult{Result: string(probe.OK), Status: resp.StatusCode, Server: resp.Header.Get("Server"),
		Router: strings.Contains(string(body), routerMarker)}
	if m := titleRE.FindSubmatch(body); m != nil {
		r.Title = strings.TrimSpace(string(m[1]))
	}
	return r
}
