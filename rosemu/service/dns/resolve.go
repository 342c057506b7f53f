package dns

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

// maxChase bounds how many CNAME entries of /ip dns static one answer
// follows, so that entries pointing at each other end.
const maxChase = 8

// resolve answers one question as the router's resolver: static entries
// first, then the cache and the upstream servers.
func (s *Server) resolve(ctx context.Context, name string, qtype uint16, depth int) result {
	cfg, tbl := s.snapshot()
	lname := strings.ToLower(strings.TrimSuffix(name, "."))
	e, matched := tbl.match(lname, qtype)
	if e == nil && qtype == typePTR {
		if p, ok := tbl.reverse(lname); ok {
			data, err := appendName(nil, p.Name)
			if err == nil {
				return result{answer: []rr{{name, typePTR, classIN, ttlOf(p.TTL), data}}}
			}
		}
	}
	if e != nil {
		ttl := ttlOf(e.TTL)
		switch e.Type {
		case "A":
			a := e.Address.As4()
			return result{answer: []rr{{name, typeA, classIN, ttl, a[:]}}}
		case "AAAA":
			a := e.Address.As16()
			return result{answer: []rr{{name, typeAAAA, classIN, ttl, a[:]}}}
		case "NXDOMAIN":
			return result{rcode: rcodeNXDomain}
		case "CNAME":
			data, err := appendName(nil, e.CNAME)
			if err != nil {
				return result{rcode: rcodeServFail}
			}
			res := result{answer: []rr{{name, typeCNAME, classIN, ttl, data}}}
			if qtype == typeCNAME || depth >= maxChase {
				return res
			}
			next := s.resolve(ctx, e.CNAME, qtype, depth+1)
			res.rcode, res.authority = next.rcode, next.authority
			res.answer = append(res.answer, next.answer...)
			return res
		case "FWD":
			servers := e.ForwardTo
			if len(servers) == 0 {
				servers = cfg.Servers
			}
			return s.forward(ctx, cfg, servers, name, lname, qtype)
		}
	}
	res := s.forward(ctx, cfg, cfg.Servers, name, lname, qtype)
	if matched && (res.rcode == rcodeNXDomain || res.rcode == rcodeServFail) {
		// A name the router has entries for exists: other types are asked
		// upstream, and "nothing there" is no data rather than no name.
		return result{}
	}
	return res
}

func ttlOf(d time.Duration) uint32 { return uint32(d / time.Second) }

// forward answers from the cache or asks servers in order, each for at most
// query-server-timeout, for query-total-timeout in all; a server that fails
// or answers SERVFAIL, REFUSED or NOTIMP hands over to the next.
func (s *Server) forward(ctx context.Context, cfg config.DNSConfig, servers []netip.Addr, name, lname string, qtype uint16) result {
	key := lname + "/" + strconv.Itoa(int(qtype))
	if res, ok := s.cache.get(key, s.now()); ok {
		for i := range res.answer {
			if strings.EqualFold(res.answer[i].name, name) {
				res.answer[i].name = name
			}
		}
		return res
	}
	if len(servers) == 0 {
		return result{rcode: rcodeServFail}
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
			switch m.rcode() {
			case rcodeServFail, rcodeRefused, rcodeNotImp, rcodeFormErr:
				s.log().Debug("dns upstream answered with an error", "server", srv, "name", name, "rcode", m.rcode())
				continue
			}
			res := result{rcode: m.rcode(), answer: m.answer, authority: m.authority}
			if ttl, ok := cacheTTL(res, cfg.CacheMaxTTL); ok {
				res = capTTL(res, ttl)
				s.cache.put(key, res, ttl, s.now())
			}
			return res
		}
		if !timedOut {
			break
		}
	}
	return result{rcode: rcodeServFail}
}

// cacheTTL is how long an answer may be cached: its smallest record TTL, or
// for a negative answer the SOA's negative TTL (RFC 2308), capped by
// cache-max-ttl. Answers with nothing to go by are not cached.
func cacheTTL(res result, max time.Duration) (time.Duration, bool) {
	var ttl uint32
	found := false
	if res.rcode == rcodeNXDomain || len(res.answer) == 0 {
		for _, r := range res.authority {
			if r.typ == typeSOA && len(r.data) >= 20 {
				min := binary.BigEndian.Uint32(r.data[len(r.data)-4:])
				ttl, found = minU32(r.ttl, min), true
			}
		}
	} else {
		for i, r := range res.answer {
			if i == 0 || r.ttl < ttl {
				ttl = r.ttl
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
// longer than the router does.
func capTTL(res result, ttl time.Duration) result {
	limit := ttlOf(ttl)
	out := result{rcode: res.rcode}
	for _, sec := range []struct{ from, to *[]rr }{{&res.answer, &out.answer}, {&res.authority, &out.authority}} {
		for _, r := range *sec.from {
			r.ttl = minU32(r.ttl, limit)
			*sec.to = append(*sec.to, r)
		}
	}
	return out
}

func minU32(a, b uint32) uint32 {
	if a < b {
		return a
	}
	return b
}

// exchange asks one server over UDP and again over TCP when the answer is
// truncated.
func (s *Server) exchange(ctx context.Context, srv netip.Addr, name string, qtype uint16, timeout time.Duration) (*message, error) {
	q := &message{id: uint16(rand.Uint32()), flags: flagRD, question: []question{{name, qtype, classIN}}}
	query, err := q.pack()
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort(srv.String(), strconv.Itoa(s.upstreamPort()))
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	var dl net.Dialer
	c, err := dl.DialContext(ctx, "udp", addr)
	if err != nil {
		return nil, fmt.Errorf("open udp socket to dns server %s: %w", addr, err)
	}
	defer c.Close()
	_ = c.SetDeadline(deadline)
	if _, err := c.Write(query); err != nil {
		return nil, fmt.Errorf("send query for %s to dns server %s: %w", name, addr, err)
	}
	buf := make([]byte, 65535)
	for {
		n, err := c.Read(buf)
		if err != nil {
			return nil, fmt.Errorf("read answer for %s from dns server %s: %w", name, addr, err)
		}
		m, err := parse(buf[:n])
		if err != nil || !answers(m, q) {
			continue // a stray or late datagram
		}
		if m.flags&flagTC != 0 {
			return s.exchangeTCP(ctx, addr, q, query, deadline)
		}
		return m, nil
	}
}

// answers reports whether m is the response to q.
func answers(m, q *message) bool {
	return m.id == q.id && m.flags&flagQR != 0 && len(m.question) == 1 &&
		strings.EqualFold(m.question[0].name, q.question[0].name) && m.question[0].typ == q.question[0].typ
}

func (s *Server) exchangeTCP(ctx context.Context, addr string, q *message, query []byte, deadline time.Time) (*message, error) {
	dl := net.Dialer{Deadline: deadline}
	c, err := dl.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("connect to dns server %s: %w", addr, err)
	}
	defer c.Close()
	_ = c.SetDeadline(deadline)
	if _, err := c.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(query))), query...)); err != nil {
		return nil, fmt.Errorf("send query to dns server %s over tcp: %w", addr, err)
	}
	b, err := readTCPMessage(c)
	if err != nil {
		return nil, fmt.Errorf("read answer from dns server %s over tcp: %w", addr, err)
	}
	m, err := parse(b)
	if err != nil {
		return nil, fmt.Errorf("parse answer from dns server %s over tcp: %w", addr, err)
	}
	if !answers(m, q) {
		return nil, fmt.Errorf("dns server %s answered another question over tcp", addr)
	}
	return m, nil
}

// readTCPMessage reads one message with its two-byte length (RFC 1035 4.2.2).
func readTCPMessage(r io.Reader) ([]byte, error) {
	var l [2]byte
	if _, err := io.ReadFull(r, l[:]); err != nil {
		return nil, err
	}
	b := make([]byte, binary.BigEndian.Uint16(l[:]))
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, err
	}
	return b, nil
}
