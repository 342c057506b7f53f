package check

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/chrlab/chrlab/harness/export"
)

// InboundMarked is a mangle mark-routing rule that marks the forwarded
// connection's own packets as they come in from the internet (bound to the
// WAN, where it was meant for the answers from the LAN): the router routes
// them, after dstnat, by the marked table, which has no route to the
// server, so they go back out to the ISP.
const InboundMarked Cause = "a mangle mark-routing rule marks the forwarded connection's packets as they come in from the WAN: after dstnat the router routes them by the marked table, which has no route to the server, and sends them back out to the ISP (the mark was meant for the server's answers, which come from the LAN)"

// inboundMark follows mangle prerouting for the first packet of a
// connection from the internet (pk, before dstnat): mark-connection rules
// set the connection mark, a rule's connection-mark matcher is compared
// with it, and the first mark-routing rule that certainly matches is
// returned with its table when that table has a route that catches the
// server's address but none of the server's segment. A rule the reading
// cannot weigh stops the walk (nil).
func (p *Plan) inboundMark(m *matcher, keep func(*export.Command) bool, pk packet, server netip.Addr) (*export.Command, string) {
	connMark := ""
	for _, c := range m.order(p.export).cmds {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip firewall mangle" || c.Verb != "add" || c.Value("chain") != "prerouting" {
			continue
		}
		act := c.Value("action")
		if act != "mark-connection" && act != "mark-routing" {
			continue
		}
		want := c.Value("connection-mark")
		hasMark := slices.ContainsFunc(c.Args, named("connection-mark"))
		t := m.match(withoutArgs(c, named("connection-mark")), pk)
		if t == unknown {
			return nil, ""
		}
		if t == no || hasMark && !markIs(want, connMark) {
			continue
		}
		if act == "mark-connection" {
			connMark = c.Value("new-connection-mark")
			if c.Value("passthrough") == "no" {
				return nil, ""
			}
			continue
		}
		table := c.Value("new-routing-mark")
		if table == "" || table == "main" || p.tableRoutes(keep, table, server) {
			return nil, ""
		}
		return c, table
	}
	return nil, ""
}

// markIs compares a connection-mark matcher with the mark the connection
// has ("" is no-mark).
func markIs(want, have string) bool {
	neg := len(want) > 0 && want[0] == '!'
	if neg {
		want = want[1:]
	}
	eq := want == have || want == "no-mark" && have == ""
	return eq != neg
}

// tableRoutes reports whether the table routes dst the way main would
// (a route of the table covers dst more specifically than a default
// route), or has no route at all for dst (the lookup falls back to main).
func (p *Plan) tableRoutes(keep func(*export.Command) bool, table string, dst netip.Addr) bool {
	caught := false
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip route" || c.Verb != "add" {
			continue
		}
		if c.Value("routing-table") != table && c.Value("routing-mark") != table {
			continue
		}
		d := c.Value("dst-address")
		if d == "" {
			d = "0.0.0.0/0"
		}
		pf, err := netip.ParsePrefix(d)
		if err != nil || !pf.Masked().Contains(dst) {
			continue
		}
		if pf.Bits() > 0 {
			return true
		}
		caught = true
	}
	return !caught
}

func inboundMarkFinding(i int, path string, rule *export.Command, table string) Finding {
	return Finding{Forward: i, Path: path, Cause: InboundMarked, Line: rule.Line, Rule: rule.Raw,
		Detail: fmt.Sprintf("new-routing-mark=%s; the table's default route catches the server's address", table)}
}

// commandAt is the export's command at line.
func (p *Plan) commandAt(line int) *export.Command {
	for _, c := range p.export.Commands {
		if c.Line == line {
			return c
		}
	}
	return nil
}

// connMarkOf follows mangle for a connection's first packet as it comes in
// (pre, before dstnat) and returns the connection mark it leaves for the
// srcnat rules ("" is no-mark): mark-connection rules of prerouting set
// it, a rule's connection-mark compares it, and a matching rule with
// passthrough=no (or an accept or return) ends the chain. Mangle forward
// and postrouting also run before srcnat, so a mark-connection rule
// there, a jump, or a rule the reading cannot weigh leaves the mark
// unknown (false). A matcher the
// forward's own dst-nat has too (the same dst-address-list, a hairpin
// guide's list of the WAN's DNS names) holds: the dst-nat matched the
// same packet.
func (p *Plan) connMarkOf(m *matcher, keep func(*export.Command) bool, fw Forward, pre packet) (string, bool) {
	mark := ""
	for _, c := range m.order(p.export).cmds {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip firewall mangle" || c.Verb != "add" {
			continue
		}
		act, chain := c.Value("action"), c.Value("chain")
		if chain != "prerouting" {
			if act == "mark-connection" || act == "jump" {
				return "", false
			}
			continue
		}
		// A destination matcher the dst-nat shares held for the same packet.
		bare := withoutArgs(c, func(a export.Arg) bool {
			return (a.Name == "dst-address-list" || a.Name == "dst-address" || a.Name == "dst-address-type") && fw.cmd != nil && fw.cmd.Value(a.Name) == a.Value
		})
		pre.connMark, pre.markKnown = mark, true
		t := m.match(bare, pre)
		// accept and return end mangle prerouting for the packet, as a
		// rule with passthrough=no does.
		ends := c.Value("passthrough") == "no" || act == "accept" || act == "return"
		switch {
		case t == no:
			continue
		case act == "jump":
			return "", false
		case t == unknown:
			if act == "mark-connection" || ends {
				return "", false
			}
			continue
		}
		if act == "mark-connection" {
			mark = c.Value("new-connection-mark")
		}
		if ends {
			break
		}
	}
	return mark, true
}
