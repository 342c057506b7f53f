// Package dnstest is a loopback DNS server for tests of services that use
// the router's resolver: it answers A questions from a function the test
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

// Answer returns the A records and TTL for a lower-case name without the
// trailing dot; ok false makes the answer NXDOMAIN.
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

// reply answers one query; types other than A get no records.
func reply(q *dns.Msg, answer Answer) *dns.Msg {
	qq := q.Question[0]
	r := new(dns.Msg).SetReply(q)
	r.RecursionAvailable = true
	addrs, ttl, ok := answer(strings.ToLower(strings.TrimSuffix(qq.Name, ".")))
	if !ok {
		r.Rcode = dns.RcodeNameError
	} else if qq.Qtype == dns.TypeA {
		for _, a := range addrs {
			a4 := a.As4()
			r.Answer = append(r.Answer, &dns.A{
				Hdr: dns.RR_Header{Name: qq.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: ttl},
				A:   a4[:]})
		}
	}
	return r
}
