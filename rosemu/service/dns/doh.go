package dns

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/chrlab/chrlab/rosemu/config"
)

// The router's DNS-over-HTTPS client (use-doh-server, RFC 8484). With
// use-doh-server set, RouterOS sends the queries no static entry answers
// to that URL only; servers= (and the dynamic servers) serve to resolve
// the URL's host name, as the DNS page's DoH section says (a regular
// server, or a static entry for the name, is needed for it [verify] the
// page's exact wording; the stored corpus has only its start), and a failed
// DoH server does not hand the query over to them: the client gets
// SERVFAIL. verify-doh-cert=yes checks the server's certificate against
// the router's /certificate store, so with no certificate there every
// query fails; verify-doh-cert=no takes any certificate. Source: DNS page,
// https://help.mikrotik.com/docs/spaces/ROS/pages/37748767/DNS.
// [verify] the HTTP method RouterOS uses (rosemu POSTs the wire-format
// message; RFC 8484 servers must take POST and GET) and whether RouterOS
// retries a failed DoH query.

// dohClient is the HTTP client of one DoH configuration: rebuilt when the
// URL, the verification, the certificate store or the connection limit
// change, so that a changed setting takes effect at the next query, as
// on RouterOS.
type dohClient struct {
	key    string
	client *http.Client
	tr     *http.Transport
	// sem bounds the queries in flight (doh-max-concurrent-queries).
	sem chan struct{}
	// inflight counts the queries using the client, and retired says a
	// newer configuration replaced it (both under Server.mu): a replaced
	// client's connections are closed once its last query is done, as
	// the ones still in use go back to its pool idle and would stay open
	// for IdleConnTimeout with nothing referencing the transport.
	inflight int
	retired  bool
}

// dohKey identifies the configuration a client was built for.
func dohKey(cfg config.DNSConfig) string {
	h := sha256.New()
	for _, r := range cfg.DoHRoots {
		h.Write(r)
	}
	return fmt.Sprintf("%s|%v|%d|%d|%x", cfg.DoHServer, cfg.DoHVerifyCert, cfg.DoHMaxConnections, cfg.DoHMaxQueries, h.Sum(nil))
}

// doh returns the client for cfg, building it when the configuration
// changed since the last query, and counts the query in flight on it:
// the caller hands it back with dohDone.
func (s *Server) doh(cfg config.DNSConfig) *dohClient {
	key := dohKey(cfg)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dohc != nil && s.dohc.key == key {
		s.dohc.inflight++
		return s.dohc
	}
	if old := s.dohc; old != nil {
		old.retired = true
		if old.inflight == 0 {
			old.tr.CloseIdleConnections()
		}
	}
	tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.DoHVerifyCert {
		pool := x509.NewCertPool()
		for _, der := range cfg.DoHRoots {
			if c, err := x509.ParseCertificate(der); err == nil {
				pool.AddCert(c)
			}
		}
		tlsCfg.RootCAs = pool
	} else {
		// verify-doh-cert=no: RouterOS takes the server's certificate
		// unchecked (the property's default).
		tlsCfg.InsecureSkipVerify = true
	}
	tr := &http.Transport{
		TLSClientConfig:     tlsCfg,
		ForceAttemptHTTP2:   true,
		MaxConnsPerHost:     max(cfg.DoHMaxConnections, 1),
		MaxIdleConnsPerHost: max(cfg.DoHMaxConnections, 1),
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: cfg.DoHTimeout,
		DialContext:         s.dohDial,
	}
	s.dohc = &dohClient{key: key, tr: tr, client: &http.Client{Transport: tr}, sem: make(chan struct{}, max(cfg.DoHMaxQueries, 1)), inflight: 1}
	return s.dohc
}

// dohDone ends a query on c; the last query on a replaced client closes
// its connections.
func (s *Server) dohDone(c *dohClient) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.inflight--
	if c.retired && c.inflight == 0 {
		c.tr.CloseIdleConnections()
	}
}

// dohDial connects to the DoH server: an address in the URL is used as it
// is, a host name is resolved by dohHostAddrs.
func (s *Server) dohDial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else if addrs, err = s.dohHostAddrs(ctx, host); err != nil {
		return nil, err
	}
	var d net.Dialer
	var errs []error
	for _, a := range addrs {
		c, err := d.DialContext(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

// dohHostAddrs resolves the DoH server's host name as RouterOS does: an A
// entry of /ip dns static first, else servers= and the dynamic servers
// over plain DNS. Never over DoH itself, which would need the name it is
// resolving.
func (s *Server) dohHostAddrs(ctx context.Context, host string) ([]netip.Addr, error) {
	cfg, tbl := s.snapshot()
	lname := strings.ToLower(strings.TrimSuffix(host, "."))
	if e, _ := tbl.match(lname, dns.TypeA); e != nil && e.Type == "A" {
		return []netip.Addr{e.Address}, nil
	}
	res := s.forward(ctx, cfg, cfg.Servers, dns.Fqdn(host), lname, dns.TypeA)
	var out []netip.Addr
	for _, rr := range res.answer {
		if a, ok := rr.(*dns.A); ok {
			if ip, ok := netip.AddrFromSlice(a.A.To4()); ok {
				out = append(out, ip)
			}
		}
	}
	if len(out) == 0 {
		if len(cfg.Servers) == 0 {
			return nil, fmt.Errorf("resolve DoH server %s: no DNS servers= and no static entry", host)
		}
		return nil, fmt.Errorf("resolve DoH server %s: %s from servers=", host, dns.RcodeToString[res.rcode])
	}
	return out, nil
}

// dohMediaType is RFC 8484's media type of a DNS message.
const dohMediaType = "application/dns-message"

// askDoH sends one question to the DoH server, within doh-timeout. ok is
// false when the server gave no usable answer (unreachable, TLS or HTTP
// failure, SERVFAIL, REFUSED): RouterOS then has no other server to ask.
func (s *Server) askDoH(ctx context.Context, cfg config.DNSConfig, name string, qtype uint16) (result, bool) {
	m, err := s.exchangeDoH(ctx, cfg, name, qtype)
	if err != nil {
		s.log().Warn("dns: DoH server failed", "url", cfg.DoHServer, "name", name, "err", err)
		return result{}, false
	}
	switch m.Rcode {
	case dns.RcodeServerFailure, dns.RcodeRefused, dns.RcodeNotImplemented, dns.RcodeFormatError:
		s.log().Debug("dns: DoH server answered with an error", "url", cfg.DoHServer, "name", name, "rcode", m.Rcode)
		return result{}, false
	}
	return result{rcode: m.Rcode, answer: m.Answer, authority: m.Ns}, true
}

// exchangeDoH POSTs the query in wire format with ID 0 (RFC 8484 4.1:
// the ID is 0 so that answers can be cached by HTTP) and reads the
// answer's DNS message.
func (s *Server) exchangeDoH(ctx context.Context, cfg config.DNSConfig, name string, qtype uint16) (*dns.Msg, error) {
	u, err := url.Parse(cfg.DoHServer)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("use-doh-server %q is not an https URL", cfg.DoHServer)
	}
	c := s.doh(cfg)
	// Deferred first, so it runs after the response body is closed and
	// its connection is back in the pool.
	defer s.dohDone(c)
	timeout := cfg.DoHTimeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	select {
	case c.sem <- struct{}{}:
		defer func() { <-c.sem }()
	case <-ctx.Done():
		return nil, fmt.Errorf("doh-max-concurrent-queries (%d) in flight: %w", cap(c.sem), ctx.Err())
	}
	q := new(dns.Msg).SetQuestion(name, qtype)
	q.Id = 0
	wire, err := q.Pack()
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.DoHServer, bytes.NewReader(wire))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", dohMediaType)
	req.Header.Set("Accept", dohMediaType)
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, dns.MaxMsgSize+1))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("DoH server answered HTTP %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, dohMediaType) {
		return nil, fmt.Errorf("DoH server answered with content type %q, not %s", ct, dohMediaType)
	}
	m := new(dns.Msg)
	if err := m.Unpack(body); err != nil {
		return nil, fmt.Errorf("DoH answer (%d bytes): %w", len(body), err)
	}
	if !answers(m, q) {
		return nil, fmt.Errorf("DoH server answered another question than %s", name)
	}
	return m, nil
}
