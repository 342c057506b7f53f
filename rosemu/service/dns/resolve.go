package dns

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/chrlab/chrlab/rosemu/config"
)

// maxChase bounds how many CNAME entries of /ip dns static one answer
// follows, so that entries pointing at each other end.
const maxChase = 8

// resolve answers one question as the router's resolver: static entries
// first, then the cache and the upstream servers. name is as asked, with or
// without the trailing dot; the records carry it with the dot.
func (s *Server) resolve(ctx context.Context, name string, qtype uint16, depth int) result {
	res, e := s.resolveEntry(ctx, name, qtype, depth)
	if e != nil && e.AddressList != "" {
		s.feedList(ctx, e.AddressList, res)
	}
	return res
}

// How long an answer waits for its addresses to reach the entry's address
// list. A client's next packet must find them there, so a query from the
// network waits for the commit (on a router under QEMU without KVM, a
// commit that reloads the firewall takes more than half a second).
// Lookups of the router itself (a script's :resolve, netwatch) wait less:
// a script that resolves holds the router while it runs, so the commit
// cannot happen before the script ends.
const (
	clientListWait = 5 * time.Second
	listWait       = 500 * time.Millisecond
)

// clientQuery marks the context of a query that came from the network.
type clientQuery struct{}

// feedList hands the IPv4 addresses of res to ListSink for list, with the
// answer's lowest TTL, and waits for it at most clientListWait for a
// client's query, listWait for the router's own.
func (s *Server) feedList(ctx context.Context, list string, res result) {
	s.mu.Lock()
	sink := s.ListSink
	s.mu.Unlock()
	if sink == nil {
		return
	}
	var addrs []netip.Addr
	ttl := uint32(0)
	for _, rr := range res.answer {
		a, ok := rr.(*dns.A)
		if !ok {
			continue
		}
		if ip, ok := netip.AddrFromSlice(a.A.To4()); ok {
			addrs = append(addrs, ip)
			if ttl == 0 || a.Hdr.Ttl < ttl {
				ttl = a.Hdr.Ttl
			}
		}
	}
	if len(addrs) == 0 {
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := sink(list, addrs, time.Duration(ttl)*time.Second); err != nil {
			s.log().Warn("dns: add answers to address list", "list", list, "err", err)
		}
	}()
	wait := listWait
	if ctx.Value(clientQuery{}) != nil {
		wait = clientListWait
	}
	select {
	case <-done:
	case <-time.After(wait):
		s.log().Warn("dns: answered before its addresses reached the address list", "list", list, "waited", wait)
	}
}

// resolveEntry is resolve, also returning the static entry that decided
// the answer (nil when none did).
func (s *Server) resolveEntry(ctx context.Context, name string, qtype uint16, depth int) (result, *entry) {
	cfg, tbl := s.snapshot()
	lname := strings.ToLower(strings.TrimSuffix(name, "."))
	owner := dns.Fqdn(name)
	e, matched := tbl.match(lname, qtype)
	if e == nil && qtype == dns.TypePTR {
		if p, ok := tbl.reverse(lname); ok && validName(p.Name) {
			return result{answer: []dns.RR{&dns.PTR{Hdr: header(owner, dns.TypePTR, p.TTL), Ptr: dns.Fqdn(p.Name)}}}, nil
		}
	}
	if e != nil {
		switch e.Type {
		case "A":
			return result{answer: []dns.RR{&dns.A{Hdr: header(owner, dns.TypeA, e.TTL), A: e.Address.AsSlice()}}}, e
		case "AAAA":
			return result{answer: []dns.RR{&dns.AAAA{Hdr: header(owner, dns.TypeAAAA, e.TTL), AAAA: e.Address.AsSlice()}}}, e
		case "NXDOMAIN":
			return result{rcode: dns.RcodeNameError}, e
		case "CNAME":
			if !validName(e.CNAME) {
				return result{rcode: dns.RcodeServerFailure}, e
			}
			res := result{answer: []dns.RR{&dns.CNAME{Hdr: header(owner, dns.TypeCNAME, e.TTL), Target: dns.Fqdn(e.CNAME)}}}
			if qtype == dns.TypeCNAME || depth >= maxChase {
				return res, e
			}
			next := s.resolve(ctx, e.CNAME, qtype, depth+1)
			res.rcode, res.authority = next.rcode, next.authority
			res.answer = append(res.answer, next.answer...)
			return res, e
		case "FWD":
			if len(e.ForwardTo) == 0 {
				return s.askUpstream(ctx, cfg, owner, lname, qtype), e
			}
			return s.forward(ctx, cfg, e.ForwardTo, owner, lname, qtype), e
		}
	}
	// A name on an adlist is answered 0.0.0.0 (:: for AAAA [verify]),
	// after the static entries, which decide first; other types get no
	// data (docs/routeros.md, "DNS adlist").
	if !matched && s.adlisted(lname) {
		switch qtype {
		case dns.TypeA:
			return result{answer: []dns.RR{&dns.A{Hdr: header(owner, dns.TypeA, adlistTTL), A: net.IPv4zero.To4()}}}, nil
		case dns.TypeAAAA:
			return result{answer: []dns.RR{&dns.AAAA{Hdr: header(owner, dns.TypeAAAA, adlistTTL), AAAA: net.IPv6zero}}}, nil
		}
		return result{}, nil
	}
	res := s.askUpstream(ctx, cfg, owner, lname, qtype)
	if matched && (res.rcode == dns.RcodeNameError || res.rcode == dns.RcodeServerFailure) {
		// A name the router has entries for exists: other types are asked
		// upstream, and "nothing there" is no data rather than no name.
		return result{}, nil
	}
	return res, nil
}

// askUpstream answers a name no static entry decides: from the DoH server
// only while use-doh-server is set (doh.go), else from servers= and the
// dynamic servers. RouterOS uses servers= then just to resolve the DoH
// host name (DNS page,
// https://help.mikrotik.com/docs/spaces/ROS/pages/37748767/DNS);
// answering from them instead gave LAN clients answers RouterOS does not
// give them (forum40 D2).
func (s *Server) askUpstream(ctx context.Context, cfg config.DNSConfig, name, lname string, qtype uint16) result {
	if cfg.DoHServer != "" {
		return s.cached(cfg, name, lname, qtype, func() (result, bool) { return s.askDoH(ctx, cfg, name, qtype) })
	}
	return s.forward(ctx, cfg, cfg.Servers, name, lname, qtype)
}

// adlistTTL is the TTL of an adlist's answer [verify] RouterOS's.
const adlistTTL = time.Minute

// validName reports whether name can be written into a message.
func validName(name string) bool {
	_, ok := dns.IsDomainName(name)
	return ok
}

// header is the header of a static record of owner.
func header(owner string, typ uint16, ttl time.Duration) dns.RR_Header {
	return dns.RR_Header{Name: owner, Rrtype: typ, Class: dns.ClassINET, Ttl: ttlOf(ttl)}
}

func ttlOf(d time.Duration) uint32 { return uint32(d / time.Second) }

// forward answers from the cache or asks servers in order (askServers).
func (s *Server) forward(ctx context.Context, cfg config.DNSConfig, servers []netip.Addr, name, lname string, qtype uint16) result {
	return s.cached(cfg, name, lname, qtype, func() (result, bool) { return s.askServers(ctx, cfg, servers, name, qtype) })
}

// cached answers from the cache, else asks (ok false: no server gave a
// usable answer, which is SERVFAIL and not cached) and caches the answer.
// name is fully qualified, in the case it was asked.
func (s *Server) cached(cfg config.DNSConfig, name, lname string, qtype uint16, ask func() (result, bool)) result {
	key := lname + "/" + strconv.Itoa(int(qtype))
	if res, ok := s.cache.get(key, s.now()); ok {
		for _, r := range res.answer {
			if strings.EqualFold(r.Header().Name, name) {
				r.Header().Name = name
			}
		}
		return res
	}
	res, ok := ask()
	if !ok {
		return result{rcode: dns.RcodeServerFailure}
	}
	if ttl, ok := cacheTTL(res, cfg.CacheMaxTTL); ok {
		res = capTTL(res, ttl)
		s.cache.put(key, res, ttl, s.now())
	}
	return res
}

// askServers asks servers in order, each for at most
// query-server-timeout, for query-total-timeout in all; a server that
// fails or answers SERVFAIL, REFUSED or NOTIMP hands over to the next.
func (s *Server) askServers(ctx context.Context, cfg config.DNSConfig, servers []netip.Addr, name string, qtype uint16) (result, bool) {
	if len(servers) == 0 {
		return result{}, false
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.QueryTotalTimeout)
	defer cancel()
	// Passes repeat while some server only timed out: one lost datagram
	// must not fail the query, a refusing server must not be asked forever.
	for pass := 0; ctx.Err() == nil; pass++ {
		timedOut := false
		for _, srv := range servers {
			m, err := s.exchange(ctx, srv, name, qtype, cfg.QueryServerTimeout)
			if err != nil {
				var ne net.Error
				timedOut = timedOut || (errors.As(err, &ne) && ne.Timeout())
				s.log().Debug("dns upstream failed", "server", srv, "name", name, "err", err)
				continue
			}
			switch m.Rcode {
			case dns.RcodeServerFailure, dns.RcodeRefused, dns.RcodeNotImplemented, dns.RcodeFormatError:
				s.log().Debug("dns upstream answered with an error", "server", srv, "name", name, "rcode", m.Rcode)
				continue
			}
			return result{rcode: m.Rcode, answer: m.Answer, authority: m.Ns}, true
		}
		if !timedOut {
			break
		}
	}
	return result{}, false
}

// cacheTTL is how long an answer may be cached: its smallest record TTL, or
// for a negative answer the SOA's negative TTL (RFC 2308), capped by
// cache-max-ttl. Answers with nothing to go by are not cached.
func cacheTTL(res result, max time.Duration) (time.Duration, bool) {
	var ttl uint32
	found := false
	if res.rcode == dns.RcodeNameError || len(res.answer) == 0 {
		for _, r := range res.authority {
			if soa, ok := r.(*dns.SOA); ok {
				ttl, found = min(soa.Hdr.Ttl, soa.Minttl), true
			}
		}
	} else {
		for i, r := range res.answer {
			if i == 0 || r.Header().Ttl < ttl {
				ttl = r.Header().Ttl
			}
		}
		found = true
	}
	d := time.Duration(ttl) * time.Second
	if d > max {
		d = max
	}
	return d, found && d > 0
}

// capTTL lowers record TTLs to the cache's, so clients never hold an answer
// longer than the router does. The records are copied: the caller's may be
// shared.
func capTTL(res result, ttl time.Duration) result {
	limit := ttlOf(ttl)
	return res.withTTL(func(t uint32) uint32 { return min(t, limit) })
}

// exchange asks one server over UDP, and again over TCP when the answer is
// truncated.
func (s *Server) exchange(ctx context.Context, srv netip.Addr, name string, qtype uint16, timeout time.Duration) (*dns.Msg, error) {
	return s.exchangeAt(ctx, srv, s.upstreamPort(), name, qtype, timeout)
}

func (s *Server) exchangeAt(ctx context.Context, srv netip.Addr, port int, name string, qtype uint16, timeout time.Duration) (*dns.Msg, error) {
	q := new(dns.Msg).SetQuestion(name, qtype)
	addr := net.JoinHostPort(srv.String(), strconv.Itoa(port))
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	network := "udp"
	for {
		c := dns.Client{Net: network, Timeout: timeout, UDPSize: dns.MaxMsgSize}
		m, _, err := c.ExchangeContext(ctx, q, addr)
		if err != nil {
			return nil, fmt.Errorf("ask dns server %s over %s for %s: %w", addr, network, name, err)
		}
		if !answers(m, q) {
			return nil, fmt.Errorf("dns server %s answered another question than %s over %s", addr, name, network)
		}
		if !m.Truncated || network == "tcp" {
			return m, nil
		}
		network = "tcp"
	}
}

// answers reports whether m is the response to q.
func answers(m, q *dns.Msg) bool {
	return m.Id == q.Id && m.Response && len(m.Question) == 1 &&
		strings.EqualFold(m.Question[0].Name, q.Question[0].Name) && m.Question[0].Qtype == q.Question[0].Qtype
}
