package kernel

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// v6Conf are the per-interface IPv6 settings of the router's links while
// IPv6 is on. Addresses come from the configuration only (no SLAAC, no
// router advertisements taken: RouterOS takes them only with forwarding
// off), and they are usable at once: the lab has no duplicate to detect,
// and duplicate address detection would hold a new address back for a
// second or more after each commit.
var v6Conf = [][2]string{{"accept_dad", "0"}, {"accept_ra", "0"}, {"autoconf", "0"}, {"disable_ipv6", "0"}}

// syncIPv6 brings the IPv6 side of the data plane to st.IPv6: the links'
// settings, the addresses and the main table's static routes. The
// firewall is loaded by the caller.
func (d *Dataplane) syncIPv6(st *State, undo *[]func() error) error {
	v6 := st.IPv6
	if v6 == nil {
		if len(d.v6Links) == 0 {
			return nil
		}
		// The configuration lost its last IPv6: its addresses and routes
		// go with the links' IPv6.
		var w [][2]string
		for l := range d.v6Links {
			w = append(w, [2]string{"conf/" + l + "/disable_ipv6", "1"})
		}
		w = append(w, [2]string{"conf/default/disable_ipv6", "1"})
		d.v6Links = nil
		return writeIPv6Conf(d.ns, w)
	}
	if d.v6Links == nil {
		d.v6Links = map[string]bool{}
	}
	var w [][2]string
	if len(d.v6Links) == 0 {
		for _, kv := range v6Conf {
			w = append(w, [2]string{"conf/default/" + kv[0], kv[1]})
		}
	}
	for _, n := range st.l2Names() {
		l := LinkName(n)
		if d.v6Links[l] {
			continue
		}
		if _, err := d.nl.LinkByName(l); err != nil {
			continue
		}
		for _, kv := range v6Conf {
			w = append(w, [2]string{"conf/" + l + "/" + kv[0], kv[1]})
		}
		d.v6Links[l] = true
	}
	fwd := "0"
	if v6.Forward {
		fwd = "1"
	}
	w = append(w, [2]string{"conf/all/forwarding", fwd})
	if err := writeIPv6Conf(d.ns, w); err != nil {
		return fmt.Errorf("turn IPv6 on in the router namespace: %w", err)
	}
	if err := d.syncAddresses6(st, undo); err != nil {
		return err
	}
	inactive, err := d.syncRoutes6(st, undo)
	d.inactive6 = inactive
	return err
}

// writeIPv6Conf writes /proc/sys/net/ipv6/<path> files inside ns in one
// switch of namespace. Paths are written as they are, not as dotted sysctl
// keys, because a link's name may hold a dot (a VLAN ether1.100).
func writeIPv6Conf(h netns.NsHandle, w [][2]string) error {
	return writeNetConf(h, "/proc/sys/net/ipv6", w)
}

// writeNetConf writes the files of w under dir (a /proc/sys/net
// directory) inside ns, making /proc/sys/net writable first if the
// container mounted it read-only.
func writeNetConf(h netns.NsHandle, dir string, w [][2]string) error {
	write := func() error {
		for _, kv := range w {
			p := filepath.Join(dir, kv[0])
			if err := os.WriteFile(p, []byte(kv[1]), 0o644); err != nil {
				return err
			}
		}
		return nil
	}
	err := inNetns(h, write)
	if errors.Is(err, syscall.EROFS) {
		if merr := procSysNetWritable(); merr != nil {
			return fmt.Errorf("%w (making /proc/sys/net writable: %v)", err, merr)
		}
		err = inNetns(h, write)
	}
	return err
}

// syncAddresses6 makes the global and configured link-local IPv6
// addresses of the router's links exactly those of st.IPv6. The link-local
// address each link makes for itself stays, as RouterOS keeps its own.
func (d *Dataplane) syncAddresses6(st *State, undo *[]func() error) error {
	addrs := make([]Address, 0, len(st.IPv6.Addresses))
	for _, a := range st.IPv6.Addresses {
		if a.EUI64 {
			l, err := d.nl.LinkByName(LinkName(a.Interface))
			if err != nil {
				// Not up yet: as below, the address waits for the
				// commit that finds the link.
				continue
			}
			p, err := EUI64Prefix(a.Prefix, l.Attrs().HardwareAddr)
			if err != nil {
				return fmt.Errorf("sync IPv6 address %s eui-64 on interface %s: %w", a.Prefix, a.Interface, err)
			}
			a.Prefix = p
		}
		addrs = append(addrs, a)
	}
	want, names, err := addressPlan(st, addrs, netip.Addr.Is6, "not an IPv6 address")
	if err != nil {
		return err
	}
	if d.added6 == nil {
		d.added6 = map[string]bool{}
	}
	for _, n := range names {
		l, err := d.nl.LinkByName(LinkName(n))
		if err != nil {
			// An interface that is not up yet (a PPPoE client still
			// dialling): its addresses wait for the commit that finds it.
			continue
		}
		addrs, err := d.nl.AddrList(l, netlink.FAMILY_V6)
		if err != nil {
			return fmt.Errorf("sync IPv6 addresses of interface %s: list them: %w", n, err)
		}
		have := map[netip.Prefix]bool{}
		for _, a := range addrs {
			p, ok := ipnet6Prefix(a.IPNet)
			if !ok {
				continue
			}
			key := LinkName(n) + " " + p.String()
			if p.Addr().IsLinkLocalUnicast() && !d.added6[key] {
				continue // the link's own
			}
			have[p] = true
			if want[n][p] {
				continue
			}
			a := a
			if err := d.nl.AddrDel(l, &a); err != nil {
				return fmt.Errorf("remove IPv6 address %s from interface %s: %w", p, n, err)
			}
			delete(d.added6, key)
			*undo = append(*undo, func() error { return d.nl.AddrAdd(l, &netlink.Addr{IPNet: a.IPNet, Flags: unix.IFA_F_NODAD}) })
		}
		var add []netip.Prefix
		for p := range want[n] {
			if !have[p] {
				add = append(add, p)
			}
		}
		sort.Slice(add, func(i, j int) bool { return add[i].String() < add[j].String() })
		for _, p := range add {
			a := &netlink.Addr{IPNet: prefixIPNet(p), Flags: unix.IFA_F_NODAD}
			if err := d.nl.AddrAdd(l, a); err != nil && !isExist(err) {
				return fmt.Errorf("add IPv6 address %s to interface %s: %w", p, n, err)
			}
			d.added6[LinkName(n)+" "+p.String()] = true
			*undo = append(*undo, func() error { return d.nl.AddrDel(l, &netlink.Addr{IPNet: prefixIPNet(p)}) })
		}
	}
	return nil
}

// syncRoutes6 makes rosemu's IPv6 routes (proto static, main table)
// exactly those of st.IPv6. A route whose gateway is not reachable is
// kept inactive, as on IPv4.
func (d *Dataplane) syncRoutes6(st *State, undo *[]func() error) ([]Route, error) {
	wanted := map[string]wantRoute{}
	var order []string
	var inactive []Route
	connected, err := d.connected6()
	if err != nil {
		return nil, err
	}
	for _, ro := range st.IPv6.Routes {
		if !ro.Dst.Addr().Is6() {
			return nil, fmt.Errorf("sync IPv6 route %s: not an IPv6 prefix", ro.Dst)
		}
		// A connected route has distance 0 on RouterOS and wins over any
		// route to the same prefix, but the kernel gives an IPv6
		// address's prefix route metric 256, above every distance: a
		// route to that prefix would take the subnet from its own
		// interface. The DHCPv6 client's unreachable route for a
		// delegated /64 that the LAN is numbered from is one (forum55
		// D1). Such a route stays out of the kernel, inactive, as
		// RouterOS shows it, until the address goes.
		if connected[ro.Dst.Masked()] {
			inactive = append(inactive, ro)
			continue
		}
		r := netlink.Route{Dst: prefixIPNet(ro.Dst.Masked()), Priority: ro.Distance, Protocol: routeProto, Table: unix.RT_TABLE_MAIN}
		var hops []*netlink.NexthopInfo
		if ro.Type == "blackhole" {
			r.Type = unix.RTN_BLACKHOLE
		} else {
			// Each gateway of the route is a next hop; several (ECMP,
			// gateway=a,b) are one multipath route, as on IPv4. A
			// gateway whose interface is not there yet is left out
			// until a later commit finds it.
			for _, g := range routeGateways(ro.Gateway) {
				if h := d.routeHop6(g); h != nil {
					hops = append(hops, h)
				}
			}
			hops = uniqueHops6(hops)
			if len(hops) == 0 {
				inactive = append(inactive, ro)
				continue
			}
			if len(hops) == 1 {
				r.Gw, r.LinkIndex = hops[0].Gw, hops[0].LinkIndex
			} else {
				r.MultiPath = hops
			}
		}
		gwText, link := hopsKey6(hops)
		k := routeKey(ro.Dst.Masked().String(), gwText, link, ro.Distance, unix.RT_TABLE_MAIN, int(r.Type), "")
		if _, dup := wanted[k]; !dup {
			order = append(order, k)
		}
		wanted[k] = wantRoute{r: r, ro: ro}
	}
	more, err := d.reconcileRoutes(netlink.FAMILY_V6, wanted, order, func(r netlink.Route) string {
		dst := "::/0"
		if p, ok := ipnet6Prefix(r.Dst); ok {
			dst = p.String()
		}
		hops := r.MultiPath
		if len(hops) == 0 && (r.Gw != nil || r.LinkIndex != 0) {
			hops = []*netlink.NexthopInfo{{Gw: r.Gw, LinkIndex: r.LinkIndex}}
		}
		gw, link := hopsKey6(hops)
		return routeKey(dst, gw, link, r.Priority, r.Table, r.Type, "")
	}, undo)
	return append(inactive, more...), err
}

// connected6 are the prefixes of the router's global IPv6 addresses, the
// destinations of the kernel's connected routes (link-local ones aside).
func (d *Dataplane) connected6() (map[netip.Prefix]bool, error) {
	addrs, err := d.nl.AddrList(nil, netlink.FAMILY_V6)
	if err != nil {
		return nil, fmt.Errorf("sync IPv6 routes: list the addresses: %w", err)
	}
	out := map[netip.Prefix]bool{}
	for _, a := range addrs {
		if p, ok := ipnet6Prefix(a.IPNet); ok && !p.Addr().IsLinkLocalUnicast() && p.Bits() < 128 {
			out[p.Masked()] = true
		}
	}
	return out, nil
}

// ipnet6Prefix converts an IPv6 net; IPv4 gives false.
func ipnet6Prefix(n *net.IPNet) (netip.Prefix, bool) {
	if n == nil || n.IP.To4() != nil {
		return netip.Prefix{}, false
	}
	ip, ok := netip.AddrFromSlice(n.IP.To16())
	if !ok {
		return netip.Prefix{}, false
	}
	ones, bits := n.Mask.Size()
	if bits != 128 {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(ip, ones), true
}

// EUI64Prefix replaces the last 64 bits of p's address with the modified
// EUI-64 interface identifier of mac (RFC 4291 appendix A: the OUI's
// universal/local bit inverted, ff:fe between its halves), the prefix
// length kept: 3fff:88::/64 on 0c:a1:b2:c3:d4:e5 is
// 3fff:88::ea1:b2ff:fec3:d4e5/64.
func EUI64Prefix(p netip.Prefix, mac net.HardwareAddr) (netip.Prefix, error) {
	if !p.Addr().Is6() || p.Addr().Is4In6() {
		return netip.Prefix{}, fmt.Errorf("%s is not an IPv6 prefix", p)
	}
	if len(mac) != 6 {
		return netip.Prefix{}, fmt.Errorf("the link has no 48-bit MAC address (%q) to make the interface identifier from", mac.String())
	}
	b := p.Addr().As16()
	b[8], b[9], b[10] = mac[0]^0x02, mac[1], mac[2]
	b[11], b[12] = 0xff, 0xfe
	b[13], b[14], b[15] = mac[3], mac[4], mac[5]
	return netip.PrefixFrom(netip.AddrFrom16(b), p.Bits()), nil
}

// routeHop6 is the next hop of one IPv6 gateway g: an address, an
// address on an interface (a link-local one needs it), or an interface;
// nil when the interface is not there yet.
func (d *Dataplane) routeHop6(g string) *netlink.NexthopInfo {
	gwName, ifName := routeGateway(g)
	h := &netlink.NexthopInfo{}
	if gw, err := netip.ParseAddr(gwName); err == nil {
		h.Gw = net.IP(gw.AsSlice())
		if ifName == "" {
			return h
		}
		gwName = ifName
	}
	l, err := d.nl.LinkByName(LinkName(gwName))
	if err != nil {
		return nil
	}
	h.LinkIndex = l.Attrs().Index
	return h
}

// hopKey6 names an IPv6 next hop for a route's key: its gateway with the
// device only for a link-local one (the kernel reports the device it
// resolved a global gateway to), or the device alone.
func hopKey6(h *netlink.NexthopInfo) string {
	switch {
	case h.Gw != nil && h.Gw.IsLinkLocalUnicast():
		return fmt.Sprintf("%s%%dev%d", h.Gw, h.LinkIndex)
	case h.Gw != nil:
		return h.Gw.String()
	}
	return fmt.Sprintf("dev%d", h.LinkIndex)
}

// uniqueHops6 drops a next hop given twice (gateway=a,a).
func uniqueHops6(hops []*netlink.NexthopInfo) []*netlink.NexthopInfo {
	seen := map[string]bool{}
	var out []*netlink.NexthopInfo
	for _, h := range hops {
		if k := hopKey6(h); !seen[k] {
			seen[k] = true
			out = append(out, h)
		}
	}
	return out
}

// hopsKey6 is the gateway and link part of an IPv6 route's key: a single
// next hop as before (gateway, with its link when link-local; or the
// link of an interface route), several sorted, since the kernel may list
// a multipath route's next hops in another order.
func hopsKey6(hops []*netlink.NexthopInfo) (string, int) {
	switch len(hops) {
	case 0:
		return "", 0
	case 1:
		h := hops[0]
		if h.Gw == nil {
			return "", h.LinkIndex
		}
		if h.Gw.IsLinkLocalUnicast() {
			return h.Gw.String(), h.LinkIndex
		}
		return h.Gw.String(), 0
	}
	names := make([]string, 0, len(hops))
	for _, h := range hops {
		names = append(names, hopKey6(h))
	}
	sort.Strings(names)
	return strings.Join(names, ","), 0
}
