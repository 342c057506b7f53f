// Package dns is rosemu's DNS service: the router's resolver with /ip dns
// static entries, a cache and forwarding to the configured servers, and
// the server that answers the network on UDP and TCP port 53 while
// allow-remote-requests=yes (docs/routeros.md).
//
// RouterOS does not listen for remote requests while allow-remote-requests
// is no; rosemu does the same: it closes its port 53 sockets, so a client's
// UDP query meets an ICMP port unreachable and its TCP connection a reset,
// and opens them again when the setting returns. [verify] on CHR whether
// the port is closed or silently dropped.
//
// github.com/miekg/dns reads and writes the messages, runs the listeners and
// asks the upstream servers; this package decides the answers.
package dns

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
)

// Server is the DNS service of one router. It implements
// config.DNSService: pass it as config.Options.DNS, then run Serve.
type Server struct {
	addr string
	lg   *slog.Logger

	// upstream is the port of the upstream servers, 53 unless a test runs
	// its upstream on a free loopback port.
	upstream int
	// clock is time.Now unless a test moves time.
	clock func() time.Time

	// ListSink receives the addresses of answers that a static entry
	// with address-list= decided (config.Router.AddDNSListEntries); set
	// it before Serve.
	ListSink func(list string, addrs []netip.Addr, ttl time.Duration) error

	mu    sync.Mutex
	cfg   config.DNSConfig
	tbl   *table
	ctx   context.Context // set while Serve runs
	udp   net.PacketConn
	tcp   net.Listener
	port  int // the port Addr's port 0 became, kept across reopening
	sem   chan struct{}
	cache cache
	// adlist maps a blocked name to the id of its adlist; adMatches
	// counts the queries each adlist answered (match-count).
	adlist    map[string]string
	adMatches map[string]int
	// dohc is the DoH client of the current use-doh-server (doh.go).
	dohc *dohClient
}

// maxConcurrent is RouterOS's max-concurrent-queries default: queries
// beyond it are dropped, as an overloaded resolver does.
const maxConcurrent = 100

// New returns the service for addr (":53" in the router), with the default
// /ip dns settings until the engine calls Update.
func New(addr string, log *slog.Logger) *Server {
	s := &Server{addr: addr, lg: log, sem: make(chan struct{}, maxConcurrent)}
	s.update(config.DNSConfig{CacheSize: 2048 * 1024, CacheMaxTTL: 7 * 24 * time.Hour, QueryServerTimeout: 2 * time.Second, QueryTotalTimeout: 10 * time.Second})
	return s
}

func (s *Server) log() *slog.Logger {
	if s.lg == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.lg
}

func (s *Server) now() time.Time {
	if s.clock != nil {
		return s.clock()
	}
	return time.Now()
}

func (s *Server) upstreamPort() int {
	if s.upstream != 0 {
		return s.upstream
	}
	return 53
}

// Update takes a new configuration (config.DNSService). While Serve runs it
// opens or closes the port 53 sockets at once, so that when the engine's
// transaction returns the router already listens as configured.
func (s *Server) Update(cfg config.DNSConfig) { s.update(cfg) }

func (s *Server) update(cfg config.DNSConfig) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg = cfg
	s.tbl = newTable(cfg.Static)
	s.adlist = map[string]string{}
	for _, l := range cfg.Adlists {
		for _, n := range l.Names {
			if _, dup := s.adlist[n]; !dup {
				s.adlist[n] = l.ID
			}
		}
	}
	s.cache.setLimit(cfg.CacheSize, s.now())
	if s.ctx != nil {
		s.reconcile()
	}
}

// AdlistMatches are the queries each adlist answered, by the adlist's id
// (its match-count).
func (s *Server) AdlistMatches() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.adMatches)
}

// adlisted reports whether name is on an adlist, counting the match.
func (s *Server) adlisted(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.adlist[name]
	if ok {
		if s.adMatches == nil {
			s.adMatches = map[string]int{}
		}
		s.adMatches[id]++
	}
	return ok
}

// CacheUsed is the bytes of cached answers (config.DNSService).
func (s *Server) CacheUsed() int { return s.cache.size() }

// Flush empties the cache (/ip dns cache flush).
func (s *Server) Flush() { s.cache.flush() }

// CacheRecords lists the records of the live cached answers, for /ip dns
// cache and /ip dns cache all (config.DNSCacheRecord).
func (s *Server) CacheRecords() []config.DNSCacheRecord { return s.cache.records(s.now()) }

func (s *Server) snapshot() (config.DNSConfig, *table) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg, s.tbl
}

// Serve runs the service until ctx ends (see Start) and returns nil then.
func (s *Server) Serve(ctx context.Context) error {
	if err := s.Start(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	return nil
}

// Start begins serving without blocking: from now until ctx ends the
// service listens on its address whenever allow-remote-requests=yes. An
// error says the sockets could not be opened for the current setting.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx != nil {
		return errors.New("start dns service: already serving")
	}
	s.ctx = ctx
	context.AfterFunc(ctx, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.ctx = nil
		s.closeSockets()
	})
	if s.cfg.AllowRemoteRequests {
		return s.open()
	}
	return nil
}

// Addr returns the address the sockets are bound to, nil while closed.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.udp == nil {
		return nil
	}
	return s.udp.LocalAddr()
}

// reconcile opens or closes the sockets to match the configuration; s.mu
// is held.
func (s *Server) reconcile() {
	switch {
	case s.cfg.AllowRemoteRequests && s.udp == nil:
		if err := s.open(); err != nil {
			s.log().Error("dns: remote requests allowed but the router cannot listen", "err", err)
		}
	case !s.cfg.AllowRemoteRequests && s.udp != nil:
		s.closeSockets()
	}
}

func (s *Server) closeSockets() {
	if s.udp != nil {
		s.udp.Close()
		s.tcp.Close()
		s.udp, s.tcp = nil, nil
	}
}

// open binds UDP and TCP on the same port. With port 0 (tests) the kernel
// picks the UDP port and TCP takes the same one, retried a few times in
// case another socket holds it over TCP.
func (s *Server) open() error {
	host, p, err := net.SplitHostPort(s.addr)
	if err != nil {
		return fmt.Errorf("listen for dns on %q: %w", s.addr, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return fmt.Errorf("listen for dns on %q: port: %w", s.addr, err)
	}
	if s.port != 0 {
		port = s.port
	}
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		pc, err := net.ListenPacket("udp", net.JoinHostPort(host, strconv.Itoa(port)))
		if err != nil {
			return fmt.Errorf("listen for dns on udp %s: %w", s.addr, err)
		}
		got := pc.LocalAddr().(*net.UDPAddr).Port
		l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(got)))
		if err != nil {
			pc.Close()
			lastErr = fmt.Errorf("listen for dns on tcp port %d: %w", got, err)
			if port != 0 {
				return lastErr
			}
			continue
		}
		s.udp, s.tcp, s.port = pc, l, got
		s.serve(s.ctx, pc, l)
		return nil
	}
	return lastErr
}

// tcpIdle is how long a TCP client may stay silent between queries.
const tcpIdle = 10 * time.Second

// serve answers on pc and l until they are closed; it returns once both
// servers run. TCP connections still open when ctx ends are closed then,
// whatever allow-remote-requests did meanwhile.
func (s *Server) serve(ctx context.Context, pc net.PacketConn, l net.Listener) {
	idle := func() time.Duration { return tcpIdle }
	udp := &dns.Server{PacketConn: pc, UDPSize: dns.MaxMsgSize, MsgAcceptFunc: acceptQueries,
		Handler: handler{s, ctx, false}}
	tcp := &dns.Server{Listener: l, ReadTimeout: tcpIdle, IdleTimeout: idle, MaxTCPQueries: -1, MsgAcceptFunc: acceptQueries,
		Handler: handler{s, ctx, true}}
	started := make(chan struct{}, 2)
	for _, srv := range []*dns.Server{udp, tcp} {
		srv.NotifyStartedFunc = func() { started <- struct{}{} }
		go func() {
			if err := srv.ActivateAndServe(); err != nil && !errors.Is(err, net.ErrClosed) {
				s.log().Warn("dns: serve", "err", err)
				started <- struct{}{}
			}
		}()
	}
	<-started
	<-started
	context.AfterFunc(ctx, func() { _ = tcp.Shutdown() })
}

// acceptQueries lets every query through to the handler, which answers the
// opcodes and question counts it does not serve; responses get no answer.
func acceptQueries(h dns.Header) dns.MsgAcceptAction {
	if h.Bits&(1<<15) != 0 { // QR
		return dns.MsgIgnore
	}
	return dns.MsgAccept
}

// handler answers the queries of one transport.
type handler struct {
	s       *Server
	ctx     context.Context
	overTCP bool
}

func (h handler) ServeDNS(w dns.ResponseWriter, q *dns.Msg) {
	if !h.overTCP {
		select {
		case h.s.sem <- struct{}{}:
			defer func() { <-h.s.sem }()
		default:
			return
		}
	}
	var out []byte
	if err := guard.Do(h.s.log(), "DNS query", func() error {
		out = h.s.handle(h.ctx, q, h.overTCP)
		return nil
	}); err != nil {
		// A query that trips the server gets SERVFAIL; the next is served.
		resp := new(dns.Msg)
		resp.SetRcode(q, dns.RcodeServerFailure)
		out, _ = resp.Pack()
	}
	_, _ = w.Write(out)
}

// handle answers one query. Messages that cannot be read got FORMERR from
// dns.Server before they reach here.
func (s *Server) handle(ctx context.Context, q *dns.Msg, overTCP bool) []byte {
	resp := &dns.Msg{MsgHdr: dns.MsgHdr{Id: q.Id, Response: true, Opcode: q.Opcode,
		RecursionDesired: q.RecursionDesired, RecursionAvailable: true}, Question: q.Question}
	switch {
	case q.Opcode != dns.OpcodeQuery:
		resp.Rcode = dns.RcodeNotImplemented
	case len(q.Question) != 1:
		resp.Rcode = dns.RcodeFormatError
	case q.Question[0].Qclass != dns.ClassINET:
		resp.Rcode = dns.RcodeNotImplemented
	default:
		res := s.resolve(context.WithValue(ctx, clientQuery{}, true), q.Question[0].Name, q.Question[0].Qtype, 0)
		resp.Rcode = res.rcode
		resp.Answer, resp.Ns = res.answer, res.authority
	}
	udpSize := 512
	if opt := q.IsEdns0(); opt != nil {
		// RFC 6891: answer EDNS with EDNS; 4096 is RouterOS's max-udp-packet-size.
		resp.SetEdns0(4096, false)
		udpSize = max(udpSize, int(opt.UDPSize()))
	}
	out, err := resp.Pack()
	if err != nil {
		s.log().Warn("dns: encode answer", "err", err)
		resp.Answer, resp.Ns = nil, nil
		resp.Rcode = dns.RcodeServerFailure
		out, _ = resp.Pack()
		return out
	}
	if !overTCP && len(out) > udpSize {
		resp.Truncated = true
		resp.Answer, resp.Ns = nil, nil
		out, _ = resp.Pack()
	}
	return out
}

// ErrNameError is LookupIPAt's error when the server answered that the
// name does not exist.
var ErrNameError = errors.New("no such name")

// LookupIPAt asks server alone for name's A record, as ":resolve name
// server=address" does: no static entries, no cache, query-server-timeout
// per try within query-total-timeout, and a failing server is a failure.
// port 0 is the servers' port (53, or the one SetUpstreamPort set).
func (s *Server) LookupIPAt(ctx context.Context, server netip.Addr, port int, name string) ([]netip.Addr, error) {
	return s.lookupAt(ctx, server, port, name, dns.TypeA)
}

// LookupIP6At is LookupIPAt for the name's AAAA record, as ":resolve name
// type=ipv6 server=address" asks.
func (s *Server) LookupIP6At(ctx context.Context, server netip.Addr, port int, name string) ([]netip.Addr, error) {
	return s.lookupAt(ctx, server, port, name, dns.TypeAAAA)
}

func (s *Server) lookupAt(ctx context.Context, server netip.Addr, port int, name string, qtype uint16) ([]netip.Addr, error) {
	if port == 0 {
		port = s.upstreamPort()
	}
	cfg, _ := s.snapshot()
	total, per := cfg.QueryTotalTimeout, cfg.QueryServerTimeout
	if total <= 0 {
		total = 10 * time.Second
	}
	if per <= 0 {
		per = 2 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, total)
	defer cancel()
	fq := dns.Fqdn(name)
	for ctx.Err() == nil {
		m, err := s.exchangeAt(ctx, server, port, fq, qtype, per)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return nil, err
		}
		switch m.Rcode {
		case dns.RcodeSuccess:
		case dns.RcodeNameError:
			return nil, ErrNameError
		default:
			return nil, fmt.Errorf("dns server %s answered rcode %d for %s", server, m.Rcode, name)
		}
		var out []netip.Addr
		for _, r := range m.Answer {
			switch a := r.(type) {
			case *dns.A:
				if ip, ok := netip.AddrFromSlice(a.A.To4()); ok && qtype == dns.TypeA {
					out = append(out, ip)
				}
			case *dns.AAAA:
				if ip, ok := netip.AddrFromSlice(a.AAAA.To16()); ok && qtype == dns.TypeAAAA {
					out = append(out, ip)
				}
			}
		}
		if len(out) == 0 {
			return nil, ErrNameError
		}
		return out, nil
	}
	return nil, fmt.Errorf("dns server %s did not answer for %s: %w", server, name, ctx.Err())
}

// LookupIP resolves name to addresses of qtype A or AAAA as the router
// itself does (for address-list entries with names): through static
// entries, the cache and the servers, whatever allow-remote-requests says.
// It returns the addresses and the smallest TTL of the answer.
func (s *Server) LookupIP(ctx context.Context, name string, ipv6 bool) ([]netip.Addr, time.Duration, error) {
	qtype := dns.TypeA
	if ipv6 {
		qtype = dns.TypeAAAA
	}
	res := s.resolve(ctx, name, qtype, 0)
	if res.rcode != dns.RcodeSuccess {
		return nil, 0, fmt.Errorf("resolve %s: the router's resolver answered rcode %d", name, res.rcode)
	}
	var addrs []netip.Addr
	var ttl uint32
	for _, r := range res.answer {
		var ip net.IP
		switch r := r.(type) {
		case *dns.A:
			ip = r.A.To4()
		case *dns.AAAA:
			ip = r.AAAA
		}
		if r.Header().Rrtype != qtype {
			continue
		}
		if a, ok := netip.AddrFromSlice(ip); ok {
			if len(addrs) == 0 || r.Header().Ttl < ttl {
				ttl = r.Header().Ttl
			}
			addrs = append(addrs, a)
		}
	}
	return addrs, time.Duration(ttl) * time.Second, nil
}
