package check

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/chrlab/chrlab/harness/export"
)

// pinDHCPGateways gives a DHCP WAN the gateway the export's static routes
// name for it. Recursive failover on DHCP lines writes its next hops
// literally (dst-address=9.9.9.9/32 gateway=192.0.2.1 scope=10, then the
// default route via 9.9.9.9): the lab must lease that WAN an address
// beside 192.0.2.1 and put its ISP there, or the router has no way out
// and every forward reads as broken. A route's gateway is on-link when no
// other route of the export covers it; on-link gateways outside every
// static WAN and LAN subnet go to the DHCP WANs in order (an interface
// named with %ether2 decides for itself). A WAN whose address a forward
// names outside that gateway's /24 keeps the lab's own choice.
func (p *Plan) pinDHCPGateways(f *export.File, keep func(*export.Command) bool) {
	var routes []*export.Command
	for _, c := range f.Commands {
		if c.Verb == "add" && c.MenuPath() == "ip route" && keep(c) && enabled(c) {
			routes = append(routes, c)
		}
	}
	covered := func(a netip.Addr) bool {
		for _, r := range routes {
			if d, err := netip.ParsePrefix(r.Value("dst-address")); err == nil && d.Bits() > 0 && d.Contains(a) {
				return true
			}
		}
		return false
	}
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
		}
		for _, s := range p.Segments {
			if s.Prefix.Masked().Overlaps(sub) {
				return true
			}
		}
		return false
	}
	free := func(wi int) bool {
		w := p.WANs[wi]
		return w.Kind == "dhcp" && w.Behind() == "" && !w.Gateway.IsValid()
	}
	// A route of another routing table than main is policy routing's way
	// to a line the main table does not use: its next hop goes to a DHCP
	// WAN other than the main one first (a table "to-isp2" beside two DHCP
	// clients is the second line's, not the first's).
	main := p.mainWAN()
	for _, r := range routes {
		g, iface := firstGateway(r.Value("gateway"))
		a, err := netip.ParseAddr(g)
		if err != nil || !a.Is4() || !a.IsGlobalUnicast() || covered(a) || held(a) {
			// Not a next hop an ISP can stand at (gateway=255.255.255.255
			// of a distance-255 blackhole route), or on a subnet an
			// address of the export holds, which makes it on-link
			// there (a DHCP WAN's static address beside its client).
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
			}
		}
		if wi < 0 {
			continue
		}
		p.WANs[wi].Gateway = a
		p.Notes = append(p.Notes, fmt.Sprintf("line %d routes by %s, which no WAN's address holds: the lab leases the DHCP WAN %s an address beside it and puts that ISP there", r.Line, a, p.WANs[wi].Interface))
	}
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
