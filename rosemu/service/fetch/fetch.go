// Package fetch does /tool fetch's HTTP and HTTPS for a rosemu router. The
// router process lives in the router's network namespace (its management
// link is in one of its own), so the request leaves by the router's routes,
// as RouterOS's fetch does: in a lab it reaches lab hosts only. A host
// name in the URL is answered by the router's own resolver (New's
// resolve), never by the process's: Go's default resolver would ask the
// container's or host's DNS, a query that leaves the lab and an answer
// RouterOS would not get (forum46 D1).
package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/chrlab/chrlab/rosemu/config"
)

// maxBody bounds what a fetch reads: more than a lab's answers and than
// RouterOS keeps in a variable, little enough for the router's memory.
const maxBody = 4 << 20

// Resolver answers a host name with its addresses as the router's DNS
// client does (/ip dns servers, static entries, cache).
type Resolver func(ctx context.Context, name string) ([]netip.Addr, error)

// ErrNoResolver is a name lookup's error when the fetcher has no resolver.
var ErrNoResolver = errors.New("no resolver for host names")

// New returns a fetcher whose host names resolve through resolve alone; a
// nil resolve fetches from addresses only.
func New(resolve Resolver) config.Fetcher {
	return func(ctx context.Context, req config.FetchRequest) (config.FetchResult, error) {
		return do(ctx, req, resolve)
	}
}

// dialer connects to addr ("host:port"): an address is dialed as it is, a
// name is resolved by resolve and its addresses tried in turn.
func dialer(d *net.Dialer, resolve Resolver) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		if a, err := netip.ParseAddr(host); err == nil {
			return d.DialContext(ctx, network, net.JoinHostPort(a.String(), port))
		}
		if resolve == nil {
			return nil, &net.DNSError{Err: ErrNoResolver.Error(), Name: host, IsNotFound: true}
		}
		addrs, err := resolve(ctx, host)
		if err != nil {
			return nil, &net.DNSError{Err: err.Error(), Name: host, IsNotFound: true}
		}
		if len(addrs) == 0 {
			return nil, &net.DNSError{Err: "the router's resolver has no address", Name: host, IsNotFound: true}
		}
		var errs []error
		for _, a := range addrs {
			c, err := d.DialContext(ctx, network, net.JoinHostPort(a.Unmap().String(), port))
			if err == nil {
				return c, nil
			}
			errs = append(errs, err)
		}
		return nil, errors.Join(errs...)
	}
}

func do(ctx context.Context, req config.FetchRequest, resolve Resolver) (config.FetchResult, error) {
	d := &net.Dialer{Timeout: req.Timeout}
	if req.Src.IsValid() {
		d.LocalAddr = &net.TCPAddr{IP: req.Src.AsSlice()}
	}
	client := &http.Client{
		Timeout: 4 * req.Timeout,
		Transport: &http.Transport{
			DialContext:           dialer(d, resolve),
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
