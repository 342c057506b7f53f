package main

import (
	"encoding/binary"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

// The test server builds its answers byte by byte, independently of the codec under test, so
// that a symmetric mistake in encoder and decoder cannot pass.

// wireName is name in wire form, written out by hand.
func wireName(labels ...string) []byte {
	var b []byte
	for _, l := range labels {
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	return append(b, 0)
}

// testAnswer answers a query q (raw bytes) for the zone used in these tests:
//
//	www.lab.test.  CNAME  srv.lab.test.   (ttl 300)
//	srv.lab.test.  A      198.51.100.7    (ttl 60)
//	srv.lab.test.  AAAA   2001:db8::7     (ttl 60)
//	fail.lab.test. -> SERVFAIL; big.lab.test. -> truncated over UDP; anything else NXDOMAIN.
func testAnswer(q []byte, overTCP bool) []byte {
	qname, qend, err := readName(q, dnsHeaderLen)
	if err != nil {
		return nil
	}
	qtype := binary.BigEndian.Uint16(q[qend:])
	resp := append([]byte{}, q[:qend+4]...) // header and the question
	flags := uint16(0x8180)                 // QR, RD, RA, NOERROR
	var answers [][]byte
	a := func(typ uint16, ttl uint32, rdata []byte, owner []byte) {
		rr := append([]byte{}, owner...)
		rr = binary.BigEndian.AppendUint16(rr, typ)
		rr = binary.BigEndian.AppendUint16(rr, 1)
		rr = binary.BigEndian.AppendUint32(rr, ttl)
		rr = binary.BigEndian.AppendUint16(rr, uint16(len(rdata)))
		answers = append(answers, append(rr, rdata...))
	}
	ptrQ := []byte{0xc0, 12} // the question's name
	srvData := wireName("srv", "lab", "test")
	switch qname {
	case "www.lab.test.":
		a(5, 300, srvData, ptrQ)
		// The CNAME target starts after the question (4 bytes), the answer's owner pointer
		// (2) and its type, class, ttl and length (10).
		ptrSrv := []byte{0xc0, byte(qend + 4 + 2 + 10)}
		if qtype == 1 {
			a(1, 60, []byte{198, 51, 100, 7}, ptrSrv)
		}
	case "srv.lab.test.":
		switch qtype {
		case 1:
			a(1, 60, []byte{198, 51, 100, 7}, ptrQ)
		case 28:
			a(28, 60, []byte{0x20, 0x01, 0x0d, 0xb8, 14: 0, 15: 7}, ptrQ)
		}
	case "fail.lab.test.":
		flags |= 2
	case "big.lab.test.":
		if !overTCP {
			flags |= dnsFlagTC
			break
		}
		for i := range 3 {
			a(1, uint32(100+i), []byte{198, 51, 100, byte(20 + i)}, ptrQ)
		}
	default:
		flags |= 3
	}
	binary.BigEndian.PutUint16(resp[2:], flags)
	binary.BigEndian.PutUint16(resp[6:], uint16(len(answers)))
	for _, rr := range answers {
		resp = append(resp, rr...)
	}
	return resp
}

// startDNS serves testAnswer over UDP and TCP on one loopback port.
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
	go func() {
		buf := make([]byte, 512)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			pc.WriteTo(testAnswer(buf[:n], false), from)
		}
	}()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				var l [2]byte
				if _, err := io.ReadFull(c, l[:]); err != nil {
					return
				}
				q := make([]byte, binary.BigEndian.Uint16(l[:]))
				if _, err := io.ReadFull(c, q); err != nil {
					return
				}
				r := testAnswer(q, true)
				c.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(r))), r...))
			}()
		}
	}()
	return addr
}

func TestBuildQuery(t *testing.T) {
	q, err := buildQuery(0xbeef, "srv.lab.test.", dnsTypeAAAA)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}
	want = append(want, wireName("srv", "lab", "test")...)
	want = append(want, 0, 28, 0, 1)
	if !slices.Equal(q, want) {
		t.Fatalf("buildQuery = % x\nwant          % x", q, want)
	}
	for _, bad := range []string{"a..b", strings.Repeat("x", 64) + ".lab"} {
		if _, err := buildQuery(1, bad, dnsTypeA); err == nil {
			t.Errorf("buildQuery(%q) succeeded, want an error", bad)
		}
	}
}

func TestReadNameRejectsLoops(t *testing.T) {
	// A pointer to itself, and a pointer forward: both must fail rather than loop.
	for _, b := range [][]byte{
		append(make([]byte, 12), 0xc0, 12),
		append(make([]byte, 12), 0xc0, 14, 1, 'a', 0),
	} {
		if _, _, err := readName(b, 12); err == nil {
			t.Errorf("readName(% x) succeeded, want an error", b)
		}
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
		{"srv.lab.test", dnsTypeA, false, probe.OK, "NOERROR", []string{"198.51.100.7"}, nil, 60},
		{"srv.lab.test", dnsTypeA, true, probe.OK, "NOERROR", []string{"198.51.100.7"}, nil, 60},
		{"srv.lab.test", dnsTypeAAAA, false, probe.OK, "NOERROR", []string{"2001:db8::7"}, nil, 60},
		{"www.lab.test", dnsTypeA, false, probe.OK, "NOERROR", []string{"198.51.100.7"}, []string{"srv.lab.test."}, 60},
		{"www.lab.test", dnsTypeCNAME, false, probe.OK, "NOERROR", []string{"srv.lab.test."}, []string{"srv.lab.test."}, 300},
		{"nothing.lab.test", dnsTypeA, false, probe.NXDomain, "NXDOMAIN", nil, nil, 0},
		{"fail.lab.test", dnsTypeA, false, probe.ServFail, "SERVFAIL", nil, nil, 0},
		// Truncated over UDP: the probe must ask again over TCP to see the three records.
		{"big.lab.test", dnsTypeA, false, probe.OK, "NOERROR", []string{"198.51.100.20", "198.51.100.21", "198.51.100.22"}, nil, 100},
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
	res := probeDNS(t.Context(), dnsOptions{server: closed, name: "srv.lab.test", qtype: dnsTypeA, timeout: time.Second})
	if res.Result != probe.Refused {
		t.Errorf("dns to a closed udp port = %v, want refused", res)
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	res = probeDNS(t.Context(), dnsOptions{server: pc.LocalAddr().String(), name: "srv.lab.test", qtype: dnsTypeA, timeout: 200 * time.Millisecond})
	if res.Result != probe.Timeout {
		t.Errorf("dns to a silent socket = %v, want timeout", res)
	}
}
