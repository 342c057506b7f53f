package agentcmd

import (
	"context"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/chrlab/chrlab/harness/probe"
)

func TestPublicDNS(t *testing.T) {
	o, err := parseNodeFlags([]string{"--name", "dns", "--serve", "dns", "--zone", "myserver.net=203.0.113.2",
		"--zone", "WWW.myserver.net.=203.0.113.2", "--zone", "multi.test=198.51.100.1", "--zone", "multi.test=198.51.100.2"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o.serve, []string{"dns"}) || len(o.zones) != 3 {
		t.Fatalf("options = %+v", o)
	}
	// The UDP port the kernel picks may be taken over TCP by another test on this machine.
	var s *publicDNS
	for attempt := 0; s == nil; attempt++ {
		if s, err = listenPublicDNS("127.0.0.1", 0, o.zones); err != nil && attempt == 10 {
			t.Fatal(err)
		}
	}
	defer s.close()
	s.serve(t.Logf)
	server := s.udp.LocalAddr().String()
	tests := []struct {
		name    string
		qtype   uint16
		tcp     bool
		result  probe.Outcome
		answers []string
	}{
		{"myserver.net", dns.TypeA, false, probe.OK, []string{"203.0.113.2"}},
		{"www.MyServer.net", dns.TypeA, true, probe.OK, []string{"203.0.113.2"}},
		{"multi.test", dns.TypeA, false, probe.OK, []string{"198.51.100.1", "198.51.100.2"}},
		{"myserver.net", dns.TypeAAAA, false, probe.NoData, []string{}}, // the name exists, no AAAA
		{"ftp.myserver.net", dns.TypeA, false, probe.NXDomain, []string{}},
		{"other.example", dns.TypeA, true, probe.NXDomain, []string{}},
	}
	for _, tt := range tests {
		// The bound only keeps a broken server from hanging the test.
		res := probeDNS(context.Background(), dnsOptions{server: server, name: tt.name, qtype: tt.qtype, tcp: tt.tcp, timeout: 5 * time.Second})
		if res.Result != tt.result || !slices.Equal(res.Answers, tt.answers) {
			t.Errorf("%s type %d tcp=%v: %s %v (%s), want %s %v", tt.name, tt.qtype, tt.tcp, res.Result, res.Answers, res.Error, tt.result, tt.answers)
		}
		if len(tt.answers) > 0 && res.TTL != publicDNSTTL {
			t.Errorf("%s: ttl %d", tt.name, res.TTL)
		}
	}
	for _, bad := range []string{"noequals", "x.test=not-an-ip", "x.test=2001:db8::1", "a..b=1.2.3.4"} {
		if _, err := parseNodeFlags([]string{"--name", "dns", "--serve", "dns", "--zone", bad}, io.Discard); err == nil {
			t.Errorf("--zone %s accepted", bad)
		}
	}
	// A response gets no answer and an unreadable question FORMERR. One TCP connection carries
	// both, and the server reads its queries in order: had the response been answered, that
	// answer would come first.
	c, err := (&dns.Client{Net: "tcp"}).Dial(s.tcp.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second)) // only keeps a broken server from hanging the test
	for _, q := range [][]byte{
		{0, 1, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0},      // a response, id 1
		{0, 2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, 'a'}, // a cut question, id 2
	} {
		if _, err := c.Write(q); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := c.ReadMsgHeader(nil)
	if err != nil || len(resp) != 12 || resp[1] != 2 || resp[3]&0xf != dns.RcodeFormatError {
		t.Errorf("cut question: % x %v", resp, err)
	}
}
