// Package fetch does /tool fetch's HTTP and HTTPS for a rosemu router. The
// router process lives in the router's network namespace (its management
// link is in one of its own), so the request leaves by the router's routes,
// as RouterOS's fetch does: in a lab it reaches lab hosts only.
package fetch

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/chrlab/chrlab/rosemu/config"
)

// maxBody bounds what a fetch reads: more than a lab's answers and than
// RouterOS keeps in a variable, little enough for the router's memory.
const maxBody = 4 << 20

// Do sends req and reads the answer.
func Do(ctx context.Context, req config.FetchRequest) (config.FetchResult, error) {
	d := &net.Dialer{Timeout: req.Timeout}
	if req.Src.IsValid() {
		d.LocalAddr = &net.TCPAddr{IP: req.Src.AsSlice()}
	}
	client := &http.Client{
		Timeout: 4 * req.Timeout,
		Transport: &http.Transport{
			DialContext:           d.DialContext,
			Proxy:                 nil,                                             // never the host's proxy: the router has none
			TLSClientConfig:       &tls.Config{InsecureSkipVerify: !req.CheckCert}, //nolint:gosec // check-certificate=no, RouterOS's default
			DisableKeepAlives:     true,
			ResponseHeaderTimeout: req.Timeout,
		},
	}
	var body io.Reader
	if req.Data != "" {
		body = strings.NewReader(req.Data)
	}
	hr, err := http.NewRequestWithContext(ctx, req.Method, req.URL, body)
	if err != nil {
		return config.FetchResult{}, err
	}
	hr.Header.Set("User-Agent", "MikroTik")
	for _, h := range req.Headers {
		hr.Header.Set(h[0], h[1])
	}
	resp, err := client.Do(hr)
	if err != nil {
		return config.FetchResult{}, fmt.Errorf("%s: %w", req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return config.FetchResult{}, fmt.Errorf("%s: read the answer: %w", req.URL, err)
	}
	return config.FetchResult{Status: resp.StatusCode, Body: b}, nil
}
