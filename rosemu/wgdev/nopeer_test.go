package wgdev

import (
	"bytes"
	"encoding/base64"
	"net/netip"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/wgkey"
	"golang.zx2c4.com/wireguard/conn"
	"golang.zx2c4.com/wireguard/device"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
	"golang.zx2c4.com/wireguard/tun"
)

// within is a peer table's verdict for peers that all have an endpoint:
// some prefix holds the address.
func within(allowed ...netip.Prefix) func(netip.Addr) bool {
	return func(a netip.Addr) bool {
		_, ok := route([]Peer{{Key: "k", Allowed: allowed}}, a)
		return ok
	}
}

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
	allowed := within(netip.MustParsePrefix("10.66.0.3/32"))
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
	allowed := within(netip.MustParsePrefix("10.66.0.3/32"))
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
// packets reach the device unchanged. Before SetPeers nothing is held back.
func TestNoPeerRead(t *testing.T) {
	f := &fakeTUN{reads: [][]byte{synTo("10.66.0.3"), synTo("198.51.100.61")}}
	np := &NoPeer{Device: f}
	bufs := [][]byte{make([]byte, 1500), make([]byte, 1500)}
	sizes := make([]int, 2)
	if n, _ := np.Read(bufs, sizes, 32); n != 2 || sizes[0] != 40 || sizes[1] != 40 || len(f.written) != 0 {
		t.Fatalf("before SetPeers: n %d sizes %v, %d written", n, sizes, len(f.written))
	}
	np.SetPeers([]Peer{{Key: "k", Allowed: []netip.Prefix{netip.MustParsePrefix("10.66.0.0/24")}}})
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
	allowed := within(netip.MustParsePrefix("3fff:66::/64"))
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
	if hostUnreachable(p, within(netip.MustParsePrefix("3fff:66::/64"), netip.MustParsePrefix("::/0"))) != nil {
		t.Error("covered destination answered")
	}
	p[6], p[40] = 58, 1 // an ICMPv6 destination unreachable itself
	if hostUnreachable(p, allowed) != nil {
		t.Error("ICMPv6 error answered")
	}
}

// A packet for a peer that has no endpoint is answered as one for no peer
// (Linux's wg_xmit: "No valid endpoint has been configured or discovered",
// then the same ICMP), as long as the device reports none; once a
// handshake has taught the device the endpoint, the next packet goes
// through. The most specific allowed address decides which peer that is.
func TestNoPeerWithoutEndpoint(t *testing.T) {
	f := &fakeTUN{reads: [][]byte{synTo("10.66.0.3"), synTo("10.66.0.77")}}
	np := &NoPeer{Device: f}
	state := "private_key=00\npublic_key=aa\nendpoint=192.0.2.7:51820\nallowed_ip=10.66.0.0/24\n" +
		"public_key=bb\nallowed_ip=10.66.0.3/32\n"
	asked := 0
	np.state = func() (string, error) { asked++; return state, nil }
	np.SetPeers([]Peer{
		{Key: "aa", Allowed: []netip.Prefix{netip.MustParsePrefix("10.66.0.0/24")}},
		{Key: "bb", Allowed: []netip.Prefix{netip.MustParsePrefix("10.66.0.3/32")}},
	})
	bufs := [][]byte{make([]byte, 1500), make([]byte, 1500)}
	sizes := make([]int, 2)
	if n, _ := np.Read(bufs, sizes, 32); n != 2 || sizes[0] != 0 || sizes[1] != 40 || len(f.written) != 1 {
		t.Fatalf("bb without endpoint: n %d sizes %v, %d written; want [0 40] and one answer", n, sizes, len(f.written))
	}
	state += "endpoint=198.51.100.9:40000\n" // bb's handshake taught it
	if _, _ = np.Read(bufs, sizes, 32); sizes[0] != 40 || sizes[1] != 40 || len(f.written) != 1 {
		t.Errorf("after the handshake: sizes %v, %d written; want [40 40], no new answer", sizes, len(f.written))
	}
	before := asked
	if _, _ = np.Read(bufs, sizes, 32); asked != before {
		t.Errorf("the device was asked again for peers known to have an endpoint (%d times)", asked-before)
	}
}

// endpoints reads wireguard-go's own state: a peer configured with an
// endpoint has one, a peer without has none.
func TestEndpointsOfDevice(t *testing.T) {
	d := device.NewDevice(&idleTUN{done: make(chan struct{})}, conn.NewDefaultBind(), device.NewLogger(device.LogLevelSilent, ""))
	defer d.Close()
	a, b := wgkey.Hex(testKey(1)), wgkey.Hex(testKey(2))
	if err := d.IpcSet("private_key=" + wgkey.Hex(testKey(3)) + "\npublic_key=" + a + "\nendpoint=192.0.2.7:51820\nallowed_ip=10.66.0.0/24\npublic_key=" + b + "\nallowed_ip=10.66.0.3/32\n"); err != nil {
		t.Fatal(err)
	}
	s, err := d.IpcGet()
	if err != nil {
		t.Fatal(err)
	}
	got := slices.Collect(endpoints(s))
	if !slices.Equal(got, []string{a}) {
		t.Errorf("peers with an endpoint %v, want only %s", got, a)
	}
}

// testKey is a base64 WireGuard key of 32 bytes of n.
func testKey(n byte) string {
	return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{n}, 32))
}

// idleTUN is a TUN that yields nothing until the device closes it.
type idleTUN struct {
	tun.Device
	done chan struct{}
}

func (i *idleTUN) Read([][]byte, []int, int) (int, error) { <-i.done; return 0, os.ErrClosed }
func (i *idleTUN) Close() error                           { close(i.done); return nil }
func (i *idleTUN) Events() <-chan tun.Event               { return make(chan tun.Event) }
func (i *idleTUN) MTU() (int, error)                      { return 1420, nil }
func (i *idleTUN) BatchSize() int                         { return 1 }

// closingTUN hands out one packet only once the device is
// closing it, the moment wireguard-go's Device.Close holds the IPC lock
// and waits for the TUN reader to end.
type closingTUN struct {
	idleTUN
	pkt  []byte
	sent bool
}

func (c *closingTUN) Read(bufs [][]byte, sizes []int, offset int) (int, error) {
	<-c.done
	if c.sent {
		return 0, os.ErrClosed
	}
	c.sent = true
	sizes[0] = copy(bufs[0][offset:], c.pkt)
	return 1, nil
}

func (c *closingTUN) Write(bufs [][]byte, _ int) (int, error) { return len(bufs), nil }

// A packet for a peer without endpoint read while the device closes asks
// the device's state, whose lock Close holds while it waits for the
// reader: Close must still end. Without NoPeer's Close the reader waited
// for the lock for ever and Close for the reader (the 10-s bound is only
// there to fail rather than hang; it passes in milliseconds).
func TestNoPeerCloseWhileAsking(t *testing.T) {
	ct := &closingTUN{idleTUN: idleTUN{done: make(chan struct{})}, pkt: synTo("10.66.0.3")}
	np := &NoPeer{Device: ct}
	d := device.NewDevice(np, conn.NewDefaultBind(), device.NewLogger(device.LogLevelSilent, ""))
	np.state = d.IpcGet
	b := wgkey.Hex(testKey(2))
	if err := d.IpcSet("private_key=" + wgkey.Hex(testKey(3)) + "\npublic_key=" + b + "\nallowed_ip=10.66.0.0/24\n"); err != nil {
		t.Fatal(err)
	}
	np.SetPeers([]Peer{{Key: b, Allowed: []netip.Prefix{netip.MustParsePrefix("10.66.0.0/24")}}})
	closed := make(chan struct{})
	go func() { d.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Device.Close did not return: the TUN reader waits for the device's state")
	}
}
