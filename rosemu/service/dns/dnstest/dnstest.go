// Package dnstest is a loopback DNS server for tests of services that use
// the router's resolver: it answers A and AAAA questions from a function the test
// controls, so that a test can change the answer while the router runs.
// It listens on 127.0.0.1 only and never forwards anywhere.
package dnstest

import (
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// Answer returns the addresses and TTL for a lower-case name without the
// trailing dot (the IPv4 ones answer A questions, the IPv6 ones AAAA
// questions); ok false makes the answer NXDOMAIN.
type Answer func(name string) (addrs []netip.Addr, ttl uint32, ok bool)

// Start serves answer over UDP on 127.0.0.1 and a free port until the test
// ends, and returns the port.
func Start(t testing.TB, answer Answer) int {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen for test dns on udp 127.0.0.1: %v", err)
	}
	t.Cleanup(func() { pc.Close() })
	respond := func(w dns.ResponseWriter, q *dns.Msg) { _ = w.WriteMsg(reply(q, answer)) }
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(respond), MsgAcceptFunc: oneQuestion}
	go func() {
		if err := srv.ActivateAndServe(); err != nil && !errors.Is(err, net.ErrClosed) {
			t.Logf("test dns: serve: %v", err)
		}
	}()
	return pc.LocalAddr().(*net.UDPAddr).Port
}

// oneQuestion lets through queries of one question; the rest get no answer.
func oneQuestion(h dns.Header) dns.MsgAcceptAction {
	if h.Bits&(1<<15) != 0 || h.Qdcount != 1 { // QR, or not one question
		return dns.MsgIgnore
	}
	return dns.MsgAccept
}

// reply answers one query; types other than A and AAAA get no records.
func reply(q *dns.Msg, answer Answer) *dns.Msg {
	qq := q.Question[0]
	r := new(dns.Msg).SetReply(q)
	r.RecursionAvailable = true
	addrs, ttl, ok := answer(strings.ToLower(strings.TrimSuffix(qq.Name, ".")))
	if !ok {
		r.Rcode = dns.RcodeNameError
	} else {
		for _, a := range addrs {
			hdr := dns.RR_Header{Name: qq.Name, Rrtype: qq.Qtype, Class: dns.ClassINET, Ttl: ttl}
			switch {
			case qq.Qtype == dns.TypeA && a.Is4():
				a4 := a.As4()
				r.Answer = append(r.Answer, &dns.A{Hdr: hdr, A: a4[:]})
			case qq.Qtype == dns.TypeAAAA && a.Is6():
				a16 := a.As16()
				r.Answer = append(r.Answer, &dns.AAAA{Hdr: hdr, AAAA: a16[:]})
			}
		}
	}
	return r
}
