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
	"sync"
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
	var first *firstBytes
	tr := &http.Transport{
		DisableKeepAlives: true,
		Proxy:             nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			connected = time.Since(start)
			if err != nil {
				return nil, err
			}
			first = &firstBytes{Conn: c}
			return first, nil
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
		// A whoami port speaks first, with its line, where HTTP waits for the request: a
		// forward to port 80 of a lab server whose whoami serves that port answers so. It is
		// still that node answering, which is what the probe asks.
		if first != nil {
			if line, _, ok := strings.Cut(first.text(), "\n"); ok {
				if a, perr := parseWhoami(strings.TrimSpace(line)); perr == nil {
					res.ConnectMS = ms(connected)
					res.Result, res.ServerName, res.ServerSaw = probe.OK, a.name, a.saw.Addr().String()
					return res
				}
			}
		}
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

// firstBytes keeps the first bytes a connection read, so that an answer that is not HTTP can
// still be read after the HTTP client gave up on it.
type firstBytes struct {
	net.Conn
	mu  sync.Mutex
	buf []byte
}

func (f *firstBytes) Read(p []byte) (int, error) {
	n, err := f.Conn.Read(p)
	f.mu.Lock()
	if room := 512 - len(f.buf); room > 0 && n > 0 {
		f.buf = append(f.buf, p[:min(n, room)]...)
	}
	f.mu.Unlock()
	return n, err
}

func (f *firstBytes) text() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return string(f.buf)
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
