package check

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// pinDHCPGateways gives a DHCP or PPPoE WAN the gateway the export's
// static routes name for it. Recursive failover on DHCP lines writes its next hops
// literally (dst-address=9.9.9.9/32 gateway=192.0.2.1 scope=10, then the
// default route via 9.9.9.9): the lab must lease that WAN an address
// beside 192.0.2.1 and put its ISP there, or the router has no way out
// and every forward reads as broken. A route's gateway is on-link when no
// other route of the export covers it; on-link gateways outside every
// static WAN and LAN subnet go to the DHCP and PPPoE WANs in order (an
// interface named with %ether2, or a PPPoE profile's script that sets the
// route, decides for itself). A WAN whose address a forward
// names outside that gateway's /24 keeps the lab's own choice.
//
// Not every literal gateway is an ISP's, and a network engineer reads
// the export so:
//   - the ISP's next hop is where the internet is: default routes and the
//     host routes a recursive default route resolves through are taken
//     first; a route to a private network (a branch office's
//     192.168.200.0/24) is a tunnel's or a LAN router's, never the ISP's;
//   - a PPP peer (/ppp secret or /ppp profile local-address= and
//     remote-address=, or an address of the pool they name) is at the far
//     end of a tunnel the router serves, not on a WAN's wire;
//   - a route of another routing table that no second DHCP line can take,
//     in an export with VPN client tunnels (L2TP, PPTP, SSTP, OpenVPN,
//     WireGuard), leads into the tunnel: its gateway is the tunnel's far
//     end, which the tunnel's own address gives (a client's is dynamic);
//   - a src-nat with out-interface=<the WAN> to-addresses=X says the WAN's
//     lease is X (RouterOS sends with X as source: the ISP answers X only
//     when X is the WAN's own address). It outweighs a route's gateway
//     outside X's /24, and where no route names a gateway for the WAN it is
//     the only evidence: the lab leases the WAN X and puts its ISP at .1
//     of X's /24 (.2 when X is .1).
//
// Each of these put a DHCP WAN on a VPN's subnet before (realcheck15: the
// L2TP branch's 172.16.100.2 beside a src-nat to 192.168.10.149; a
// routing-mark=MNET route to an L2TP server's end), and the lab's failover
// then failed for a reason of the lab.
func (p *Plan) pinDHCPGateways(f *export.File, keep func(*export.Command) bool) {
	var routes []*export.Command
	defaults := map[string]int{} // the gateways of default routes: their least distance
	for _, c := range f.Commands {
		if c.Verb == "add" && c.MenuPath() == "ip route" && keep(c) && enabled(c) {
			routes = append(routes, c)
			if isDefaultRoute(c) {
				g, _ := firstGateway(c.Value("gateway"))
				if d, ok := defaults[g]; !ok || routeDistance(c, "distance") < d {
					defaults[g] = routeDistance(c, "distance")
				}
			}
		}
	}
	// covered says whether a route of the export leads to a, so that a is
	// no ISP's next hop on a wire of its own; a route whose gateway is an
	// interface (dst-address=192.168.160.0/24 gateway=ether1-pldt, a PCC
	// export's) makes a on-link there instead, and names the WAN (onLink).
	// Skipped as covered, the DHCP WAN's ISP stood elsewhere and the
	// router's answers by that table went to a next hop nobody held.
	covered := func(a netip.Addr) (bool, string) {
		for _, r := range routes {
			if d, err := netip.ParsePrefix(r.Value("dst-address")); err == nil && d.Bits() > 0 && d.Contains(a) {
				g, _ := firstGateway(r.Value("gateway"))
				if _, err := netip.ParseAddr(g); err != nil && g != "" {
					return false, g
				}
				return true, ""
			}
		}
		return false, ""
	}
	// rank orders the routes by how surely their gateway is an ISP's: 0
	// the internet's (a default route, or a host route a default route
	// resolves through), 1 another public destination, -1 a private one;
	// dist is the distance of the default route, so that the main line's
	// next hop comes first (recursive failover's host routes are in any
	// order in a file).
	rank := func(c *export.Command) (class, dist int) {
		if isDefaultRoute(c) {
			return 0, routeDistance(c, "distance")
		}
		d, ok := prefixOf(c.Value("dst-address"))
		if !ok {
			return 1, 0
		}
		if dd, ok := defaults[d.Addr().String()]; ok && d.Bits() == 32 {
			return 0, dd
		}
		if privateDst(d) {
			return -1, 0
		}
		return 1, 0
	}
	slices.SortStableFunc(routes, func(a, b *export.Command) int {
		ca, da := rank(a)
		cb, db := rank(b)
		if ca != cb {
			return ca - cb
		}
		return da - db
	})
	var addrs []netip.Prefix
	for _, ac := range index(f, keep).addrs {
		if pf, err := netip.ParsePrefix(ac.Value("address")); err == nil && enabled(ac) {
			addrs = append(addrs, pf.Masked())
		}
	}
	held := func(a netip.Addr) bool {
		return slices.ContainsFunc(addrs, func(pf netip.Prefix) bool { return pf.Contains(a) })
	}
	taken := func(sub netip.Prefix) bool {
		for _, w := range p.WANs {
			if w.Address.IsValid() && w.Address.Masked().Overlaps(sub) {
				return true
			}
			// A gateway pinned for another WAN already: two DHCP lines
			// of one ISP subnet (gateway=109.172.104.1%wan1 and %wan2)
			// cannot both be there, the lab's networks do not overlap
			// (its build failed); the second keeps a subnet of its own.
			if w.Kind != "static" && w.Gateway.IsValid() && sub.Contains(w.Gateway) {
				return true
			}
		}
		for _, s := range p.Segments {
			if s.Prefix.Masked().Overlaps(sub) {
				return true
			}
		}
		return false
	}
	// A PPPoE WAN's peer is named so too (a recursive failover over two
	// PPPoE lines routes 8.8.8.8/32 by the first ISP's end, 10.100.10.1):
	// the lab's PPPoE ISP takes that address as its end of the session,
	// or the export's routes never become active (their gateway is
	// nowhere) and its failover is not what the lab runs.
	free := func(wi int) bool {
		w := p.WANs[wi]
		return (w.Kind == "dhcp" || w.Kind == "pppoe") && w.Behind() == "" && !w.Gateway.IsValid()
	}
	peer := pppPeers(f, keep)
	tunnels := hasTunnelClient(f)
	snat := p.srcnatLeases(f, keep, held, taken)
	// A route of another routing table than main is policy routing's way
	// to a line the main table does not use: its next hop goes to a DHCP
	// WAN other than the main one first (a table "to-isp2" beside two DHCP
	// clients is the second line's, not the first's).
	main := p.mainWAN()
	for _, r := range routes {
		g, iface := firstGateway(r.Value("gateway"))
		a, err := netip.ParseAddr(g)
		cov, onLink := false, ""
		if err == nil {
			cov, onLink = covered(a)
		}
		if iface == "" {
			iface = onLink
		}
		if err != nil || !a.Is4() || !a.IsGlobalUnicast() || cov || held(a) {
			// Not a next hop an ISP can stand at (gateway=255.255.255.255
			// of a distance-255 blackhole route), or on a subnet an
			// address of the export holds, which makes it on-link
			// there (a DHCP WAN's static address beside its client).
			continue
		}
		if class, _ := rank(r); class < 0 || peer(a) {
			continue
		}
		sub := netip.PrefixFrom(a, 24).Masked()
		if taken(sub) {
			continue
		}
		wi := -1
		if iface != "" {
			if i := p.wanOfInterface(iface); i >= 0 && free(i) {
				wi = i
			}
		} else if i := p.sessionScriptWAN(f, keep, r); i >= 0 {
			if free(i) {
				wi = i
			}
		} else {
			other := r.Value("routing-table") != "" && r.Value("routing-table") != "main" ||
				r.Value("routing-mark") != "" && r.Value("routing-mark") != "main"
			alt := -1 // a free WAN other than the main one
			for i, w := range p.WANs {
				if w.Gateway == a {
					wi, alt = -2, -1 // pinned already, by an earlier route
					break
				}
				if wi == -1 && free(i) {
					wi = i
				}
				if alt == -1 && free(i) && i != main {
					alt = i
				}
			}
			if other && alt >= 0 {
				wi = alt
			} else if other && wi >= 0 && tunnels {
				continue // into a VPN client's tunnel
			}
		}
		if wi < 0 {
			continue
		}
		if l, ok := snat[p.WANs[wi].Interface]; ok && !sub.Contains(l.addr) {
			continue // the WAN's src-nat puts its lease elsewhere
		}
		p.WANs[wi].Gateway = a
		if p.WANs[wi].Kind == "pppoe" {
			p.Notes = append(p.Notes, fmt.Sprintf("line %d routes by %s, which no WAN's address holds: the lab's PPPoE ISP of %s takes it as its end of the session", r.Line, a, p.WANs[wi].Interface))
			continue
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d routes by %s, which no WAN's address holds: the lab leases the DHCP WAN %s an address beside it and puts that ISP there", r.Line, a, p.WANs[wi].Interface))
	}
	for wi, w := range p.WANs {
		l, ok := snat[w.Interface]
		if !ok || !free(wi) || w.Kind != "dhcp" {
			continue
		}
		sub := netip.PrefixFrom(l.addr, 24).Masked()
		p.WANs[wi].Gateway, p.WANs[wi].Lease = otherHost(sub, l.addr), l.addr
		p.Notes = append(p.Notes, fmt.Sprintf("line %d sends out of the DHCP WAN %s from %s (src-nat to-addresses=): the lab leases %s that address and puts its ISP at %s", l.line, w.Interface, l.addr, w.Interface, p.WANs[wi].Gateway))
	}
}

// sessionScriptWAN is the PPPoE WAN whose profile's on-up script sets the
// route r by its comment (/ip route set [find comment="ISP01"]
// gateway=$newgw, with the session's peer): the route is that session's,
// whatever its place in the file; -1 when no single one does. Two lines
// of equal distance otherwise went in file order, the lab gave the first
// ISP the second's peer, and the script then moved each route to the
// other ISP, where nothing answered its pings.
func (p *Plan) sessionScriptWAN(f *export.File, keep func(*export.Command) bool, r *export.Command) int {
	cm := r.Value("comment")
	if cm == "" {
		return -1
	}
	scripts := map[string]string{}
	for _, c := range f.Commands {
		if c.MenuPath() == "ppp profile" && c.Verb == "add" && keep(c) {
			scripts[c.Value("name")] = c.Value("on-up")
		}
	}
	found := -1
	for wi, w := range p.WANs {
		if w.Kind != "pppoe" {
			continue
		}
		pc := index(f, keep).pppoe[w.Interface]
		if pc == nil {
			continue
		}
		src := scripts[pc.Value("profile")]
		if strings.Contains(src, `comment="`+cm+`"`) || strings.Contains(src, `comment=\"`+cm+`\"`) ||
			strings.Contains(src, "comment="+cm+"]") || strings.Contains(src, "comment="+cm+" ") {
			if found >= 0 {
				return -1
			}
			found = wi
		}
	}
	return found
}

// isDefaultRoute reports whether route c is a default route (of any table).
func isDefaultRoute(c *export.Command) bool {
	d := c.Value("dst-address")
	return d == "" || d == "0.0.0.0/0"
}

// privateDst reports whether a route's destination lies in the private
// or shared address space (RFC 1918, RFC 6598), where no ISP routes.
func privateDst(d netip.Prefix) bool {
	return d.Bits() >= 8 && (d.Addr().IsPrivate() || cgnatSpace.Contains(d.Addr()))
}

// srcLease is the address a src-nat gives a WAN's traffic, and its line.
type srcLease struct {
	addr netip.Addr
	line int
}

// srcnatLeases reads, per DHCP WAN, the one address a src-nat with
// out-interface=<the WAN> and a single to-addresses= sends from: the
// WAN's lease as the export's author knew it. Addresses the export holds
// or a subnet the lab uses already (held, taken) say nothing of it.
func (p *Plan) srcnatLeases(f *export.File, keep func(*export.Command) bool, held func(netip.Addr) bool, taken func(netip.Prefix) bool) map[string]srcLease {
	out := map[string]srcLease{}
	for _, c := range f.Commands {
		if c.Verb != "add" || c.MenuPath() != "ip firewall nat" || !keep(c) || !enabled(c) ||
			c.Value("chain") != "srcnat" || c.Value("action") != "src-nat" {
			continue
		}
		wi := p.wanOfInterface(c.Value("out-interface"))
		if wi < 0 || p.WANs[wi].Kind != "dhcp" {
			continue
		}
		a, err := netip.ParseAddr(c.Value("to-addresses"))
		if err != nil || !a.Is4() || !a.IsGlobalUnicast() || held(a) || taken(netip.PrefixFrom(a, 24).Masked()) {
			continue
		}
		if _, ok := out[p.WANs[wi].Interface]; !ok {
			out[p.WANs[wi].Interface] = srcLease{addr: a, line: c.Line}
		}
	}
	return out
}

// pppPeers returns whether an address is a PPP peer of the export: a
// local-address= or remote-address= of /ppp secret or /ppp profile, or an
// address of an /ip pool one of them names.
func pppPeers(f *export.File, keep func(*export.Command) bool) func(netip.Addr) bool {
	peers := map[netip.Addr]bool{}
	pools := map[string]bool{}
	for _, c := range f.Commands {
		if m := c.MenuPath(); (m != "ppp secret" && m != "ppp profile") || !keep(c) {
			continue
		}
		for _, k := range []string{"local-address", "remote-address"} {
			v := c.Value(k)
			if a, err := netip.ParseAddr(v); err == nil {
				peers[a] = true
			} else if v != "" {
				pools[v] = true
			}
		}
	}
	var ranges []dhcpRange
	for _, c := range f.Commands {
		if c.MenuPath() == "ip pool" && c.Verb == "add" && pools[c.Value("name")] {
			rs, _ := poolRangesOf(c.Value("ranges"))
			ranges = append(ranges, rs...)
		}
	}
	return func(a netip.Addr) bool {
		return peers[a] || inRanges(ranges, a)
	}
}

// hasTunnelClient reports whether the export makes a VPN client tunnel
// (L2TP, PPTP, SSTP, OpenVPN) or a WireGuard interface.
func hasTunnelClient(f *export.File) bool {
	for _, c := range f.Commands {
		switch c.MenuPath() {
		case "interface l2tp-client", "interface pptp-client", "interface sstp-client", "interface ovpn-client", "interface wireguard":
			if c.Verb == "add" {
				return true
			}
		}
	}
	return false
}

// hostsVia lists the hosts the export routes through gateway gw by a /32
// of their own (dst-address=9.9.9.9/32 gateway=192.0.2.1): the targets a
// recursive failover route resolves through and its check-gateway pings.
// Beyond the lab nothing answers them, the routes over them go inactive
// and the router loses its way out, so the lab's ISP answers them as its
// own (labagent --local), inside the lab. Hosts inside a lab network
// (used) are left to the lab.
func (p *Plan) hostsVia(gw netip.Addr, used []netip.Prefix) []netip.Addr {
	var out []netip.Addr
	for _, c := range p.export.Commands {
		if c.Verb != "add" || c.MenuPath() != "ip route" || !enabled(c) {
			continue
		}
		if g, _ := firstGateway(c.Value("gateway")); g != gw.String() {
			continue
		}
		d, ok := prefixOf(c.Value("dst-address"))
		if !ok || d.Bits() != 32 || slices.Contains(out, d.Addr()) {
			continue
		}
		inLab := false
		for _, u := range used {
			inLab = inLab || u.Contains(d.Addr())
		}
		if !inLab {
			out = append(out, d.Addr())
		}
	}
	return out
}
