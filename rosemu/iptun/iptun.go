// Package iptun is a GRE (RFC 2784, IP protocol 47) and IPIP (RFC 2003,
// IP protocol 4) tunnel in user space, for kernels without the gre and
// ipip modules: rosemu's /interface gre and /interface ipip, and the lab
// agent's far end of them. The inner packets go through a TUN link; the
// outer ones through a raw IP socket of the tunnel's protocol in the
// calling process's network namespace, so they cross that namespace's
// output and input chains as a kernel tunnel's do, and an input rule
// dropping protocol=gre (or ipencap) stops the tunnel. The raw socket
// taking the protocol also keeps the kernel from answering the far end's
// packets with ICMP protocol unreachable (a raw socket that received a
// packet counts as its delivery).
//
// Keepalive is Cisco's (as RouterOS's GRE answers and sends it): a tunnel
// packet whose inner packet is addressed from the far end back to this
// end, carrying an empty tunnel header (GRE protocol 0); the far end
// decapsulates it and routes it back, so an answer proves both ways.
// While the keepalives go unanswered for the retries, the TUN link loses
// its carrier: the kernel then passes over the routes through it
// (ignore_routes_with_linkdown), as RouterOS makes them inactive, and the
// first answer brings it back.
//
// EoIP (MikroTik's Ethernet over IP) rides on the same protocol 47 with
// a header of its own (EncapEoIP) and carries Ethernet frames, so its link
// is a TAP, which a bridge may take as a port. Its keepalive is not
// Cisco's: each end sends an EoIP header with an empty frame every
// interval and nothing is echoed; a tunnel that hears none from the far
// end for the retries loses its carrier until the next one arrives.
package iptun

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/chrlab/chrlab/rosemu/tundev"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// Proto is the IP protocol that carries the tunnel.
type Proto int

const (
	GRE  Proto = 47 // RFC 2784
	IPIP Proto = 4  // RFC 2003 ("ipencap")
)

func (p Proto) String() string {
	switch p {
	case GRE:
		return "gre"
	case IPIP:
		return "ipip"
	}
	return fmt.Sprintf("proto %d", int(p))
}

// Overhead is what the tunnel adds to an inner packet: the outer IPv4
// header and, for GRE, its 4-byte header (GRE page of the manual: "GRE
// tunnel adds a 24 byte overhead").
func (p Proto) Overhead() int {
	if p == GRE {
		return 24
	}
	return 20
}

// EoIPOverhead is what EoIP adds to a frame: the outer IPv4 header, its
// 8-byte header and the inner Ethernet header (the 1458 mtu RouterOS
// gives an EoIP tunnel over a 1500 path).
const EoIPOverhead = 20 + eoipHdrLen + 14

// Config is one tunnel.
type Config struct {
	Link  string // the TUN (TAP for EoIP) link of the inner packets; made (for the process's life) when missing
	Proto Proto
	// EoIP makes the tunnel MikroTik's EoIP (Proto is GRE's 47): the
	// link is a TAP and carries Ethernet frames, and only the far end's
	// packets of TunnelID are taken.
	EoIP     bool
	TunnelID uint16
	Local    netip.Addr // the outer source; invalid: the routing table's choice per packet
	Remote   netip.Addr // the far end
	// Keepalive is the interval of the keepalives (0: none, the tunnel
	// always runs) and Retries how many may go unanswered in a row
	// before the tunnel stops running.
	Keepalive time.Duration
	Retries   int
	// OnRunning, if set, is called when keepalive changes whether the
	// tunnel runs (from the tunnel's goroutine).
	OnRunning func(running bool)
	Logf      func(format string, args ...any)
}

// Tunnel is a running tunnel; Close ends it.
type Tunnel struct {
	cfg  Config
	tun  *os.File
	raw  *net.IPConn
	ns   netns.NsHandle // the namespace Start ran in, for routedSource
	stop chan struct{}
	wg   sync.WaitGroup

	sendFailing atomic.Bool // the last send of a routed packet failed (sent)

	mu       sync.Mutex
	running  bool
	answered bool // a keepalive answer came since the last keepalive
	missed   int
	kaStop   chan struct{} // ends the current keepalive loop (nil: none runs)
}

// vnetHdrLen is the virtio header before each packet on a TUN link made
// with IFF_VNET_HDR (rosemu's TUN links are, kernel.TunFlags); with no
// offloads set on the link it is all zeros.
const vnetHdrLen = 10

// Start opens the TUN link and the raw socket and carries packets until
// Close.
func Start(c Config) (*Tunnel, error) {
	if c.EoIP {
		c.Proto = GRE
	}
	if c.Proto != GRE && c.Proto != IPIP {
		return nil, fmt.Errorf("tunnel %s: protocol %d is neither GRE (47) nor IPIP (4)", c.Link, int(c.Proto))
	}
	if !c.Remote.Is4() || (c.Local.IsValid() && !c.Local.Is4() && !c.Local.IsUnspecified()) {
		return nil, fmt.Errorf("tunnel %s: only IPv4 outer addresses are carried (remote %v, local %v)", c.Link, c.Remote, c.Local)
	}
	if c.Local.IsUnspecified() {
		c.Local = netip.Addr{}
	}
	if c.Logf == nil {
		c.Logf = func(string, ...any) {}
	}
	open := OpenTUN
	if c.EoIP {
		open = OpenTAP
	}
	tun, err := open(c.Link)
	if err != nil {
		return nil, err
	}
	laddr := ""
	if c.Local.IsValid() {
		laddr = c.Local.String()
	}
	// The socket binds local-address even when the host does not hold it
	// (IP_FREEBIND): RouterOS keeps such a stateless tunnel, whose
	// packets Linux cannot send from a source it does not hold, so what
	// is routed into it is lost (and its keepalive, unsent, fails). The
	// tunnel was not started before, its link had no carrier, and the
	// routes through it gave way to the default route: the traffic left
	// in clear text (forum58 D4, the "GRE behind NAT" local-address of
	// the upstream's public address). It works as soon as the address
	// is the host's.
	lc := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_FREEBIND, 1)
			if serr == nil {
				// dont-fragment=no (RouterOS's default): the outer
				// packet goes without DF and is fragmented on the
				// way if it must be.
				serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_MTU_DISCOVER, unix.IP_PMTUDISC_DONT)
			}
		})
		if err != nil {
			return err
		}
		return serr
	}}
	pc, err := lc.ListenPacket(context.Background(), fmt.Sprintf("ip4:%d", int(c.Proto)), laddr)
	if err != nil {
		tun.Close()
		return nil, fmt.Errorf("tunnel %s: raw %s socket: %w", c.Link, c.Proto, err)
	}
	raw := pc.(*net.IPConn)
	ns, err := netns.Get()
	if err != nil {
		raw.Close()
		tun.Close()
		return nil, fmt.Errorf("tunnel %s: %w", c.Link, err)
	}
	t := &Tunnel{cfg: c, tun: tun, raw: raw, ns: ns, stop: make(chan struct{}), running: true}
	t.setCarrier(true)
	t.wg.Add(2)
	go t.fromTUN()
	go t.fromRaw()
	t.mu.Lock()
	t.startKeepaliveLocked()
	t.mu.Unlock()
	return t, nil
}

// SetKeepalive changes the keepalive interval and retries of a running
// tunnel in place, with a fresh count. The tunnel is not restarted: a
// restart lets go of the TUN link, whose carrier would drop for a moment,
// and traffic routed then would take the default route in clear text
// (a set of keepalive alone does not take a RouterOS tunnel down).
// Without keepalive the tunnel runs.
func (t *Tunnel) SetKeepalive(interval time.Duration, retries int) {
	t.mu.Lock()
	if t.kaStop != nil {
		close(t.kaStop)
		t.kaStop = nil
	}
	t.cfg.Keepalive, t.cfg.Retries = interval, retries
	t.answered, t.missed = false, 0
	up := interval <= 0 && !t.running
	if up {
		t.running = true
	}
	select {
	case <-t.stop:
	default:
		t.startKeepaliveLocked()
	}
	t.mu.Unlock()
	if up {
		t.setCarrier(true)
		if t.cfg.OnRunning != nil {
			t.cfg.OnRunning(true)
		}
	}
}

// startKeepaliveLocked starts the keepalive loop when the tunnel has one;
// t.mu is held.
func (t *Tunnel) startKeepaliveLocked() {
	if t.cfg.Keepalive <= 0 {
		return
	}
	t.kaStop = make(chan struct{})
	t.wg.Add(1)
	go t.keepalive(t.cfg.Keepalive, max(t.cfg.Retries, 1), t.kaStop)
}

// Running reports whether the tunnel runs (keepalive has not failed).
func (t *Tunnel) Running() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.running
}

// Close stops the tunnel and lets go of the TUN link (a link the tunnel
// made goes with it; a persistent one loses its carrier).
func (t *Tunnel) Close() {
	select {
	case <-t.stop:
		return
	default:
	}
	close(t.stop)
	t.raw.Close()
	t.tun.Close()
	t.wg.Wait()
	t.ns.Close()
}

// OpenTUN attaches to the TUN link name in the calling thread's namespace
// (making it, for as long as the file is open, when missing), in the mode
// rosemu makes its TUN links: IPv4/IPv6 packets with no packet
// information and a virtio header.
func OpenTUN(name string) (*os.File, error) {
	return openTunTap(name, unix.IFF_TUN)
}

// OpenTAP is OpenTUN for a TAP link (Ethernet frames), as rosemu makes
// an EoIP tunnel's.
func OpenTAP(name string) (*os.File, error) {
	return openTunTap(name, unix.IFF_TAP)
}

func openTunTap(name string, mode uint16) (*os.File, error) {
	if err := tundev.EnsureNode(); err != nil {
		return nil, err
	}
	fd, err := unix.Open(tundev.Path, unix.O_RDWR|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", tundev.Path, err)
	}
	var req [unix.IFNAMSIZ + 64]byte
	copy(req[:unix.IFNAMSIZ-1], name)
	*(*uint16)(unsafe.Pointer(&req[unix.IFNAMSIZ])) = mode | unix.IFF_NO_PI | unix.IFF_VNET_HDR
	if _, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.TUNSETIFF, uintptr(unsafe.Pointer(&req[0]))); e != 0 {
		unix.Close(fd)
		kind := "TUN"
		if mode == unix.IFF_TAP {
			kind = "TAP"
		}
		return nil, fmt.Errorf("attach to %s link %s: %w", kind, name, e)
	}
	// Non-blocking, so the runtime poller lets Close end a Read.
	return os.NewFile(uintptr(fd), "/dev/net/tun:"+name), nil
}

// setCarrier turns the TUN link's carrier on or off (TUNSETCARRIER).
func (t *Tunnel) setCarrier(on bool) {
	sc, err := t.tun.SyscallConn()
	if err != nil {
		return
	}
	v := 0
	if on {
		v = 1
	}
	_ = sc.Control(func(fd uintptr) {
		if err := unix.IoctlSetPointerInt(int(fd), unix.TUNSETCARRIER, v); err != nil {
			t.cfg.Logf("tunnel %s: set carrier %v: %v", t.cfg.Link, on, err)
		}
	})
}

func (t *Tunnel) closed() bool {
	select {
	case <-t.stop:
		return true
	default:
		return false
	}
}

// fromTUN encapsulates what the kernel routes into the link.
func (t *Tunnel) fromTUN() {
	defer t.wg.Done()
	buf := make([]byte, 65536+vnetHdrLen)
	out := make([]byte, eoipHdrLen+65536)
	dst := &net.IPAddr{IP: t.cfg.Remote.AsSlice()}
	for {
		n, err := t.tun.Read(buf)
		if err != nil {
			if !t.closed() && !errors.Is(err, os.ErrClosed) {
				t.cfg.Logf("tunnel %s: read TUN: %v", t.cfg.Link, err)
			}
			return
		}
		if n <= vnetHdrLen {
			continue
		}
		pkt := buf[vnetHdrLen:n]
		if t.cfg.EoIP {
			if len(pkt) < 14 {
				continue
			}
			_, err := t.raw.WriteToIP(EncapEoIP(out[:0], t.cfg.TunnelID, pkt), dst)
			t.sent(err)
			continue
		}
		// GRE carries IPv4 and IPv6 (ethertypes 0x0800 and 0x86dd,
		// GRE page of the manual), IPIP only IPv4.
		ver := pkt[0] >> 4
		if ver != 4 && !(ver == 6 && t.cfg.Proto == GRE) {
			continue
		}
		var payload []byte
		if t.cfg.Proto == GRE {
			out[0], out[1] = 0, 0
			et := uint16(0x0800)
			if ver == 6 {
				et = 0x86dd
			}
			binary.BigEndian.PutUint16(out[2:], et)
			payload = append(out[:4], pkt...)
		} else {
			payload = pkt
		}
		_, err = t.raw.WriteToIP(payload, dst)
		t.sent(err)
	}
}

// sent logs a failed send of a packet routed into the tunnel once, when
// the sends start failing (a local-address the host does not hold fails
// every one; the packets are lost, as a kernel tunnel's are), and again
// when they work.
func (t *Tunnel) sent(err error) {
	failing := err != nil && !t.closed()
	if t.sendFailing.Swap(failing) == failing {
		return
	}
	if failing {
		t.cfg.Logf("tunnel %s: send to %s: %v (what is routed into the tunnel is lost until it can be sent)", t.cfg.Link, t.cfg.Remote, err)
	} else {
		t.cfg.Logf("tunnel %s: sends to %s again", t.cfg.Link, t.cfg.Remote)
	}
}

// fromRaw decapsulates the far end's packets into the link.
func (t *Tunnel) fromRaw() {
	defer t.wg.Done()
	buf := make([]byte, 65536)
	w := make([]byte, vnetHdrLen+65536)
	for {
		n, src, err := t.raw.ReadFromIP(buf)
		if err != nil {
			if t.closed() || errors.Is(err, net.ErrClosed) {
				return
			}
			if errors.Is(err, syscall.EINTR) {
				continue
			}
			t.cfg.Logf("tunnel %s: read raw: %v", t.cfg.Link, err)
			return
		}
		a, ok := netip.AddrFromSlice(src.IP)
		if !ok || a.Unmap() != t.cfg.Remote {
			continue
		}
		if t.cfg.EoIP {
			frame, keepalive, ok := DecapEoIP(buf[:n], t.cfg.TunnelID)
			switch {
			case !ok:
			case keepalive:
				t.answer()
			default:
				clear(w[:vnetHdrLen])
				m := copy(w[vnetHdrLen:], frame)
				// An error: no carrier (keepalive failed) or the link
				// is down, and the frame is lost as on RouterOS.
				_, _ = t.tun.Write(w[:vnetHdrLen+m])
			}
			continue
		}
		inner, keepaliveAnswer, ok := t.decap(buf[:n])
		if !ok {
			continue
		}
		if keepaliveAnswer {
			t.answer()
			continue
		}
		if len(inner) < 20 || (inner[0]>>4 != 4 && inner[0]>>4 != 6) {
			continue
		}
		// The far end's keepalive: an inner packet of the tunnel's own
		// protocol addressed to the far end. Routing it back is what
		// answers it (Cisco's scheme); the kernel would drop it coming
		// from the TUN as a martian (its source is this host's own
		// address), so it is sent straight back, as the kernel would
		// route it.
		if inner[0]>>4 == 4 && Proto(inner[9]) == t.cfg.Proto && netip.AddrFrom4([4]byte(inner[16:20])) == t.cfg.Remote {
			ihl := int(inner[0]&0x0f) * 4
			if ihl >= 20 && ihl <= len(inner) {
				_, _ = t.raw.WriteToIP(inner[ihl:], &net.IPAddr{IP: t.cfg.Remote.AsSlice()})
			}
			continue
		}
		clear(w[:vnetHdrLen])
		m := copy(w[vnetHdrLen:], inner)
		if _, err := t.tun.Write(w[:vnetHdrLen+m]); err != nil && !t.closed() {
			// No carrier (keepalive failed) or the link is down:
			// the packet is lost, as on a tunnel that is not running.
			continue
		}
	}
}

// eoipHdrLen is EoIP's header: GRE flags and version 0x2001 (key bit
// and version 1), protocol 0x6400, the frame's length (big-endian) and
// the tunnel id (little-endian). Sources: the EoIP implementations for
// Linux and OpenBSD (github.com/bbonev/eoip unified/eoip_proto.h,
// github.com/Nat-Lab/eoip readme, man.openbsd.org/eoip: "EoIP uses GRE
// version 1, its own protocol identifier (0x6400)").
const eoipHdrLen = 8

// EncapEoIP appends to dst the EoIP header of tunnel id for frame, and
// frame (an empty frame is a keepalive).
func EncapEoIP(dst []byte, id uint16, frame []byte) []byte {
	dst = append(dst, 0x20, 0x01, 0x64, 0x00)
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(frame)))
	dst = binary.LittleEndian.AppendUint16(dst, id)
	return append(dst, frame...)
}

// DecapEoIP returns the frame of an EoIP payload (the outer IPv4 header
// stripped) of tunnel id, or says it is a keepalive (an empty frame); ok
// is false for another tunnel id, a GRE packet that is not EoIP, or a
// truncated one. Bytes past the length (padding) are left off.
func DecapEoIP(p []byte, id uint16) (frame []byte, keepalive, ok bool) {
	if len(p) < eoipHdrLen || p[0] != 0x20 || p[1] != 0x01 || p[2] != 0x64 || p[3] != 0x00 {
		return nil, false, false
	}
	if binary.LittleEndian.Uint16(p[6:]) != id {
		return nil, false, false
	}
	n := int(binary.BigEndian.Uint16(p[4:]))
	if n == 0 {
		return nil, true, true
	}
	if n > len(p)-eoipHdrLen || n < 14 {
		return nil, false, false
	}
	return p[eoipHdrLen : eoipHdrLen+n], false, true
}

// decap returns the inner packet of a tunnel payload (the outer IPv4
// header stripped), or says it is a keepalive answer: a GRE header of
// protocol 0, or an IPIP packet with nothing inside.
func (t *Tunnel) decap(p []byte) (inner []byte, keepaliveAnswer, ok bool) {
	if t.cfg.Proto == IPIP {
		return p, len(p) == 0, true
	}
	if len(p) < 4 {
		return nil, false, false
	}
	flags, proto := p[0], binary.BigEndian.Uint16(p[2:])
	if p[1]&0x07 != 0 { // version 0 only (RFC 2784)
		return nil, false, false
	}
	if flags&0x20 != 0 { // a key (RFC 2890): this tunnel has none
		return nil, false, false
	}
	off := 4
	if flags&0x80 != 0 { // checksum present
		off += 4
	}
	if flags&0x10 != 0 { // sequence number
		off += 4
	}
	if len(p) < off {
		return nil, false, false
	}
	switch proto {
	case 0:
		return nil, true, true
	case 0x0800, 0x86dd:
		return p[off:], false, true
	}
	return nil, false, false
}

// answer records a keepalive answer: the tunnel runs again at once.
func (t *Tunnel) answer() {
	t.mu.Lock()
	t.answered, t.missed = true, 0
	up := !t.running
	t.running = true
	t.mu.Unlock()
	if up {
		t.cfg.Logf("tunnel %s: keepalive answered, running", t.cfg.Link)
		t.setCarrier(true)
		if t.cfg.OnRunning != nil {
			t.cfg.OnRunning(true)
		}
	}
}

// keepalive sends one keepalive per interval and stops the tunnel
// running once Retries in a row went unanswered.
func (t *Tunnel) keepalive(interval time.Duration, retries int, kaStop <-chan struct{}) {
	defer t.wg.Done()
	// The keepalive's inner destination is the routed source towards
	// the remote when local-address is unset: asked in the tunnel's
	// namespace, which this thread joins for good (it is not unlocked,
	// so it ends with the goroutine).
	// EoIP's keepalive needs no source: it does not join (a lab node's
	// agent may lack the right to, and logged that it could not).
	if !t.cfg.EoIP {
		runtime.LockOSThread()
		if err := netns.Set(t.ns); err != nil {
			t.cfg.Logf("tunnel %s: keepalive: join the namespace: %v", t.cfg.Link, err)
		}
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	t.sendKeepalive()
	for {
		select {
		case <-t.stop:
			return
		case <-kaStop:
			return
		case <-tick.C:
		}
		t.mu.Lock()
		select {
		case <-kaStop: // replaced by SetKeepalive while the tick fired
			t.mu.Unlock()
			return
		default:
		}
		if t.answered {
			t.missed = 0
		} else {
			t.missed++
		}
		t.answered = false
		down := t.running && t.missed >= retries
		if down {
			t.running = false
		}
		t.mu.Unlock()
		if down {
			t.cfg.Logf("tunnel %s: %d keepalives unanswered, not running", t.cfg.Link, retries)
			t.setCarrier(false)
			if t.cfg.OnRunning != nil {
				t.cfg.OnRunning(false)
			}
		}
		t.sendKeepalive()
	}
}

// sendKeepalive sends a tunnel packet whose inner packet goes from the far
// end to this end: an IPv4 header of the tunnel's protocol with, for
// GRE, a GRE header of protocol 0.
func (t *Tunnel) sendKeepalive() {
	if t.cfg.EoIP {
		// EoIP's keepalive: the tunnel's header with an empty frame
		// (bbonev/eoip unified/eoip_keepalive.h: "an EoIP header with
		// zero frame length"), each end sending its own.
		if _, err := t.raw.WriteToIP(EncapEoIP(nil, t.cfg.TunnelID, nil), &net.IPAddr{IP: t.cfg.Remote.AsSlice()}); err != nil && !t.closed() {
			t.cfg.Logf("tunnel %s: keepalive to %s: %v", t.cfg.Link, t.cfg.Remote, err)
		}
		return
	}
	local := t.cfg.Local
	if !local.IsValid() {
		var err error
		if local, err = routedSource(t.cfg.Remote); err != nil {
			t.cfg.Logf("tunnel %s: keepalive: no route to %s: %v", t.cfg.Link, t.cfg.Remote, err)
			return
		}
	}
	var body []byte
	if t.cfg.Proto == GRE {
		body = []byte{0, 0, 0, 0}
	}
	inner := ipv4Header(t.cfg.Remote, local, t.cfg.Proto, len(body))
	inner = append(inner, body...)
	payload := inner
	if t.cfg.Proto == GRE {
		payload = append([]byte{0, 0, 0x08, 0x00}, inner...)
	}
	if _, err := t.raw.WriteToIP(payload, &net.IPAddr{IP: t.cfg.Remote.AsSlice()}); err != nil && !t.closed() {
		t.cfg.Logf("tunnel %s: keepalive to %s: %v", t.cfg.Link, t.cfg.Remote, err)
	}
}

// routedSource is the address the routing table picks to reach dst.
func routedSource(dst netip.Addr) (netip.Addr, error) {
	c, err := net.DialUDP("udp4", nil, &net.UDPAddr{IP: dst.AsSlice(), Port: 9})
	if err != nil {
		return netip.Addr{}, err
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).AddrPort().Addr().Unmap(), nil
}

// ipv4Header is a 20-byte IPv4 header with its checksum.
func ipv4Header(src, dst netip.Addr, proto Proto, payloadLen int) []byte {
	h := make([]byte, 20)
	h[0] = 0x45
	binary.BigEndian.PutUint16(h[2:], uint16(20+payloadLen))
	binary.BigEndian.PutUint16(h[4:], uint16(rand.Uint32()))
	h[8] = 255
	h[9] = byte(proto)
	s, d := src.As4(), dst.As4()
	copy(h[12:16], s[:])
	copy(h[16:20], d[:])
	var sum uint32
	for i := 0; i < 20; i += 2 {
		sum += uint32(binary.BigEndian.Uint16(h[i:]))
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	binary.BigEndian.PutUint16(h[10:], ^uint16(sum))
	return h
}
