package wgdev

import (
	"net/netip"
	"os"
	"testing"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
	"golang.zx2c4.com/wireguard/tun"
)

// synTo is a TCP SYN from 10.66.0.1:40000 to dst, as a masquerading router
// routes it into the tunnel.
func synTo(dst string) []byte {
	p := make([]byte, 40)
	p[0] = 0x45
	p[3] = 40
	p[8] = 64
	p[9] = 6
	copy(p[12:16], netip.MustParseAddr("10.66.0.1").AsSlice())
	copy(p[16:20], netip.MustParseAddr(dst).AsSlice())
	p[20], p[21], p[22], p[23] = 0x9c, 0x40, 0x31, 0x16 // 40000 -> 12566
	p[33] = 0x02                                        // SYN
	return p
}

// A SYN to an address no peer covers is answered with ICMP host
// unreachable to its source, from the address it was for, quoting it; a
// covered one is not. The answer's IPv4 and ICMP checksums are right (the
// kernel drops a TUN packet with a wrong header checksum).
func TestHostUnreachable(t *testing.T) {
	allowed := []netip.Prefix{netip.MustParsePrefix("10.66.0.3/32")}
	if r := hostUnreachable(synTo("10.66.0.3"), allowed); r != nil {
		t.Fatalf("covered destination answered: % x", r)
	}
	syn := synTo("198.51.100.61")
	r := hostUnreachable(syn, allowed)
	if r == nil {
		t.Fatal("uncovered destination not answered")
	}
	h, err := ipv4.ParseHeader(r)
	if err != nil {
		t.Fatal(err)
	}
	if h.Src.String() != "198.51.100.61" || h.Dst.String() != "10.66.0.1" || h.Protocol != 1 || h.TotalLen != len(r) {
		t.Errorf("header %+v", h)
	}
	if headerChecksum(r[:20]) != 0 {
		t.Errorf("IPv4 header checksum wrong: % x", r[:20])
	}
	m, err := icmp.ParseMessage(1, r[20:])
	if err != nil {
		t.Fatal(err)
	}
	if m.Type != ipv4.ICMPTypeDestinationUnreachable || m.Code != 1 {
		t.Errorf("type %v code %d, want destination unreachable, host (1)", m.Type, m.Code)
	}
	if d, ok := m.Body.(*icmp.DstUnreach); !ok || string(d.Data) != string(syn) {
		t.Errorf("quote %+v, want the SYN", m.Body)
	}
	if headerChecksum(r[20:]) != 0 { // the Internet checksum over the message, its own field included
		t.Errorf("ICMP checksum wrong")
	}
}

// Linux sends no ICMP error about an ICMP error, a later fragment or a
// packet to a multicast group.
func TestHostUnreachableNotFor(t *testing.T) {
	allowed := []netip.Prefix{netip.MustParsePrefix("10.66.0.3/32")}
	icmpErr := synTo("198.51.100.61")
	icmpErr[9], icmpErr[20] = 1, 3
	frag := synTo("198.51.100.61")
	frag[7] = 8
	mcast := synTo("224.0.0.22")
	for name, p := range map[string][]byte{"icmp error": icmpErr, "fragment": frag, "multicast": mcast, "short": {0x45, 0}} {
		if r := hostUnreachable(p, allowed); r != nil {
			t.Errorf("%s answered", name)
		}
	}
}

// fakeTUN hands out the packets of reads and keeps what is written.
type fakeTUN struct {
	tun.Device
	reads   [][]byte
	written [][]byte
}

func (f *fakeTUN) Read(bufs [][]byte, sizes []int, offset int) (int, error) {
	for i, p := range f.reads {
		sizes[i] = copy(bufs[i][offset:], p)
	}
	return len(f.reads), nil
}

func (f *fakeTUN) Write(bufs [][]byte, offset int) (int, error) {
	for _, b := range bufs {
		f.written = append(f.written, append([]byte(nil), b[offset:]...))
	}
	return len(bufs), nil
}

func (f *fakeTUN) File() *os.File { return nil }

// Read leaves a packet no peer takes out of the batch (size 0, which
// wireguard-go skips) and writes the answer back into the TUN; the other
// packets reach the device unchanged. Before SetAllowed nothing is held back.
func TestNoPeerRead(t *testing.T) {
	f := &fakeTUN{reads: [][]byte{synTo("10.66.0.3"), synTo("198.51.100.61")}}
	np := &NoPeer{Device: f}
	bufs := [][]byte{make([]byte, 1500), make([]byte, 1500)}
	sizes := make([]int, 2)
	if n, _ := np.Read(bufs, sizes, 32); n != 2 || sizes[0] != 40 || sizes[1] != 40 || len(f.written) != 0 {
		t.Fatalf("before SetAllowed: n %d sizes %v, %d written", n, sizes, len(f.written))
	}
	np.SetAllowed([]netip.Prefix{netip.MustParsePrefix("10.66.0.0/24")})
	n, err := np.Read(bufs, sizes, 32)
	if err != nil || n != 2 {
		t.Fatalf("n %d err %v", n, err)
	}
	if sizes[0] != 40 || sizes[1] != 0 {
		t.Errorf("sizes %v, want [40 0]", sizes)
	}
	if len(f.written) != 1 || len(f.written[0]) != 20+8+40 {
		t.Fatalf("written %d packets, want one host unreachable", len(f.written))
	}
	if h, _ := ipv4.ParseHeader(f.written[0]); h == nil || h.Dst.String() != "10.66.0.1" {
		t.Errorf("answer %+v", h)
	}
}

// An IPv6 packet no peer takes is answered with ICMPv6 address unreachable
// to its source, with the checksum over the IPv6 pseudo-header; a covered
// one, and an ICMPv6 error, are not.
func TestHostUnreachable6(t *testing.T) {
	p := make([]byte, 40+20)
	p[0] = 6 << 4
	p[5] = 20
	p[6] = 6 // TCP
	p[7] = 64
	copy(p[8:24], netip.MustParseAddr("3fff:88::20").AsSlice())
	copy(p[24:40], netip.MustParseAddr("3fff:100::50").AsSlice())
	allowed := []netip.Prefix{netip.MustParsePrefix("3fff:66::/64")}
	r := hostUnreachable(p, allowed)
	if len(r) != 40+8+len(p) || r[0]>>4 != 6 || r[6] != 58 {
		t.Fatalf("answer % x", r)
	}
	src, dst := netip.AddrFrom16([16]byte(r[8:24])), netip.AddrFrom16([16]byte(r[24:40]))
	if src.String() != "3fff:100::50" || dst.String() != "3fff:88::20" {
		t.Errorf("answer from %s to %s", src, dst)
	}
	m, err := icmp.ParseMessage(58, r[40:])
	if err != nil || m.Type != ipv6.ICMPTypeDestinationUnreachable || m.Code != 3 {
		t.Fatalf("message %+v, %v", m, err)
	}
	again, err := m.Marshal(icmp.IPv6PseudoHeader(src.AsSlice(), dst.AsSlice()))
	if err != nil || string(again) != string(r[40:]) {
		t.Errorf("ICMPv6 checksum: % x, recomputed % x", r[42:44], again[2:4])
	}
	if hostUnreachable(p, append(allowed, netip.MustParsePrefix("::/0"))) != nil {
		t.Error("covered destination answered")
	}
	p[6], p[40] = 58, 1 // an ICMPv6 destination unreachable itself
	if hostUnreachable(p, allowed) != nil {
		t.Error("ICMPv6 error answered")
	}
}
