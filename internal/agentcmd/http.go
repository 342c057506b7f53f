package agentcmd

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

// httpPort is where every whoami host also answers HTTP: a forwarded web server is the most common
// port forward in forum cases, and a hijacked router page is told apart from it by the body.
const httpPort = 80

// routerMarkers identify a router's own web page (WebFig and its login page carry these words);
// a lab node's page is a whoami line instead. Matching is case-insensitive.
var routerMarkers = []string{"routeros", "mikrotik", "webfig"}

// httpOptions are the inputs of the http probe.
type httpOptions struct {
	to      string
	path    string
	timeout time.Duration
	srcPort int
}

func cmdHTTP(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("http", flag.ContinueOnError)
	var o httpOptions
	fs.StringVar(&o.to, "to", "", "web server `host:port`")
	fs.StringVar(&o.path, "path", "/", "the `path` to ask for")
	fs.DurationVar(&o.timeout, "timeout", 2*time.Second, "bound on the whole request")
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	if _, _, err := net.SplitHostPort(o.to); err != nil {
		return probe.Result{}, usageErrorf(stderr, fs, "--to %q is not host:port: %v", o.to, err)
	}
	if !strings.HasPrefix(o.path, "/") {
		return probe.Result{}, usageErrorf(stderr, fs, "--path %q does not start with /", o.path)
	}
	if o.timeout <= 0 {
		return probe.Result{}, usageErrorf(stderr, fs, "--timeout must be positive")
	}
	return probeHTTP(ctx, o), nil
}

// probeHTTP sends one GET without keep-alive and classifies the answer: a whoami body names the
// lab node, a body with a router marker is the router's own page, anything else is a
// wrong-answer with its status.
func probeHTTP(ctx context.Context, o httpOptions) probe.Result {
	res := probe.Result{Probe: probe.KindHTTP}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	start := time.Now()
	var connected time.Duration
	tr := &http.Transport{
		DisableKeepAlives: true,
		Proxy:             nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			connected = time.Since(start)
			return c, err
		},
	}
	defer tr.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+o.to+o.path, nil)
	if err != nil {
		return failed(res, fmt.Errorf("build request for %s: %w", o.to, err))
	}
	resp, err := tr.RoundTrip(req)
	res.TotalMS = ms(time.Since(start))
	if err != nil {
		return failed(res, fmt.Errorf("get http://%s%s: %w", o.to, o.path, err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	res.TotalMS = ms(time.Since(start))
	res.ConnectMS = ms(connected)
	res.Status = resp.StatusCode
	if err != nil {
		return failed(res, fmt.Errorf("read the body of http://%s%s: %w", o.to, o.path, err))
	}
	return classifyHTTP(res, string(body))
}

// classifyHTTP names who answered from the body.
func classifyHTTP(res probe.Result, body string) probe.Result {
	if a, err := parseWhoami(strings.TrimSpace(body)); err == nil {
		res.Result = probe.OK
		res.ServerName = a.name
		res.ServerSaw = a.saw.Addr().String()
		return res
	}
	low := strings.ToLower(body)
	for _, m := range routerMarkers {
		if strings.Contains(low, m) {
			res.Result = probe.OK
			res.ServerName = "router"
			res.Marker = m
			return res
		}
	}
	res.Result = probe.WrongAnswer
	snippet := body
	if len(snippet) > 80 {
		snippet = snippet[:80]
	}
	res.Error = fmt.Sprintf("status %d with a body that is neither a whoami line nor a router page: %q", res.Status, snippet)
	return res
}

// serveWhoamiHTTP answers every request on ln with the whoami line as its body.
func serveWhoamiHTTP(name string, ln net.Listener, logf func(string, ...any)) {
	srv := &http.Server{
		ReadHeaderTimeout: 5 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			remote, _ := netip.ParseAddrPort(r.RemoteAddr)
			local := netip.AddrPort{}
			if la, ok := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr); ok {
				local = la.AddrPort()
			}
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("Connection", "close")
			fmt.Fprint(w, whoamiLine(name, unmap(remote), unmap(local)))
		}),
	}
	go func() {
		if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
			logf("whoami: http on %s: %v", ln.Addr(), err)
		}
	}()
}
