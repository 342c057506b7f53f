package agentcmd

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chrlab/chrlab/rosemu/service/ppp"
	"github.com/chrlab/chrlab/rosemu/service/pppoe"
	"github.com/vishvananda/netlink"
)

// The ISP's PPPoE access concentrator (labagent node --serve pppoe), in
// user space because the lab's kernels have no PPP: it answers discovery
// on the customer network, authenticates one user (by PAP unless
// --pppoe-auth says otherwise), gives it one
// address by IPCP and routes that address to a TUN device per session.
// labagent renumber (on its control socket) changes the address and hangs
// up the sessions, as an ISP that renumbers its PPPoE customers does: the
// customer dials again and gets the new address.

// defaultPPPoESocket is where the running server listens for labagent renumber.
const defaultPPPoESocket = "/run/labagent-pppoe.sock"

type pppoeFlags struct {
	subnet, offer, user, password, dns, acName, service, auth, socket string
	antispoof                                                         bool
}

func (f *pppoeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.subnet, "pppoe-subnet", "", "pppoe: serve on the interface with an address in this `prefix`")
	fs.StringVar(&f.offer, "pppoe-offer", "", "pppoe: the `IP` the customer gets by IPCP")
	fs.StringVar(&f.user, "pppoe-user", "", "pppoe: the customer's `user`")
	fs.StringVar(&f.password, "pppoe-password", "", "pppoe: the customer's `password`")
	// PAP alone stays the default: it is what the lab's scenarios were
	// written against, and what the router's client always accepts.
	fs.StringVar(&f.auth, "pppoe-auth", "pap", "pppoe: the authentication `protocols` allowed, asked strongest first (pap, chap, mschap1, mschap2)")
	fs.StringVar(&f.dns, "pppoe-dns", "", "pppoe: comma-separated DNS server `IPs` offered by IPCP (at most 2)")
	fs.StringVar(&f.acName, "pppoe-ac-name", "lab-isp", "pppoe: the access concentrator's `name`")
	fs.StringVar(&f.service, "pppoe-service", "", "pppoe: the only service `name` offered (default any)")
	fs.BoolVar(&f.antispoof, "pppoe-antispoof", true, "pppoe: drop packets from the session whose source is not the customer's address")
	fs.StringVar(&f.socket, "pppoe-socket", defaultPPPoESocket, "pppoe: control socket `path` for labagent renumber")
}

type pppoeOptions struct {
	subnet       netip.Prefix
	offer        netip.Addr
	dns          []netip.Addr
	user, passwd string
	auth         []pppoe.Auth
	acName, svc  string
	antispoof    bool
	socket       string
	// routed are the blocks the ISP routes to its customer (a /29 behind
	// the router's WAN address): each session carries them too.
	routed []netip.Prefix
}

func (f *pppoeFlags) options() (pppoeOptions, error) {
	o := pppoeOptions{user: f.user, passwd: f.password, acName: f.acName, svc: f.service, antispoof: f.antispoof, socket: f.socket}
	var err error
	if o.subnet, err = netip.ParsePrefix(f.subnet); err != nil {
		return o, fmt.Errorf("--pppoe-subnet %q: %w", f.subnet, err)
	}
	if o.offer, err = netip.ParseAddr(f.offer); err != nil || !o.offer.Is4() {
		return o, fmt.Errorf("--pppoe-offer %q is not an IPv4 address", f.offer)
	}
	if f.user == "" {
		return o, fmt.Errorf("--pppoe-user is required with --serve pppoe")
	}
	if o.auth, err = pppoe.ParseAuth(f.auth); err != nil {
		return o, fmt.Errorf("--pppoe-auth: %w", err)
	}
	if len(o.auth) == 0 {
		return o, fmt.Errorf("--pppoe-auth %q allows no protocol: no customer could log in", f.auth)
	}
	for d := range strings.SplitSeq(f.dns, ",") {
		if d = strings.TrimSpace(d); d == "" {
			continue
		}
		a, err := netip.ParseAddr(d)
		if err != nil || !a.Is4() {
			return o, fmt.Errorf("--pppoe-dns %q is not an IPv4 address", d)
		}
		o.dns = append(o.dns, a)
	}
	if len(o.dns) > 2 {
		return o, fmt.Errorf("--pppoe-dns: IPCP carries 2 DNS servers, got %d", len(o.dns))
	}
	return o, nil
}

// startPPPoEServer serves until ctx ends; errors after start are logged.
func startPPPoEServer(ctx context.Context, o pppoeOptions, logf func(string, ...any)) error {
	h, err := netlink.NewHandle()
	if err != nil {
		return fmt.Errorf("open netlink for the pppoe server: %w", err)
	}
	ifname, err := ifaceIn(h, o.subnet)
	if err != nil {
		h.Close()
		return fmt.Errorf("find the pppoe customer interface: %w", err)
	}
	own, err := ownAddrOn(h, ifname)
	if err != nil {
		h.Close()
		return err
	}
	l, err := pppoe.OpenLink(ifname)
	if err != nil {
		h.Close()
		return err
	}
	isp := &pppoeISP{subnet: o.subnet, own: own, offer: o.offer, sessions: map[*pppoe.Conn]bool{}, logf: logf}
	if o.socket != "" {
		if isp.ctl, err = net.Listen("unix", o.socket); err != nil {
			l.Close()
			h.Close()
			return fmt.Errorf("pppoe server: control socket %s: %w", o.socket, err)
		}
		go serveControl(isp.ctl, isp.control)
		go func() { <-ctx.Done(); isp.ctl.Close() }()
	}
	cfg := pppoe.ServerConfig{
		ACName: o.acName, ServiceName: o.svc, Local: own, DNS: o.dns, Keepalive: 30 * time.Second,
		Auth:   o.auth,
		Check:  func(u string, proves pppoe.Verifier) bool { return u == o.user && proves(o.passwd) },
		Assign: func(string) (netip.Addr, bool) { return isp.current(), true },
		Log:    func(f string, a ...any) { logf("pppoe server: "+f, a...) },
	}
	n := 0
	up := func(c *pppoe.Conn) {
		isp.track(c, true)
		defer isp.track(c, false)
		n++
		name := fmt.Sprintf("pppoe-in%d", n)
		tun, err := ppp.OpenTUN(name)
		if err != nil {
			logf("pppoe server: %v", err)
			c.Close()
			return
		}
		if err := configureTUN(h, name, own, c.Peer, c.MTU); err != nil {
			logf("pppoe server: %v", err)
			tun.Close()
			c.Close()
			return
		}
		// A block routed to the customer follows the session, as an
		// ISP's framed route does: the lab's --route via the customer's
		// address was resolved on the Ethernet below the session, where
		// nothing answers, and the session's pump dropped the block's
		// sources as spoofed (f69 D5).
		if err := routeToSession(h, name, o.routed); err != nil {
			logf("pppoe server: %v", err)
		}
		var allow func([]byte) bool
		if o.antispoof {
			allow = func(p []byte) bool {
				if len(p) < 20 {
					return false
				}
				src, _ := netip.AddrFromSlice(p[12:16])
				return fromCustomer(src, c.Peer, o.routed)
			}
		}
		logf("pppoe server: session %d up: user %s has %s on %s", c.Session(), c.User, c.Peer, name)
		err = ppp.Pump(c, tun, allow)
		tun.Close()
		logf("pppoe server: session %d on %s ended: %v", c.Session(), name, err)
	}
	logf("pppoe server: serving on %s as %s, customer %s gets %s, authentication %v", ifname, o.acName, o.user, o.offer, o.auth)
	go func() {
		defer h.Close()
		if err := pppoe.Serve(ctx, l, cfg, up); err != nil {
			logf("pppoe server on %s stopped: %v", ifname, err)
		}
	}()
	return nil
}

// fromCustomer reports whether a source may come from the session: the
// session's own address, or one of the blocks routed to the customer.
func fromCustomer(src, peer netip.Addr, routed []netip.Prefix) bool {
	return src == peer || slices.ContainsFunc(routed, func(r netip.Prefix) bool { return r.Contains(src) })
}

// routeToSession routes each block through the session's TUN device name;
// the routes go with the device when the session ends.
func routeToSession(h *netlink.Handle, name string, blocks []netip.Prefix) error {
	if len(blocks) == 0 {
		return nil
	}
	lk, err := h.LinkByName(name)
	if err != nil {
		return fmt.Errorf("route the customer's blocks to %s: %w", name, err)
	}
	for _, b := range blocks {
		dst := &net.IPNet{IP: b.Addr().AsSlice(), Mask: net.CIDRMask(b.Bits(), 32)}
		if err := h.RouteReplace(&netlink.Route{Dst: dst, LinkIndex: lk.Attrs().Index, Scope: netlink.SCOPE_LINK}); err != nil {
			return fmt.Errorf("route %s to %s: %w", b, name, err)
		}
	}
	return nil
}

// pppoeISP is what labagent renumber changes: the address the next
// session gets, and the sessions that hold the old one.
type pppoeISP struct {
	subnet   netip.Prefix
	own      netip.Addr
	ctl      net.Listener
	logf     func(string, ...any)
	mu       sync.Mutex
	offer    netip.Addr
	sessions map[*pppoe.Conn]bool
}

func (s *pppoeISP) current() netip.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.offer
}

func (s *pppoeISP) track(c *pppoe.Conn, live bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if live {
		s.sessions[c] = true
	} else {
		delete(s.sessions, c)
	}
}

// renumber makes to the address of every session from now on and hangs up
// the sessions up now (LCP Terminate-Request, then PADT), so that the
// customer's client dials again and takes it; it returns the old address
// and the moment of change.
func (s *pppoeISP) renumber(to netip.Addr) (netip.Addr, time.Time, error) {
	if !to.Is4() || !s.subnet.Contains(to) || to == s.own {
		return netip.Addr{}, time.Time{}, fmt.Errorf("renumber to %s: not a free address in %s", to, s.subnet)
	}
	s.mu.Lock()
	old := s.offer
	s.offer = to
	var live []*pppoe.Conn
	for c := range s.sessions {
		live = append(live, c)
	}
	s.mu.Unlock()
	at := time.Now()
	s.logf("pppoe server: renumbered %s -> %s; hanging up %d session(s)", old, to, len(live))
	for _, c := range live {
		go c.Close()
	}
	return old, at, nil
}

func (s *pppoeISP) control(req controlRequest) controlReply {
	if req.Op != "renumber" {
		return controlReply{Result: "error", Error: fmt.Sprintf("unknown operation %q (the pppoe server knows renumber)", req.Op)}
	}
	return renumberReply(req.To, s.renumber)
}

// ownAddrOn is the interface's first IPv4 address.
func ownAddrOn(h *netlink.Handle, ifname string) (netip.Addr, error) {
	lk, err := h.LinkByName(ifname)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("find %s: %w", ifname, err)
	}
	addrs, err := h.AddrList(lk, netlink.FAMILY_V4)
	if err != nil || len(addrs) == 0 {
		return netip.Addr{}, fmt.Errorf("read the address of %s: %v", ifname, err)
	}
	a, _ := netip.AddrFromSlice(addrs[0].IP.To4())
	return a, nil
}

// configureTUN gives a session's TUN the point-to-point pair local-peer
// (which routes the peer to it), its MTU, and brings it up.
func configureTUN(h *netlink.Handle, name string, local, peer netip.Addr, mtu int) error {
	lk, err := h.LinkByName(name)
	if err != nil {
		return fmt.Errorf("find TUN %s: %w", name, err)
	}
	if err := h.LinkSetMTU(lk, mtu); err != nil {
		return fmt.Errorf("set MTU %d on %s: %w", mtu, name, err)
	}
	ad := &netlink.Addr{IPNet: &net.IPNet{IP: local.AsSlice(), Mask: net.CIDRMask(32, 32)},
		Peer: &net.IPNet{IP: peer.AsSlice(), Mask: net.CIDRMask(32, 32)}}
	if err := h.AddrReplace(lk, ad); err != nil {
		return fmt.Errorf("address %s peer %s on %s: %w", local, peer, name, err)
	}
	if err := h.LinkSetUp(lk); err != nil {
		return fmt.Errorf("bring up %s: %w", name, err)
	}
	return nil
}
