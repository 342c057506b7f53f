package check

import (
	"fmt"
	"net/netip"

	"github.com/chrlab/chrlab/harness/export"
)

// markedWayOut follows mangle prerouting for the first packet of LAN
// segment s's connection to the internet (before routing): when a
// mark-routing rule certainly marks it into a table whose default route
// goes by a next hop on an interface that is no WAN of the lab (a VLAN
// line left out, a private upstream router), the segment leaves by that
// route, not by the main table's WANs, and the way out is the note it
// returns. Policy routing decides the way out before srcnat (Policy Routing
// page of the manual, https://help.mikrotik.com/docs/spaces/ROS/pages/59965508/Policy+Routing:
// mangle's routing mark selects the table the packet is routed by). A
// router whose VLAN 10 was marked to an upstream at 192.168.101.254 was
// told its LAN lacked a masquerade out of two DHCP clients it never
// leaves by, one of them the LAN bridge (rc28 D6).
func (p *Plan) markedWayOut(m *matcher, keep func(*export.Command) bool, s Segment) (string, bool) {
	pk := packet{src: hostIn(s.Prefix, 100), dst: p.PeerAddr(), proto: "tcp", dstPort: lanOutPort, in: s.Interface, state: "new"}
	rule, table, _ := p.hairpinMark(m, keep, pk, pk.dst)
	if rule == nil {
		return "", false
	}
	for _, r := range p.export.Commands {
		if !keep(r) || !enabled(r) || r.MenuPath() != "ip route" || r.Verb != "add" ||
			r.Value("routing-table") != table && r.Value("routing-mark") != table ||
			r.Value("dst-address") != "" && r.Value("dst-address") != "0.0.0.0/0" {
			continue
		}
		first, _ := firstGateway(r.Value("gateway"))
		gw, err := netip.ParseAddr(first)
		if err != nil {
			return "", false
		}
		iface := p.interfaceFor(keep, gw)
		if iface == "" || p.wanOfInterface(iface) >= 0 {
			return "", false
		}
		out := pk
		out.out = iface
		nat := fmt.Sprintf("no srcnat rule takes them out of %s: unless the router at %s routes %s back, they need /ip firewall nat add chain=srcnat action=masquerade src-address=%s out-interface=%s", iface, gw, s.Prefix.Masked(), s.Prefix.Masked(), export.Quote(iface))
		if hit, how := m.first(p.export, keep, "ip firewall nat", "srcnat", out, map[string]bool{"masquerade": true, "src-nat": true, "netmap": true, "same": true, "accept": true}); hit != nil && how == yes {
			nat = fmt.Sprintf("line %d's srcnat takes them there", hit.Line)
		}
		return fmt.Sprintf("%s (%s): line %d gives its connections to the internet the routing mark %s, whose default route (line %d) goes by %s on %s, a line the lab does not wire: the LAN leaves by it, not by the lab's WAN, and its way out is not judged; %s (not probed)",
			s.Interface, s.Prefix.Masked(), rule.Line, table, r.Line, gw, iface, nat), true
	}
	return "", false
}

// interfaceFor is the interface whose IPv4 subnet holds gw, "" if none.
func (p *Plan) interfaceFor(keep func(*export.Command) bool, gw netip.Addr) string {
	if on := subnetsHolding(p.export, keep, gw); len(on) > 0 {
		return on[0].Value("interface")
	}
	return ""
}
