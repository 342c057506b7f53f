package check

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// HairpinMarked is load balancing (PCC) or policy routing whose mangle
// rules take the LAN's own requests to the public address: mangle
// prerouting runs before dstnat, so the connection gets its routing mark
// while it still looks bound for the internet, and after dstnat the router
// routes it to the server by the marked table, whose default route sends
// it out to the ISP. The Load Balancing page of the manual keeps such
// traffic out of the classifier with dst-address-type=!local
// (https://help.mikrotik.com/docs/spaces/ROS/pages/4390920/Load+Balancing).
const HairpinMarked Cause = "a mangle rule gives the LAN's requests to the public address a routing mark (mangle prerouting runs before dstnat): after dstnat the router routes them to the server by the marked table, whose default route sends them out to the ISP instead"

// hairpinMark follows mangle prerouting for the first packet of a LAN
// client's connection to the public address (pk, before dstnat): accept
// and return end the chain, mark-connection sets the connection mark that
// later rules' connection-mark compares, and a per-connection-classifier
// is taken to put the connection in its class (the classifier's rules
// share every connection between them, so one of them takes it). The
// mark-routing rule that certainly marks the packet is returned with its
// table when that table's default route catches the server's address,
// and the rule that set the connection mark it keys on (the classifier),
// if any. A rule the reading cannot weigh, or a jump, stops the walk.
func (p *Plan) hairpinMark(m *matcher, keep func(*export.Command) bool, pk packet, server netip.Addr) (rule *export.Command, table string, marker *export.Command) {
	connMark := ""
	var setBy *export.Command
	for _, c := range m.order(p.export).cmds {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip firewall mangle" || c.Verb != "add" || c.Value("chain") != "prerouting" {
			continue
		}
		act := c.Value("action")
		switch act {
		case "mark-connection", "mark-routing", "accept", "return", "jump":
		default:
			continue
		}
		pk.connMark, pk.markKnown = connMark, true
		switch t := m.match(withoutArgs(c, named("per-connection-classifier")), pk); {
		case t == no:
			continue
		case t == unknown || act == "jump":
			return nil, "", nil
		}
		switch act {
		case "accept", "return":
			return nil, "", nil
		case "mark-connection":
			connMark, setBy = c.Value("new-connection-mark"), c
			if c.Value("passthrough") == "no" {
				return nil, "", nil
			}
			continue
		}
		table = c.Value("new-routing-mark")
		if table == "" || table == "main" || p.tableRoutes(keep, table, server) {
			return nil, "", nil
		}
		if c.Value("connection-mark") == "" {
			setBy = nil
		}
		return c, table, setBy
	}
	return nil, "", nil
}

// hairpinMarkFinding is the finding for a LAN segment whose hairpinned
// requests such a rule marks; the line is the rule that set the mark
// first (the classifier), where the fix goes above.
func hairpinMarkFinding(i int, path string, rule *export.Command, table string, marker *export.Command) Finding {
	first := rule
	detail := fmt.Sprintf("new-routing-mark=%s at line %d; the table's default route catches the server's address", table, rule.Line)
	if marker != nil {
		first = marker
		detail = fmt.Sprintf("line %d marks the connection %s, line %d routes it by table %s, whose default route catches the server's address",
			marker.Line, marker.Value("new-connection-mark"), rule.Line, table)
	}
	if first.Value("per-connection-classifier") != "" {
		detail += " (the classifier's other rules take the rest of the connections alike)"
	}
	return Finding{Forward: i, Path: path, Cause: HairpinMarked, Line: first.Line, Rule: first.Raw, Detail: detail}
}

// hairpinMarkFix keeps the segment's requests to the router's own
// addresses (the public address among them) out of mangle, above the
// first rule that marks them: the main table then routes them to the
// server after dstnat. Bound to the segment, the accept leaves what comes
// in from a WAN (to the same public address) to the rules that mark it
// for the answers.
func (p *Plan) hairpinMarkFix(f Finding) (key, line string) {
	seg := strings.TrimPrefix(f.Path, "hairpin:")
	return "hairpin mark " + seg, fmt.Sprintf("/ip firewall mangle add chain=prerouting action=accept in-interface=%s dst-address-type=local comment=%s place-before=%s",
		export.Quote(seg), export.Quote("to the router's own addresses from "+seg+": main table"), p.ruleSelector(f.Line))
}
