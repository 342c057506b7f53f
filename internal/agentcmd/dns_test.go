package agentcmd

import (
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/chrlab/chrlab/harness/probe"
)

// testZone answers the queries of these tests, with compressed names so that the probe reads
// pointers into the message:
//
//	www.lab.test.  CNAME  srv.lab.test.   (ttl 300)
//	srv.lab.test.  A      198.51.100.7    (ttl 60)
//	srv.lab.test.  AAAA   2001:db8::7     (ttl 60)
//	lo.lab.test.   A      127.0.0.1       (ttl 60)
//	fail.lab.test. -> SERVFAIL; big.lab.test. -> truncated over UDP; anything else NXDOMAIN.
type testZone struct{ overTCP bool }

func (z testZone) ServeDNS(w dns.ResponseWriter, q *dns.Msg) {
	r := new(dns.Msg).SetReply(q)
	r.RecursionAvailable, r.Compress = true, true
	qq := q.Question[0]
	hdr := func(name string, typ uint16, ttl uint32) dns.RR_Header {
		return dns.RR_Header{Name: name, Rrtype: typ, Class: dns.ClassINET, Ttl: ttl}
	}
	srvA := &dns.A{Hdr: hdr("srv.lab.test.", dns.TypeA, 60), A: net.IPv4(198, 51, 100, 7).To4()}
	switch qq.Name {
	case "www.lab.test.":
		r.Answer = append(r.Answer, &dns.CNAME{Hdr: hdr(qq.Name, dns.TypeCNAME, 300), Target: "srv.lab.test."})
		if qq.Qtype == dns.TypeA {
			r.Answer = append(r.Answer, srvA)
		}
	case "srv.lab.test.":
		switch qq.Qtype {
		case dns.TypeA:
			r.Answer = append(r.Answer, srvA)
		case dns.TypeAAAA:
			r.Answer = append(r.Answer, &dns.AAAA{Hdr: hdr(qq.Name, dns.TypeAAAA, 60), AAAA: net.ParseIP("2001:db8::7")})
		}
	case "lo.lab.test.":
		if qq.Qtype == dns.TypeA {
			r.Answer = append(r.Answer, &dns.A{Hdr: hdr(qq.Name, dns.TypeA, 60), A: net.IPv4(127, 0, 0, 1).To4()})
		}
	case "fail.lab.test.":
		r.Rcode = dns.RcodeServerFailure
	case "big.lab.test.":
		if !z.overTCP {
			r.Truncated = true
			break
		}
		for i := range 3 {
			r.Answer = append(r.Answer, &dns.A{Hdr: hdr(qq.Name, dns.TypeA, uint32(100+i)), A: net.IPv4(198, 51, 100, byte(20+i)).To4()})
		}
	default:
		r.Rcode = dns.RcodeNameError
	}
	_ = w.WriteMsg(r)
}

// startDNS serves testZone over UDP and TCP on one loopback port.
func startDNS(t *testing.T) string {
	t.Helper()
	port := freePort(t)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close(); ln.Close() })
	go (&dns.Server{PacketConn: pc, Handler: testZone{}}).ActivateAndServe()
	go (&dns.Server{Listener: ln, Handler: testZone{overTCP: true}}).ActivateAndServe()
	return addr
}

func TestDNSNames(t *testing.T) {
	for _, bad := range []string{"", "a..b", strings.Repeat("x", 64) + ".lab"} {
		if _, err := cmdDNS(t.Context(), []string{"--server", "127.0.0.1", "--name", bad}, io.Discard); err == nil {
			t.Errorf("labagent dns --name %q accepted", bad)
		}
	}
	if !validName("srv.lab.test.") || !validName("srv.lab.test") {
		t.Error("srv.lab.test refused")
	}
}

func TestDNSProbe(t *testing.T) {
	server := startDNS(t)
	tests := []struct {
		name   string
		qtype  uint16
		tcp    bool
		want   probe.Outcome
		rcode  string
		answer []string
		cnames []string
		ttl    int
	}{
		{"srv.lab.test", dns.TypeA, false, probe.OK, "NOERROR", []string{"198.51.100.7"}, nil, 60},
		{"srv.lab.test", dns.TypeA, true, probe.OK, "NOERROR", []string{"198.51.100.7"}, nil, 60},
		{"srv.lab.test", dns.TypeAAAA, false, probe.OK, "NOERROR", []string{"2001:db8::7"}, nil, 60},
		{"www.lab.test", dns.TypeA, false, probe.OK, "NOERROR", []string{"198.51.100.7"}, []string{"srv.lab.test."}, 60},
		{"www.lab.test", dns.TypeCNAME, false, probe.OK, "NOERROR", []string{"srv.lab.test."}, []string{"srv.lab.test."}, 300},
		// The name exists without an AAAA record: no data, not ok (forum40 N3).
		{"lo.lab.test", dns.TypeAAAA, false, probe.NoData, "NOERROR", nil, nil, 0},
		{"nothing.lab.test", dns.TypeA, false, probe.NXDomain, "NXDOMAIN", nil, nil, 0},
		{"fail.lab.test", dns.TypeA, false, probe.ServFail, "SERVFAIL", nil, nil, 0},
		// Truncated over UDP: the probe must ask again over TCP to see the three records.
		{"big.lab.test", dns.TypeA, false, probe.OK, "NOERROR", []string{"198.51.100.20", "198.51.100.21", "198.51.100.22"}, nil, 100},
	}
	for _, tt := range tests {
		res := probeDNS(t.Context(), dnsOptions{server: server, name: tt.name, qtype: tt.qtype, tcp: tt.tcp, timeout: 2 * time.Second})
		if res.Result != tt.want || res.Rcode != tt.rcode || !slices.Equal(res.Answers, tt.answer) && len(tt.answer)+len(res.Answers) > 0 ||
			!slices.Equal(res.CNAMEs, tt.cnames) && len(tt.cnames)+len(res.CNAMEs) > 0 || res.TTL != tt.ttl {
			t.Errorf("dns %s type %d tcp=%v = %v, want %s %s answers %v cnames %v ttl %d",
				tt.name, tt.qtype, tt.tcp, res, tt.want, tt.rcode, tt.answer, tt.cnames, tt.ttl)
		}
		if err := res.Validate(probe.KindDNS); err != nil {
			t.Error(err)
		}
	}
}

func TestDNSProbeNoServer(t *testing.T) {
	closed := net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort(t)))
	res := probeDNS(t.Context(), dnsOptions{server: closed, name: "srv.lab.test", qtype: dns.TypeA, timeout: time.Second})
	if res.Result != probe.Refused {
		t.Errorf("dns to a closed udp port = %v, want refused", res)
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	res = probeDNS(t.Context(), dnsOptions{server: pc.LocalAddr().String(), name: "srv.lab.test", qtype: dns.TypeA, timeout: 200 * time.Millisecond})
	if res.Result != probe.Timeout {
		t.Errorf("dns to a silent socket = %v, want timeout", res)
	}
}

// TestResolveThenConnect resolves a name to loopback and reaches the whoami server there over
// TCP and over UDP, each saying who answered and the source it saw; a port where only a TCP
// server listens tells the two transports apart.
func TestResolveThenConnect(t *testing.T) {
	resolver := startDNS(t)
	port := startWhoami(t, "server1", "127.0.0.1")
	for _, connect := range []string{"tcp", "udp"} {
		res, err := cmdResolveConnect(t.Context(), []string{"--server", resolver, "--name", "lo.lab.test", "--port", strconv.Itoa(port), "--connect", connect}, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if res.Result != probe.OK || res.ServerName != "server1" || res.ServerSaw != "127.0.0.1" || !slices.Equal(res.Answers, []string{"127.0.0.1"}) {
			t.Errorf("resolve then %s: %+v, want ok from server1 seeing 127.0.0.1", connect, res)
		}
		if err := res.Validate(probe.KindResolveConnect); err != nil {
			t.Error(err)
		}
	}
	// The control: a TCP-only whoami. Over TCP it answers; over UDP the kernel's ICMP port
	// unreachable refuses the datagram.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			fmt.Fprintf(c, "whoami tcponly saw %s at %s\n", c.RemoteAddr(), c.LocalAddr())
			c.Close()
		}
	}()
	tcpPort := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	want := map[string]probe.Outcome{"tcp": probe.OK, "udp": probe.Refused}
	for connect, outcome := range want {
		res, err := cmdResolveConnect(t.Context(), []string{"--server", resolver, "--name", "lo.lab.test", "--port", tcpPort, "--connect", connect, "--timeout", "1s"}, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if res.Result != outcome {
			t.Errorf("resolve then %s to a TCP-only server: %+v, want %s", connect, res, outcome)
		}
	}
	if _, err := cmdResolveConnect(t.Context(), []string{"--server", resolver, "--name", "lo.lab.test", "--connect", "sctp"}, io.Discard); err == nil {
		t.Error("--connect sctp was taken")
	}
}
