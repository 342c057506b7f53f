// Package dnstest is a loopback DNS server for tests of services that use
// the router's resolver: it answers A questions from a function the test
// controls, so that a test can change the answer while the router runs.
// It listens on 127.0.0.1 only and never forwards anywhere.
package dnstest

import (
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
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
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				if !errors.Is(err, net.ErrClosed) {
					t.Logf("test dns: read: %v", err)
				}
				return
			}
			if resp := respond(buf[:n], answer); resp != nil {
				_, _ = pc.WriteTo(resp, from)
			}
		}
	}()
	return pc.LocalAddr().(*net.UDPAddr).Port
}

// respond answers one query with one question, or nil for what it cannot
// read; types other than A get no records.
func respond(q []byte, answer Answer) []byte {
	if len(q) < 12 || binary.BigEndian.Uint16(q[2:])&0x8000 != 0 || binary.BigEndian.Uint16(q[4:]) != 1 {
		return nil
	}
	var labels []string
	off := 12
	for {
		if off >= len(q) {
			return nil
		}
		l := int(q[off])
		off++
		if l == 0 {
			break
		}
		if l > 63 || off+l > len(q) {
			return nil
		}
		labels = append(labels, string(q[off:off+l]))
		off += l
	}
	if off+4 > len(q) {
		return nil
	}
	qtype := binary.BigEndian.Uint16(q[off:])
	question := q[12 : off+4]
	addrs, ttl, ok := answer(strings.ToLower(strings.Join(labels, ".")))
	var rcode uint16
	if !ok {
		rcode, addrs = 3, nil
	}
	if qtype != 1 {
		addrs = nil
	}
	b := binary.BigEndian.AppendUint16(nil, binary.BigEndian.Uint16(q))
	b = binary.BigEndian.AppendUint16(b, 0x8180|rcode) // QR, RD, RA
	for _, n := range []int{1, len(addrs), 0, 0} {
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	}
	b = append(b, question...)
	for _, a := range addrs {
		b = append(b, 0xc0, 12, 0, 1, 0, 1)
		b = binary.BigEndian.AppendUint32(b, ttl)
		b = binary.BigEndian.AppendUint16(b, 4)
		a4 := a.As4()
		b = append(b, a4[:]...)
	}
	return b
}
