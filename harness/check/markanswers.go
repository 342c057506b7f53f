package check

import (
	"cmp"
	"fmt"
	"net/netip"
	"strconv"

	"github.com/chrlab/chrlab/harness/export"
)

// MarkedAnswers is a mangle rule that gives the answers of forwarded
// connections a routing mark meant for the server's own traffic.
const MarkedAnswers Cause = "a mangle mark-routing rule also marks the server's answers to forwarded connections: they are routed by its table, not back the way the connection came (out through another WAN, whose ISP drops a source it did not give, or away from the LAN), and are lost"

// markedAnswers returns the prerouting mark-routing rule that certainly
// marks the server's answers to a connection from dst (the internet's
// peer or a LAN client), and the table it names, when that table does not
// send them back: for the internet, no route of the table through the
// gateway of in, the WAN the connection came in on; for a LAN client, no
// route of the table covers it. A rule that the reading cannot weigh (a
// connection mark, say) is not said to mark them.
func (p *Plan) markedAnswers(m *matcher, keep func(*export.Command) bool, fw Forward, seg *Segment, dst netip.Addr, in *WAN) (*export.Command, string) {
	answer := packet{src: fw.ToAddr, dst: dst, proto: fw.Protocol, in: seg.Interface, dstnatted: true, state: "established"}
	for _, c := range m.order(p.export).cmds {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip firewall mangle" || c.Verb != "add" || c.Value("chain") != "prerouting" {
			continue
		}
		if c.Value("action") != "mark-routing" || m.match(c, answer) != yes {
			continue
		}
		table := c.Value("new-routing-mark")
		if table == "" || table == "main" || p.tableSendsBack(keep, table, dst, in) || !p.tableHolds(keep, table, dst) {
			return nil, ""
		}
		return c, table
	}
	return nil, ""
}

// tableSendsBack reports whether the route of table that takes dst (the
// most specific active one, then the lowest distance: a failover pair's
// backup carries nothing while the main is up) covers it and, for an
// answer to the internet, leaves through the WAN in (its gateway is on the
// WAN's network, or is the WAN's interface).
func (p *Plan) tableSendsBack(keep func(*export.Command) bool, table string, dst netip.Addr, in *WAN) bool {
	var best *export.Command
	bestBits, bestDist := -1, 0
	for _, c := range p.activeRoutesTo(keep, table, dst) {
		pf, _ := prefixOf(cmp.Or(c.Value("dst-address"), "0.0.0.0/0"))
		dist, err := strconv.Atoi(c.Value("distance"))
		if err != nil {
			dist = 1
		}
		if pf.Bits() > bestBits || pf.Bits() == bestBits && dist < bestDist {
			best, bestBits, bestDist = c, pf.Bits(), dist
		}
	}
	if best == nil {
		return false
	}
	if in == nil {
		// A LAN client: the table's default route leads to a WAN.
		return bestBits > 0
	}
	gw, _ := firstGateway(best.Value("gateway"))
	if gw == in.Interface {
		return true
	}
	a, err := netip.ParseAddr(gw)
	return err == nil && (in.Address.IsValid() && in.Address.Masked().Contains(a) || a == in.Gateway)
}

// markedAnswersFinding is the finding for a path whose answers such a rule
// marks.
func markedAnswersFinding(i int, path string, rule *export.Command, table string) Finding {
	return Finding{Forward: i, Path: path, Cause: MarkedAnswers, Line: rule.Line, Rule: rule.Raw,
		Detail: fmt.Sprintf("new-routing-mark=%s, with no connection-nat-state=!dstnat or connection mark to leave the answers out", table)}
}

// tableHolds reports whether table has an active route to dst: one whose
// gateway is an interface, or an address on a WAN or a LAN segment (or
// reached through the main table's routes, as a recursive next hop). A
// table whose routes all point at a gateway the router cannot reach
// (gateway=192.168.1.3 with no address in 192.168.1.0/24) has them
// inactive; the marked packet misses it and falls back to main, as
// rosemu routes it (docs/mangle-routing.md), so its answers are not lost.
func (p *Plan) tableHolds(keep func(*export.Command) bool, table string, dst netip.Addr) bool {
	return len(p.activeRoutesTo(keep, table, dst)) > 0
}

// activeRoutesTo are the routes of table that cover dst and whose gateway
// the router can reach.
func (p *Plan) activeRoutesTo(keep func(*export.Command) bool, table string, dst netip.Addr) []*export.Command {
	var out []*export.Command
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip route" || c.Verb != "add" {
			continue
		}
		if c.Value("routing-table") != table && c.Value("routing-mark") != table {
			continue
		}
		pf, ok := prefixOf(cmp.Or(c.Value("dst-address"), "0.0.0.0/0"))
		if ok && pf.Masked().Contains(dst) && p.routeActive(c) {
			out = append(out, c)
		}
	}
	return out
}

// routeActive reports whether a route's gateway can be reached: an
// interface, or an address on a WAN or a LAN segment (or reached through
// the main table's routes, as a recursive next hop). A gateway on none of
// the router's subnets leaves the route inactive, as RouterOS lists it.
func (p *Plan) routeActive(c *export.Command) bool {
	gw := c.Value("gateway")
	first, iface := firstGateway(gw)
	a, err := netip.ParseAddr(first)
	if gw == "" || iface != "" || err != nil {
		// blackhole, an interface, or gateway%interface: active as far
		// as the rules tell.
		return true
	}
	if p.wanOfRoute(c) >= 0 {
		return true
	}
	for _, seg := range p.Segments {
		if seg.Prefix.Masked().Contains(a) {
			return true
		}
	}
	return false
}
