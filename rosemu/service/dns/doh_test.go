package dns

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/chrlab/chrlab/rosemu/config"
)

// dohServer is an RFC 8484 server for the tests: it answers A queries
// for its zone (NXDOMAIN otherwise) sent by POST or GET in wire format,
// and counts the requests by method.
type dohServer struct {
	srv  *httptest.Server
	zone map[string]netip.Addr
	mu   sync.Mutex
	reqs map[string]int
}

func startDoH(t *testing.T, zone map[string]netip.Addr) *dohServer {
	t.Helper()
	d := &dohServer{zone: zone, reqs: map[string]int{}}
	d.srv = httptest.NewUnstartedServer(http.HandlerFunc(d.serve))
	d.srv.EnableHTTP2 = true
	d.srv.StartTLS()
	t.Cleanup(d.srv.Close)
	return d
}

func (d *dohServer) requests(method string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.reqs[method]
}

func (d *dohServer) serve(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	d.reqs[r.Method]++
	d.mu.Unlock()
	var wire []byte
	switch r.Method {
	case http.MethodPost:
		if r.Header.Get("Content-Type") != dohMediaType {
			http.Error(w, "bad content type", http.StatusUnsupportedMediaType)
			return
		}
		wire, _ = io.ReadAll(r.Body)
	case http.MethodGet:
		wire, _ = base64.RawURLEncoding.DecodeString(r.URL.Query().Get("dns"))
	}
	q := new(dns.Msg)
	if r.URL.Path != "/dns-query" || q.Unpack(wire) != nil || len(q.Question) != 1 {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	resp := new(dns.Msg).SetReply(q)
	qq := q.Question[0]
	a, ok := d.zone[strings.ToLower(strings.TrimSuffix(qq.Name, "."))]
	switch {
	case !ok:
		resp.Rcode = dns.RcodeNameError
	case qq.Qtype == dns.TypeA:
		resp.Answer = []dns.RR{&dns.A{Hdr: dns.RR_Header{Name: qq.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 120}, A: a.AsSlice()}}
	}
	out, _ := resp.Pack()
	w.Header().Set("Content-Type", dohMediaType)
	_, _ = w.Write(out)
}

// caPEM is the DoH server's certificate as a PEM file, as a lab hands
// its CA to the router for /certificate import.
func (d *dohServer) caPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d.srv.Certificate().Raw})
}

// port is the DoH server's port on 127.0.0.1.
func (d *dohServer) port() string {
	return d.srv.URL[strings.LastIndex(d.srv.URL, ":")+1:]
}

// memFiles is the router's file store for /certificate import.
type memFiles map[string][]byte

func (f memFiles) ReadFile(name string) ([]byte, error) {
	if b, ok := f[name]; ok {
		return b, nil
	}
	return nil, errors.New("no such file")
}

// newFilesLab is newLab with files in the router's store.
func newFilesLab(t *testing.T, upstreamPort int, files memFiles, rsc string) *lab {
	t.Helper()
	l := &lab{now: time.Unix(1_700_000_000, 0)}
	l.srv = New("127.0.0.1:0", nil)
	l.srv.upstream = upstreamPort
	l.srv.clock = func() time.Time { l.mu.Lock(); defer l.mu.Unlock(); return l.now }
	l.r = config.New(config.Options{Ports: []string{"ether1"}, DNS: l.srv, Files: files})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := l.srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	l.run(t, rsc)
	return l
}

// TestDoHAnswers: with use-doh-server set, a name only the DoH server
// knows resolves, and a name only servers= knows does not (the DoH
// server's NXDOMAIN is the answer): the query went over HTTPS in wire
// format, not to the plain server. Without the DoH client rosemu gave
// SERVFAIL for both (forum40 D2's stopgap).
func TestDoHAnswers(t *testing.T) {
	d := startDoH(t, map[string]netip.Addr{"secret.doh.test": netip.MustParseAddr("192.0.2.7")})
	up := &upstream{ttl: 60, zone: map[string][]netip.Addr{"plain.example": {netip.MustParseAddr("198.51.100.80")}}}
	port := startUpstreams(t, map[string]*upstream{"127.0.0.1": up})
	l := newLab(t, port, `/ip dns set allow-remote-requests=yes servers=127.0.0.1 use-doh-server=https://127.0.0.1:`+d.port()+`/dns-query verify-doh-cert=no`)
	addr := l.addr(t)
	if m, err := query(t, "udp", addr, "secret.doh.test", dns.TypeA); err != nil || summary(m) != "NOERROR A:secret.doh.test=192.0.2.7/120" {
		t.Errorf("name only DoH knows: %s %v", summary(m), err)
	}
	if m, _ := query(t, "udp", addr, "plain.example", dns.TypeA); summary(m) != "NXDOMAIN" {
		t.Errorf("name only servers= knows: %s, want the DoH server's NXDOMAIN", summary(m))
	}
	if n := up.queries("plain.example") + up.queries("secret.doh.test"); n != 0 {
		t.Errorf("servers= asked %d times while use-doh-server is set", n)
	}
	if d.requests(http.MethodPost) < 2 {
		t.Errorf("DoH server got %d POSTs, want 2", d.requests(http.MethodPost))
	}
	// The answer is cached: asked again, the DoH server is not.
	before := d.requests(http.MethodPost)
	if m, _ := query(t, "udp", addr, "secret.doh.test", dns.TypeA); summary(m) != "NOERROR A:secret.doh.test=192.0.2.7/120" {
		t.Errorf("cached: %s", summary(m))
	}
	if d.requests(http.MethodPost) != before {
		t.Errorf("a cached answer was asked again")
	}
}

// TestDoHVerifyCert: verify-doh-cert=yes checks the DoH server against
// /certificate: with no certificate there the query fails (SERVFAIL, no
// fallback to servers=, which knows the name); once the server's CA is
// imported it resolves; removed again, it fails again.
func TestDoHVerifyCert(t *testing.T) {
	d := startDoH(t, map[string]netip.Addr{"secret.doh.test": netip.MustParseAddr("192.0.2.7")})
	up := &upstream{ttl: 60, zone: map[string][]netip.Addr{"secret.doh.test": {netip.MustParseAddr("198.51.100.99")}}}
	port := startUpstreams(t, map[string]*upstream{"127.0.0.1": up})
	files := memFiles{"lab-ca.pem": d.caPEM()}
	l := newFilesLab(t, port, files, `/ip dns set allow-remote-requests=yes servers=127.0.0.1 use-doh-server=https://127.0.0.1:`+d.port()+`/dns-query verify-doh-cert=yes`)
	addr := l.addr(t)
	if m, err := query(t, "udp", addr, "secret.doh.test", dns.TypeA); err != nil || summary(m) != "SERVFAIL" {
		t.Errorf("no certificate: %s %v, want SERVFAIL", summary(m), err)
	}
	if n := up.queries("secret.doh.test"); n != 0 {
		t.Errorf("a failed DoH server handed the query to servers= (%d queries)", n)
	}
	l.run(t, `/certificate import file-name=lab-ca.pem passphrase=""`)
	if m, err := query(t, "udp", addr, "secret.doh.test", dns.TypeA); err != nil || summary(m) != "NOERROR A:secret.doh.test=192.0.2.7/120" {
		t.Errorf("CA imported: %s %v", summary(m), err)
	}
	l.run(t, "/certificate remove [find]\n/ip dns cache flush")
	if m, _ := query(t, "udp", addr, "secret.doh.test", dns.TypeA); summary(m) != "SERVFAIL" {
		t.Errorf("CA removed: %s, want SERVFAIL", summary(m))
	}
}

// TestDoHHostName: the URL's host name is resolved over servers= (the DNS
// page: a regular server is needed for the DoH host name), and the
// certificate is checked for that name; with the DoH server gone the
// query fails rather than going to servers=.
func TestDoHHostName(t *testing.T) {
	d := startDoH(t, map[string]netip.Addr{"secret.doh.test": netip.MustParseAddr("192.0.2.7")})
	// httptest's certificate is for example.com and 127.0.0.1.
	up := &upstream{ttl: 60, zone: map[string][]netip.Addr{"example.com": {netip.MustParseAddr("127.0.0.1")}, "secret.doh.test": {netip.MustParseAddr("198.51.100.99")}}}
	port := startUpstreams(t, map[string]*upstream{"127.0.0.1": up})
	files := memFiles{"lab-ca.pem": d.caPEM()}
	l := newFilesLab(t, port, files, `/certificate import file-name=lab-ca.pem
/ip dns set allow-remote-requests=yes servers=127.0.0.1 use-doh-server=https://example.com:`+d.port()+`/dns-query verify-doh-cert=yes`)
	addr := l.addr(t)
	if m, err := query(t, "udp", addr, "secret.doh.test", dns.TypeA); err != nil || summary(m) != "NOERROR A:secret.doh.test=192.0.2.7/120" {
		t.Errorf("DoH by host name: %s %v", summary(m), err)
	}
	if up.queries("example.com") == 0 {
		t.Errorf("the DoH host name was not asked of servers=")
	}
	if n := up.queries("secret.doh.test"); n != 0 {
		t.Errorf("servers= asked for the name itself (%d)", n)
	}
	d.srv.Close()
	l.run(t, "/ip dns cache flush")
	if m, _ := query(t, "udp", addr, "secret.doh.test", dns.TypeA); summary(m) != "SERVFAIL" {
		t.Errorf("DoH server stopped: %s, want SERVFAIL", summary(m))
	}
	if n := up.queries("secret.doh.test"); n != 0 {
		t.Errorf("a stopped DoH server handed the query to servers= (%d queries)", n)
	}
}

// TestDoHCertName: verify-doh-cert=yes checks the certificate's names, not
// only its chain (review43 finding 12). The URL's host wrong.doh.test
// resolves (servers=) to the DoH server, whose certificate, signed by the
// imported CA, names only example.com and 127.0.0.1: the query fails.
// Controls: the same URL with verify-doh-cert=no answers, so only the
// name check failed; and the URL by example.com answers with the check on.
func TestDoHCertName(t *testing.T) {
	d := startDoH(t, map[string]netip.Addr{"a.doh.test": netip.MustParseAddr("192.0.2.7"), "b.doh.test": netip.MustParseAddr("192.0.2.8"),
		"c.doh.test": netip.MustParseAddr("192.0.2.9")})
	lo := []netip.Addr{netip.MustParseAddr("127.0.0.1")}
	up := &upstream{ttl: 60, zone: map[string][]netip.Addr{"example.com": lo, "wrong.doh.test": lo}}
	port := startUpstreams(t, map[string]*upstream{"127.0.0.1": up})
	l := newFilesLab(t, port, memFiles{"lab-ca.pem": d.caPEM()}, `/certificate import file-name=lab-ca.pem
/ip dns set allow-remote-requests=yes servers=127.0.0.1 use-doh-server=https://wrong.doh.test:`+d.port()+`/dns-query verify-doh-cert=yes`)
	addr := l.addr(t)
	if m, err := query(t, "udp", addr, "a.doh.test", dns.TypeA); err != nil || summary(m) != "SERVFAIL" {
		t.Errorf("certificate without the URL's host: %s %v, want SERVFAIL", summary(m), err)
	}
	if up.queries("wrong.doh.test") == 0 {
		t.Errorf("the URL's host was not resolved: the failure is not the certificate's")
	}
	if n := d.requests(http.MethodPost); n != 0 {
		t.Errorf("the DoH server got %d queries over a connection whose certificate lacks the host", n)
	}
	l.run(t, "/ip dns set verify-doh-cert=no")
	if m, err := query(t, "udp", addr, "b.doh.test", dns.TypeA); err != nil || summary(m) != "NOERROR A:b.doh.test=192.0.2.8/120" {
		t.Errorf("same URL, verify-doh-cert=no: %s %v", summary(m), err)
	}
	l.run(t, "/ip dns set verify-doh-cert=yes use-doh-server=https://example.com:"+d.port()+"/dns-query")
	if m, err := query(t, "udp", addr, "c.doh.test", dns.TypeA); err != nil || summary(m) != "NOERROR A:c.doh.test=192.0.2.9/120" {
		t.Errorf("URL by a name the certificate has: %s %v", summary(m), err)
	}
}

// TestDoHReplacedClientCloses: a query in flight when the configuration
// changes finishes on the replaced client, and that client's connection
// is closed when it does, not left idle for the transport's 90 s
// IdleConnTimeout (review43 finding 12). Control: the current client's
// connection stays open for the next query.
func TestDoHReplacedClientCloses(t *testing.T) {
	d := &dohServer{zone: map[string]netip.Addr{"slow.doh.test": netip.MustParseAddr("192.0.2.1"), "new.doh.test": netip.MustParseAddr("192.0.2.2")},
		reqs: map[string]int{}}
	entered, release := make(chan struct{}), make(chan struct{})
	d.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if q := new(dns.Msg); q.Unpack(body) == nil && len(q.Question) == 1 && q.Question[0].Name == "slow.doh.test." {
			close(entered)
			<-release
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		d.serve(w, r)
	}))
	var mu sync.Mutex
	open := map[net.Conn]bool{}
	d.srv.Config.ConnState = func(c net.Conn, st http.ConnState) {
		mu.Lock()
		defer mu.Unlock()
		switch st {
		case http.StateNew:
			open[c] = true
		case http.StateClosed, http.StateHijacked:
			delete(open, c)
		}
	}
	openConns := func() int { mu.Lock(); defer mu.Unlock(); return len(open) }
	d.srv.EnableHTTP2 = true
	d.srv.StartTLS()
	t.Cleanup(d.srv.Close)
	l := newLab(t, startUpstreams(t, map[string]*upstream{"127.0.0.1": {ttl: 60}}),
		`/ip dns set allow-remote-requests=yes servers=127.0.0.1 use-doh-server=https://127.0.0.1:`+d.port()+`/dns-query verify-doh-cert=no`)
	addr := l.addr(t)
	done := make(chan string)
	go func() {
		m, err := query(t, "udp", addr, "slow.doh.test", dns.TypeA)
		done <- fmt.Sprint(summary(m), err)
	}()
	<-entered
	l.run(t, "/ip dns set doh-max-concurrent-queries=60")
	if m, err := query(t, "udp", addr, "new.doh.test", dns.TypeA); err != nil || summary(m) != "NOERROR A:new.doh.test=192.0.2.2/120" {
		t.Fatalf("query on the new client: %s %v", summary(m), err)
	}
	if n := openConns(); n != 2 {
		t.Fatalf("%d connections open with a query in flight on each client, want 2", n)
	}
	close(release)
	if got := <-done; got != "NOERROR A:slow.doh.test=192.0.2.1/120<nil>" {
		t.Errorf("the query in flight across the change: %s", got)
	}
	deadline := time.Now().Add(3 * time.Second)
	for openConns() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections open 3 s after the replaced client's last query, want 1 (the current client's)", openConns())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
