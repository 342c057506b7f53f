package wgdev

import (
	"encoding/binary"
	"iter"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
	"golang.zx2c4.com/wireguard/tun"
)

// NoPeer is the TUN side of a device that answers, as Linux's WireGuard
// does, a packet routed into the tunnel that no peer can carry: its
// destination is in no peer's allowed addresses, or the peer whose allowed
// addresses hold it has no endpoint yet (none configured, and none learnt
// from a handshake). Linux answers both with ICMP host unreachable, ICMPv6
// address unreachable (drivers/net/wireguard/device.c, wg_xmit: "No peer
// has allowed IPs matching" and "No valid endpoint has been configured or
// discovered for peer" both end in icmp_ndo_send with ICMP_HOST_UNREACH or
// icmpv6_ndo_send with ICMPV6_ADDR_UNREACH). wireguard-go drops the first
// without a word and holds the second until its queue overflows, so a host
// behind a router whose VPN peer lacks allowed-address=0.0.0.0/0, whose
// VPN peer is disabled while the interface stays up, or whose road
// warrior has not dialled in, waited for a timeout where RouterOS's kernel
// tells it at once (forum49 D4).
//
// The kernel's answer comes from the router's own address; an answer
// written into the TUN cannot (the kernel drops a packet that arrives with
// one of its own addresses as source), so this one comes from the address
// the packet was for. The host sees host unreachable either way, and the
// router's connection tracking takes the answer as related to the
// connection, undoing its NAT on the way back, as it does for an error
// from beyond the tunnel.
type NoPeer struct {
	tun.Device
	peers atomic.Pointer[[]Peer]
	// state is the device's IpcGet, which tells the endpoints the peers
	// have learnt; set by Open before any SetPeers.
	state func() (string, error)
	// reached holds the peers known to have an endpoint since the last
	// SetPeers: wireguard-go never forgets one, so only a peer without
	// one needs the device asked again.
	mu      sync.Mutex
	reached map[string]bool
	// closing is closed by Close. wireguard-go's Device.Close holds the
	// device's IPC lock while it closes the TUN and waits for the TUN
	// reader to end, so a reader asking IpcGet then would wait for the
	// lock for ever; it stops waiting when closing is closed.
	initOnce, closeOnce sync.Once
	closing             chan struct{}
}

// Close closes the TUN, and first lets a reader that waits for the
// device's state go on.
func (t *NoPeer) Close() error {
	t.closeOnce.Do(func() { close(t.closingChan()) })
	return t.Device.Close()
}

// closingChan is closing, made on first use so that a NoPeer literal
// works.
func (t *NoPeer) closingChan() chan struct{} {
	t.initOnce.Do(func() { t.closing = make(chan struct{}) })
	return t.closing
}

// Peer is a peer of the device as NoPeer needs it: its public key in hex,
// as WireGuard's configuration protocol writes it, and its allowed
// addresses.
type Peer struct {
	Key     string
	Allowed []netip.Prefix
	// Waits: the peer has an endpoint the device is not given, so that it
	// starts no handshake (a RouterOS responder peer with an
	// endpoint-address). Its packets wait for the far end's handshake, as
	// they would in a kernel that holds the endpoint, and are not
	// answered.
	Waits bool
}

// SetPeers sets the device's peers in the order they were configured;
// before the first call every packet goes to the device, as before.
func (t *NoPeer) SetPeers(p []Peer) {
	c := append([]Peer(nil), p...)
	t.mu.Lock()
	t.reached = map[string]bool{}
	t.mu.Unlock()
	t.peers.Store(&c)
}

// replyOffset is the headroom of an answer written into the TUN: the Linux
// TUN writer puts its virtio header in front of the packet.
const replyOffset = 16

// Read hands the device the packets some peer takes; each other one is
// answered and left out (a size of 0, which the device skips).
func (t *NoPeer) Read(bufs [][]byte, sizes []int, offset int) (int, error) {
	n, err := t.Device.Read(bufs, sizes, offset)
	peers := t.peers.Load()
	if peers == nil {
		return n, err
	}
	takes := func(dst netip.Addr) bool {
		p, ok := route(*peers, dst)
		return ok && (p.Waits || t.hasEndpoint(p.Key))
	}
	for i := 0; i < n; i++ {
		reply := hostUnreachable(bufs[i][offset:offset+sizes[i]], takes)
		if reply == nil {
			continue
		}
		sizes[i] = 0
		buf := make([]byte, replyOffset+len(reply))
		copy(buf[replyOffset:], reply)
		_, _ = t.Device.Write([][]byte{buf}, replyOffset) // best effort, as the kernel's ICMP is
	}
	return n, err
}

// route is the peer WireGuard's cryptokey routing sends dst to: the one
// whose allowed address holding dst is the longest. An address given to
// two peers belongs to the later one, as a later allowed_ip line moves it.
func route(peers []Peer, dst netip.Addr) (Peer, bool) {
	var to Peer
	bits := -1
	for _, p := range peers {
		for _, a := range p.Allowed {
			if a.Bits() >= bits && a.Contains(dst) {
				to, bits = p, a.Bits()
			}
		}
	}
	return to, bits >= 0
}

// hasEndpoint: the peer has an endpoint, configured or learnt. The device
// is asked while the peer has none, so that the first packet after a road
// warrior's handshake finds the endpoint the handshake taught.
func (t *NoPeer) hasEndpoint(key string) bool {
	if t.state == nil {
		return true
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.reached[key] {
		return true
	}
	type answer struct {
		state string
		err   error
	}
	got := make(chan answer, 1) // the asking goroutine ends even when nobody waits
	go func() {
		s, err := t.state()
		got <- answer{s, err}
	}()
	var a answer
	select {
	case a = <-got:
	case <-t.closingChan():
		return true // the device is closing: the packet goes nowhere
	}
	state, err := a.state, a.err
	if err != nil {
		return true // in doubt the packet goes to the device, as before
	}
	for k := range endpoints(state) {
		t.reached[k] = true
	}
	return t.reached[key]
}

// endpoints yields the public keys of the peers that have an endpoint in
// a device's state as WireGuard's configuration protocol writes it.
func endpoints(state string) iter.Seq[string] {
	return func(yield func(string) bool) {
		peer := ""
		for line := range strings.SplitSeq(state, "\n") {
			k, v, _ := strings.Cut(line, "=")
			switch k {
			case "public_key":
				peer = v
			case "endpoint":
				if peer != "" && v != "" && !yield(peer) {
					return
				}
			}
		}
	}
}

// How much of the packet an ICMP error carries: as much as keeps the
// error within 576 bytes for IPv4 (RFC 1812 4.3.2.3; Linux's icmp_send)
// and within the minimum MTU of 1280 for IPv6 (RFC 4443 2.4 (c)).
const (
	icmpQuote   = 576 - 20 - 8
	icmpv6Quote = 1280 - 40 - 8
)

// hostUnreachable is the ICMP error Linux's WireGuard answers a packet
// with whose destination no peer takes (host unreachable; for IPv6 address
// unreachable), or nil: for a packet a peer takes, and
// for those Linux sends no error about (an ICMP error, a fragment after
// the first, a multicast or broadcast destination, a source that is no
// host's).
func hostUnreachable(pkt []byte, takes func(netip.Addr) bool) []byte {
	if len(pkt) == 0 {
		return nil
	}
	switch pkt[0] >> 4 {
	case 4:
		return hostUnreachable4(pkt, takes)
	case 6:
		return hostUnreachable6(pkt, takes)
	}
	return nil
}

func hostUnreachable4(pkt []byte, takes func(netip.Addr) bool) []byte {
	if len(pkt) < ipv4.HeaderLen {
		return nil
	}
	ihl := int(pkt[0]&0x0f) * 4
	if ihl < ipv4.HeaderLen || len(pkt) < ihl {
		return nil
	}
	src := netip.AddrFrom4([4]byte(pkt[12:16]))
	dst := netip.AddrFrom4([4]byte(pkt[16:20]))
	if binary.BigEndian.Uint16(pkt[6:8])&0x1fff != 0 {
		return nil
	}
	if !src.IsGlobalUnicast() && !src.IsLinkLocalUnicast() || dst.IsMulticast() || dst == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return nil
	}
	if pkt[9] == 1 && len(pkt) > ihl && isICMPError(pkt[ihl]) {
		return nil
	}
	if takes(dst) { // last: it may ask the device
		return nil
	}
	quote := pkt[:min(len(pkt), icmpQuote)]
	msg, err := (&icmp.Message{Type: ipv4.ICMPTypeDestinationUnreachable, Code: 1, Body: &icmp.DstUnreach{Data: quote}}).Marshal(nil)
	if err != nil {
		return nil
	}
	h := ipv4.Header{Version: 4, Len: ipv4.HeaderLen, TOS: 0xc0, TotalLen: ipv4.HeaderLen + len(msg), TTL: 64, Protocol: 1,
		Src: dst.AsSlice(), Dst: src.AsSlice()} // TOS: Linux sends ICMP errors as internetwork control
	hb, err := h.Marshal()
	if err != nil {
		return nil
	}
	binary.BigEndian.PutUint16(hb[10:12], headerChecksum(hb))
	return append(hb, msg...)
}

// hostUnreachable6 is the ICMPv6 address unreachable (type 1, code 3:
// icmpv6_ndo_send's ICMPV6_ADDR_UNREACH) for an IPv6 packet no peer takes.
// An ICMPv6 error behind extension headers is answered; Linux skips them.
func hostUnreachable6(pkt []byte, takes func(netip.Addr) bool) []byte {
	if len(pkt) < ipv6.HeaderLen {
		return nil
	}
	src := netip.AddrFrom16([16]byte(pkt[8:24]))
	dst := netip.AddrFrom16([16]byte(pkt[24:40]))
	if !src.IsGlobalUnicast() && !src.IsLinkLocalUnicast() || dst.IsMulticast() {
		return nil
	}
	if pkt[6] == 58 && len(pkt) > ipv6.HeaderLen && pkt[ipv6.HeaderLen] < 128 { // types below 128 are errors (RFC 4443 2.1)
		return nil
	}
	if takes(dst) {
		return nil
	}
	quote := pkt[:min(len(pkt), icmpv6Quote)]
	msg, err := (&icmp.Message{Type: ipv6.ICMPTypeDestinationUnreachable, Code: 3, Body: &icmp.DstUnreach{Data: quote}}).Marshal(icmp.IPv6PseudoHeader(dst.AsSlice(), src.AsSlice()))
	if err != nil {
		return nil
	}
	out := make([]byte, ipv6.HeaderLen, ipv6.HeaderLen+len(msg))
	out[0] = 6 << 4
	binary.BigEndian.PutUint16(out[4:6], uint16(len(msg)))
	out[6] = 58
	out[7] = 64
	copy(out[8:24], pkt[24:40])
	copy(out[24:40], pkt[8:24])
	return append(out, msg...)
}

// isICMPError: the ICMP types that are errors, about which no error is
// sent (RFC 1122 3.2.2).
func isICMPError(typ byte) bool {
	switch typ {
	case 3, 4, 5, 11, 12:
		return true
	}
	return false
}

// headerChecksum is the checksum of an IPv4 header (RFC 791), which
// x/net's ipv4.Header.Marshal leaves to the kernel's raw sockets; a packet
// written into a TUN needs it.
func headerChecksum(h []byte) uint16 {
	var s uint32
	for i := 0; i+1 < len(h); i += 2 {
		s += uint32(binary.BigEndian.Uint16(h[i:]))
	}
	s = s&0xffff + s>>16
	s += s >> 16
	return ^uint16(s)
}
