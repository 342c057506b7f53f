package check

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/chrlab/chrlab/harness/export"
)

// RouterOS resolves a route's gateway that lies on no connected subnet
// through another route only when that route's scope is at most the first
// route's target-scope; static routes default to scope=30 and
// target-scope=10, so a host route written without scope=10 never carries
// a recursive default route (IP Routing, "Nexthop lookup",
// https://help.mikrotik.com/docs/display/ROS/IP+Routing; the Failover (WAN
// Backup) page writes scope=10 on the host route and target-scope=11 on
// the recursive one,
// https://help.mikrotik.com/docs/spaces/ROS/pages/26476608/Failover+WAN+Backup).
// The route stays inactive and a backup route carries everything. The
// check read such a route as the main line (forum46 D2): no finding, and
// in the lab a failback warning about a line that never came up.

// RecursiveScope is the cause of a recursive route RouterOS never makes
// active.
const RecursiveScope Cause = "the route's gateway is reached only through a route whose scope is above this route's target-scope (a static route's defaults are scope=30 and target-scope=10): RouterOS never resolves the gateway, the route stays inactive, and another route carries its traffic"

// inactiveRecursive is a static route of the main table whose gateway only
// a route of too large a scope holds, with that route.
type inactiveRecursive struct {
	route, via *export.Command
	wan        int // the WAN via leads to
}

// inactiveRecursives returns the enabled static routes of the main table
// whose gateway is on no connected subnet and resolves through the
// export's routes only when scopes are ignored.
func (p *Plan) inactiveRecursives() []inactiveRecursive {
	if p.export == nil {
		return nil
	}
	var out []inactiveRecursive
	for _, c := range p.export.Commands {
		if c.Verb != "add" || c.MenuPath() != "ip route" || !enabled(c) {
			continue
		}
		if t := c.Value("routing-table"); t != "" && t != "main" || c.Value("routing-mark") != "" {
			continue
		}
		first, iface := firstGateway(c.Value("gateway"))
		a, err := netip.ParseAddr(first)
		if err != nil || iface != "" || p.wanOfAddr(a) >= 0 || p.onSegment(a) || p.wanOfRoute(c) >= 0 {
			continue
		}
		// What would hold it, scopes aside: the most specific route of
		// the main table through which a WAN is reached.
		var via *export.Command
		wan, bits := -1, -1
		for _, r := range p.export.Commands {
			if r == c || r.Verb != "add" || r.MenuPath() != "ip route" || !enabled(r) {
				continue
			}
			if t := r.Value("routing-table"); t != "" && t != "main" || r.Value("routing-mark") != "" {
				continue
			}
			d, ok := prefixOf(r.Value("dst-address"))
			if !ok || d.Bits() == 0 || d.Bits() <= bits || !d.Contains(a) {
				continue
			}
			if wi := p.wanOfGatewayDepth(r.Value("gateway"), 255, 1); wi >= 0 {
				via, wan, bits = r, wi, d.Bits()
			}
		}
		if via != nil {
			out = append(out, inactiveRecursive{route: c, via: via, wan: wan})
		}
	}
	return out
}

// onSegment reports whether a lies on a LAN segment's subnet.
func (p *Plan) onSegment(a netip.Addr) bool {
	return slices.ContainsFunc(p.Segments, func(s Segment) bool { return s.Prefix.Masked().Contains(a) })
}

// recursiveScopeFindings gives each inactive recursive route its finding,
// on the internet path of the WAN it was meant for.
func (p *Plan) recursiveScopeFindings() []Finding {
	var out []Finding
	for _, ir := range p.inactiveRecursives() {
		scope, _ := routeScopes(ir.via)
		_, target := routeScopes(ir.route)
		out = append(out, Finding{Forward: -1, Path: "internet via " + p.WANs[ir.wan].Interface, Cause: RecursiveScope, Line: ir.route.Line, Rule: ir.route.Raw,
			Detail: fmt.Sprintf("gateway %s is held by line %d (%s), whose scope is %d, above this route's target-scope %d: the route never becomes active and %s carries no traffic of it",
				ir.route.Value("gateway"), ir.via.Line, ruleQuote(ir.via.Raw), scope, target, p.WANs[ir.wan].Interface)})
	}
	return out
}

// recursiveScopeFix is the Failover (WAN Backup) page's pair: scope=10 on
// the route that holds the gateway, target-scope=11 on the recursive route.
func (p *Plan) recursiveScopeFix(line int) (lines [][2]string) {
	for _, ir := range p.inactiveRecursives() {
		if ir.route.Line != line {
			continue
		}
		d, _ := prefixOf(ir.via.Value("dst-address"))
		lines = append(lines,
			[2]string{fmt.Sprintf("scope %d", ir.via.Line), fmt.Sprintf("/ip route set [ find dst-address=%s gateway=%s ] scope=10", d, export.Quote(ir.via.Value("gateway")))},
			[2]string{fmt.Sprintf("target-scope %d", ir.route.Line), fmt.Sprintf("/ip route set [ find dst-address=%s gateway=%s ] target-scope=11", routeDst(ir.route), export.Quote(ir.route.Value("gateway")))})
	}
	return lines
}

// routeDst is a route's destination as RouterOS prints it (0.0.0.0/0 for
// a default route the export writes without one).
func routeDst(c *export.Command) string {
	if d, ok := prefixOf(c.Value("dst-address")); ok {
		return d.String()
	}
	return "0.0.0.0/0"
}
