package ovpn

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// A hub gives each session of one openvpn server an interface of its own
// in the router's namespace, as RouterOS makes one per session, though
// openvpn has one TUN for all its clients.
//
// The TUN leaves the router's namespace for a namespace of the server's
// own (the hub's), where nothing but the hub's routes act on it. Each
// session is a veth pair: the router's end carries the session's
// interface name (<ovpn-alice>, or a binding's ovpn-alice; under
// kernel.LinkName) and gets the session's address and route from the
// engine, as an SSTP session's TUN does; its peer sits in the hub. In the
// hub the client's address (and the subnets the secret routes to it) are
// routed into the TUN, and what comes out of the TUN from the client's
// address is routed, by its source, into its session's veth. So a
// firewall rule, an interface list, a queue or a route naming the
// session's interface acts on that session alone, and traffic between two
// clients of a server crosses the router's forward chain, as on RouterOS
// (openvpn runs without client-to-client).
type hub struct {
	router, inner netns.NsHandle
	rh, ih        *netlink.Handle
	tun           string

	mu       sync.Mutex
	next     int
	sessions map[string]hubSession
}

// hubSession is one session's veth pair and what the hub routes by it.
type hubSession struct {
	peer   string
	table  int
	routed []netip.Prefix
}

// hubTableBase is the first routing table of the hub's sessions (the hub's
// namespace has no other).
const hubTableBase = 1000

// openHub makes the server's namespace beside router (which the hub
// closes with itself).
func openHub(router netns.NsHandle, tun string) (h *hub, err error) {
	h = &hub{router: router, inner: netns.None(), tun: tun, sessions: map[string]hubSession{}}
	defer func() {
		if err != nil {
			h.close()
		}
	}()
	if err := kernel.InNetnsHandle(router, func() error {
		var err error
		h.inner, err = netns.New()
		return err
	}); err != nil {
		return nil, fmt.Errorf("make the OpenVPN server's namespace: %w", err)
	}
	if h.rh, err = netlink.NewHandleAt(router); err != nil {
		return nil, err
	}
	if h.ih, err = netlink.NewHandleAt(h.inner); err != nil {
		return nil, err
	}
	if lo, err := h.ih.LinkByName("lo"); err == nil {
		_ = h.ih.LinkSetUp(lo)
	}
	// The hub forwards between the TUN and the veths. Their addresses
	// are not its own, so reverse-path filtering would drop them.
	if err := kernel.WriteNetConf(h.inner, "/proc/sys/net/ipv4", [][2]string{
		{"ip_forward", "1"}, {"conf/all/rp_filter", "0"}, {"conf/default/rp_filter", "0"},
		{"conf/default/proxy_arp", "1"}}); err != nil {
		return nil, fmt.Errorf("set up the OpenVPN server's namespace: %w", err)
	}
	// The veths need no IPv6 link-local address (the router has none on a
	// PPP-like session); without IPv6 in the kernel there is none anyway.
	_ = kernel.WriteNetConf(h.inner, "/proc/sys/net/ipv6", [][2]string{{"conf/default/disable_ipv6", "1"}})
	return h, nil
}

// adopt waits for openvpn's TUN in the router's namespace, moves it into
// the hub and brings it up with mtu.
func (h *hub) adopt(ctx context.Context, mtu int) error {
	var lk netlink.Link
	for {
		var err error
		if lk, err = h.rh.LinkByName(h.tun); err == nil {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	if err := h.rh.LinkSetNsFd(lk, int(h.inner)); err != nil {
		return fmt.Errorf("move the TUN %s into the server's namespace: %w", h.tun, err)
	}
	// The move takes the link down.
	lk, err := h.ih.LinkByName(h.tun)
	if err != nil {
		return err
	}
	if mtu > 0 {
		_ = h.ih.LinkSetMTU(lk, mtu)
	}
	return h.ih.LinkSetUp(lk)
}

// attach makes the session's interface iface (the router's side at
// local, the client at remote) with mtu.
func (h *hub) attach(iface string, local, remote netip.Addr, mtu int) (err error) {
	link := kernel.LinkName(iface)
	h.mu.Lock()
	h.next++
	s := hubSession{peer: fmt.Sprintf("s%d", h.next), table: hubTableBase + h.next, routed: []netip.Prefix{netip.PrefixFrom(remote, 32)}}
	h.mu.Unlock()
	// A session of a server that ended without cleaning up left its
	// interface behind: the name is the session's now.
	if old, err := h.rh.LinkByName(link); err == nil && old.Type() == "veth" {
		_ = h.rh.LinkDel(old)
	}
	la := netlink.NewLinkAttrs()
	la.Name = link
	la.MTU = mtu
	if err := h.rh.LinkAdd(&netlink.Veth{LinkAttrs: la, PeerName: s.peer, PeerNamespace: netlink.NsFd(int(h.inner)), PeerMTU: uint32(max(mtu, 0))}); err != nil {
		return fmt.Errorf("make the session's interface %s: %w", iface, err)
	}
	defer func() {
		if err != nil {
			if lk, lerr := h.rh.LinkByName(link); lerr == nil {
				_ = h.rh.LinkDel(lk)
			}
		}
	}()
	_ = kernel.WriteNetConf(h.router, "/proc/sys/net/ipv6/conf", [][2]string{{link + "/disable_ipv6", "1"}})
	rl, err := h.rh.LinkByName(link)
	if err != nil {
		return err
	}
	if err := h.rh.LinkSetUp(rl); err != nil {
		return err
	}
	pl, err := h.ih.LinkByName(s.peer)
	if err != nil {
		return err
	}
	// proxy_arp (the namespace's default): the peer answers the router's
	// ARP for the client's address, which it routes into the TUN.
	if err := kernel.WriteNetConf(h.inner, "/proc/sys/net/ipv4/conf", [][2]string{{s.peer + "/proxy_arp", "1"}}); err != nil {
		return err
	}
	if err := h.ih.LinkSetUp(pl); err != nil {
		return err
	}
	if err := h.steer(s, s.routed); err != nil {
		return err
	}
	// The router's side is the gateway: its address is on the other end.
	if err := h.ih.RouteReplace(&netlink.Route{LinkIndex: pl.Attrs().Index, Dst: prefixNet(netip.MustParsePrefix("0.0.0.0/0")),
		Gw: net.IP(local.AsSlice()), Table: s.table, Flags: int(netlink.FLAG_ONLINK)}); err != nil {
		return fmt.Errorf("route the session out of %s: %w", iface, err)
	}
	h.mu.Lock()
	h.sessions[link] = s
	h.mu.Unlock()
	return nil
}

// steer routes the prefixes into the TUN, and what comes out of the TUN
// from them into session s's veth.
func (h *hub) steer(s hubSession, prefixes []netip.Prefix) error {
	tl, err := h.ih.LinkByName(h.tun)
	if err != nil {
		return fmt.Errorf("the server's TUN: %w", err)
	}
	for _, p := range prefixes {
		dst := prefixNet(p)
		if err := h.ih.RouteReplace(&netlink.Route{LinkIndex: tl.Attrs().Index, Dst: dst, Scope: netlink.SCOPE_LINK}); err != nil {
			return fmt.Errorf("route %s into the TUN: %w", p, err)
		}
		r := netlink.NewRule()
		r.Src, r.IifName, r.Table, r.Priority = dst, h.tun, s.table, 100
		if err := h.ih.RuleAdd(r); err != nil && !errors.Is(err, unix.EEXIST) {
			return fmt.Errorf("route from %s by its session: %w", p, err)
		}
	}
	return nil
}

// routeTo adds the subnets the session's secret routes to its client
// (routes=): the client sends from them and receives for them.
func (h *hub) routeTo(iface string, prefixes []netip.Prefix) error {
	link := kernel.LinkName(iface)
	h.mu.Lock()
	s, ok := h.sessions[link]
	if ok {
		s.routed = append(s.routed, prefixes...)
		h.sessions[link] = s
	}
	h.mu.Unlock()
	if !ok {
		return fmt.Errorf("no session interface %s", iface)
	}
	return h.steer(s, prefixes)
}

// detach removes the session's interface and its routes in the hub.
func (h *hub) detach(iface string) {
	link := kernel.LinkName(iface)
	h.mu.Lock()
	s, ok := h.sessions[link]
	delete(h.sessions, link)
	h.mu.Unlock()
	if !ok {
		return
	}
	if lk, err := h.rh.LinkByName(link); err == nil {
		_ = h.rh.LinkDel(lk)
	}
	for _, p := range s.routed {
		r := netlink.NewRule()
		r.Src, r.IifName, r.Table, r.Priority = prefixNet(p), h.tun, s.table, 100
		_ = h.ih.RuleDel(r)
		_ = h.ih.RouteDel(&netlink.Route{Dst: prefixNet(p)})
	}
}

// close ends the hub's namespace (the TUN in it goes with openvpn).
func (h *hub) close() {
	if h.rh != nil {
		h.rh.Close()
	}
	if h.ih != nil {
		h.ih.Close()
	}
	if h.inner.IsOpen() {
		_ = h.inner.Close()
	}
	if h.router.IsOpen() {
		_ = h.router.Close()
	}
}

func prefixNet(p netip.Prefix) *net.IPNet {
	p = p.Masked()
	return &net.IPNet{IP: net.IP(p.Addr().AsSlice()), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
}

// dupNetns is a handle of ns the hub may close.
func dupNetns(ns netns.NsHandle) (netns.NsHandle, error) {
	fd, err := unix.Dup(int(ns))
	return netns.NsHandle(fd), err
}
