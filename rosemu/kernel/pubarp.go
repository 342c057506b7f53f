package kernel

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mdlayher/packet"
	"golang.org/x/sys/unix"
)

// A published ARP entry whose address is on a network of its own
// interface (an extra public address of the WAN's /29 published on the
// WAN, so that the ISP's gateway reaches it without an /ip address) is
// answered by RouterOS like any other published entry (ARP page of the
// manual, https://help.mikrotik.com/docs/display/ROS/ARP, published).
// Linux answers a proxy neighbour only for an address it routes out of
// another link (arp_process: rt->dst.dev != dev), so syncPublished's
// proxy neighbour stays silent there (forum47 D1: the lab's ISP never
// reached the address and chrlab check reported a working forward
// broken). For such entries a responder reads the link's ARP requests
// from a packet socket and answers those for the published addresses
// with the link's own MAC, as the proxy neighbour does for the others.

// pubResponder answers ARP requests on one link for a set of addresses.
type pubResponder struct {
	conn *packet.Conn
	mac  net.HardwareAddr
	done chan struct{}
	// closed is set before stop closes conn, so serve ends on the read
	// error that follows.
	closed atomic.Bool

	mu    sync.Mutex
	addrs map[netip.Addr]bool
	// allowed is nil unless the link is arp=reply-only: then only the
	// address and MAC pairs of its static entries are answered, as the
	// arp table does for the kernel's own answers (RenderARP).
	allowed map[netip.Addr]string
}

// pubWant is what the responders must answer: per kernel link name, the
// published addresses and, for a reply-only link, the allowed senders.
type pubWant struct {
	addrs   map[string]map[netip.Addr]bool
	allowed map[string]map[netip.Addr]string
}

// onLinkPublished picks the published entries that Linux does not answer:
// those whose address is inside a network of an address of the entry's own
// interface, but not one of the router's addresses.
func onLinkPublished(st *State) pubWant {
	w := pubWant{addrs: map[string]map[netip.Addr]bool{}, allowed: map[string]map[netip.Addr]string{}}
	own := map[netip.Addr]bool{}
	for _, a := range st.Addresses {
		own[a.Prefix.Addr()] = true
	}
	for _, n := range st.PublishedARP {
		if own[n.Addr] {
			// The kernel answers for its own addresses already; a second
			// answer from the responder would only duplicate it.
			continue
		}
		for _, a := range st.Addresses {
			if a.Interface != n.Interface || !a.Prefix.Addr().Is4() || !a.Prefix.Masked().Contains(n.Addr) {
				continue
			}
			l := LinkName(n.Interface)
			if w.addrs[l] == nil {
				w.addrs[l] = map[netip.Addr]bool{}
			}
			w.addrs[l][n.Addr] = true
		}
	}
	for _, name := range replyOnly(st) {
		l := LinkName(name)
		if w.addrs[l] == nil {
			continue
		}
		w.allowed[l] = map[netip.Addr]string{}
		for _, s := range st.StaticARP {
			if s.Interface == name {
				if hw, err := net.ParseMAC(s.MAC); err == nil {
					w.allowed[l][s.Addr] = hw.String()
				}
			}
		}
	}
	return w
}

// syncPubResponders runs a responder on each link of w and stops the rest.
func (d *Dataplane) syncPubResponders(w pubWant) error {
	for l, r := range d.pubResp {
		if w.addrs[l] == nil {
			r.stop()
			delete(d.pubResp, l)
		}
	}
	var errs []error
	for l, addrs := range w.addrs {
		r := d.pubResp[l]
		if r == nil {
			var err error
			if r, err = d.startPubResponder(l); err != nil {
				errs = append(errs, fmt.Errorf("published arp on %s: %w", l, err))
				continue
			}
			if d.pubResp == nil {
				d.pubResp = map[string]*pubResponder{}
			}
			d.pubResp[l] = r
		}
		r.mu.Lock()
		r.addrs, r.allowed = maps.Clone(addrs), maps.Clone(w.allowed[l])
		r.mu.Unlock()
	}
	return errors.Join(errs...)
}

// currentPubWant is what the running responders answer, to undo a change.
func (d *Dataplane) currentPubWant() pubWant {
	w := pubWant{addrs: map[string]map[netip.Addr]bool{}, allowed: map[string]map[netip.Addr]string{}}
	for l, r := range d.pubResp {
		r.mu.Lock()
		w.addrs[l], w.allowed[l] = maps.Clone(r.addrs), maps.Clone(r.allowed)
		r.mu.Unlock()
	}
	return w
}

func (d *Dataplane) stopPubResponders() {
	for l, r := range d.pubResp {
		r.stop()
		delete(d.pubResp, l)
	}
}

func (d *Dataplane) startPubResponder(link string) (*pubResponder, error) {
	l, err := d.nl.LinkByName(link)
	if err != nil {
		return nil, err
	}
	attrs := l.Attrs()
	ifc := &net.Interface{Index: attrs.Index, Name: attrs.Name, HardwareAddr: attrs.HardwareAddr, MTU: attrs.MTU}
	var conn *packet.Conn
	// The socket belongs to the namespace it is made in: the router's.
	if err := inNetns(d.ns, func() error {
		var err error
		conn, err = packet.Listen(ifc, packet.Datagram, unix.ETH_P_ARP, nil)
		return err
	}); err != nil {
		return nil, err
	}
	r := &pubResponder{conn: conn, mac: attrs.HardwareAddr, done: make(chan struct{})}
	go r.serve()
	return r, nil
}

func (r *pubResponder) stop() {
	r.closed.Store(true)
	r.conn.Close()
	<-r.done
}

func (r *pubResponder) serve() {
	defer close(r.done)
	b := make([]byte, 1500)
	for {
		n, from, err := r.conn.ReadFrom(b)
		if err != nil {
			// stop closes the socket; another error (a frame the
			// socket could not take, the link going down) leaves it
			// reading, after a pause so that an error that repeats at
			// once (a deleted link) cannot spin a core.
			if r.closed.Load() {
				return
			}
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if reply := r.answer(b[:n]); reply != nil {
			pa, _ := from.(*packet.Addr)
			if pa == nil {
				continue
			}
			_, _ = r.conn.WriteTo(reply, &packet.Addr{HardwareAddr: pa.HardwareAddr})
		}
	}
}

// answer returns the ARP reply to req, nil when it is not a request for
// one of the responder's addresses that the router answers.
func (r *pubResponder) answer(req []byte) []byte {
	if len(req) < 28 || binary.BigEndian.Uint16(req[0:]) != 1 || binary.BigEndian.Uint16(req[2:]) != unix.ETH_P_IP ||
		req[4] != 6 || req[5] != 4 || binary.BigEndian.Uint16(req[6:]) != 1 {
		return nil
	}
	sha := net.HardwareAddr(req[8:14])
	spa := netip.AddrFrom4([4]byte(req[14:18]))
	tpa := netip.AddrFrom4([4]byte(req[24:28]))
	if spa == tpa { // a gratuitous announcement asks nothing
		return nil
	}
	r.mu.Lock()
	ok := r.addrs[tpa]
	if r.allowed != nil && r.allowed[spa] != sha.String() {
		ok = false
	}
	r.mu.Unlock()
	if !ok {
		return nil
	}
	rep := make([]byte, 28)
	copy(rep, req[:8])
	binary.BigEndian.PutUint16(rep[6:], 2)
	copy(rep[8:], r.mac)
	copy(rep[14:], req[24:28])
	copy(rep[18:], sha)
	copy(rep[24:], req[14:18])
	return rep
}
