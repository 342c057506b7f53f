package check

import (
	"fmt"
	"net/netip"

	"github.com/chrlab/chrlab/harness/export"
)

// PCCAnswers is PCC load balancing that classifies the server's answers
// to a forwarded connection: they come from the LAN with no connection
// mark, so the per-connection-classifier rule marks the connection for
// whichever WAN the hash of the addresses picks, and the answers leave
// through it with the source of the WAN the connection came in on, which
// another ISP drops. The Load Balancing page of the manual marks the
// connections that come in on each WAN first
// (https://help.mikrotik.com/docs/spaces/ROS/pages/4390920/Load+Balancing).
const PCCAnswers Cause = "the PCC rule also classifies the server's answers to forwarded connections (they come from the LAN with no connection mark): they are sent out through the WAN the hash picks, not the one the connection came in on, whose ISP drops them"

// pccRule returns the mangle mark-connection rule with a
// per-connection-classifier that certainly takes the server's answers to
// a connection from dst that came in on WAN wi, when no earlier
// mark-connection rule marks the connections coming in on that WAN.
// The classifier and connection-mark=no-mark are left out of the match:
// an unmarked connection is what the answers are.
func (p *Plan) pccRule(m *matcher, keep func(*export.Command) bool, fw Forward, seg *Segment, dst netip.Addr, wi int) *export.Command {
	w := p.WANs[wi]
	answer := packet{src: fw.ToAddr, dst: dst, proto: fw.Protocol, in: seg.Interface, dstnatted: true, state: "established"}
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip firewall mangle" || c.Verb != "add" || c.Value("chain") != "prerouting" ||
			c.Value("action") != "mark-connection" {
			continue
		}
		if c.Value("per-connection-classifier") == "" {
			if iface(c.Value("in-interface"), w.Interface) == yes || m.ifList(c.Value("in-interface-list"), w.Interface) == yes {
				return nil // the WAN's connections are marked at the door
			}
			continue
		}
		if cm := c.Value("connection-mark"); cm != "" && cm != "no-mark" {
			continue
		}
		if m.match(withoutArgs(c, named("per-connection-classifier", "connection-mark")), answer) == yes && c.Value("connection-mark") == "no-mark" {
			return c
		}
	}
	return nil
}

// pccFinding is the finding for WAN wi's path of forward i.
func (p *Plan) pccFinding(i, wi int, rule *export.Command) Finding {
	return Finding{Forward: i, Path: "internet via " + p.WANs[wi].Interface, Cause: PCCAnswers, Line: rule.Line, Rule: rule.Raw,
		Detail: fmt.Sprintf("connections come in on %s; nothing marks them there before the classifier", p.WANs[wi].Interface)}
}

// pccFix marks the connections that come in on WAN wi with the connection
// mark whose routing mark sends them back through it, above the first
// classifier rule, so that the classifier (connection-mark=no-mark) leaves
// their answers alone. ok is false when no mark of the export routes
// through that WAN (the generic answer routing then applies).
func (p *Plan) pccFix(wi int, rule *export.Command) (key, line string, ok bool) {
	w := p.WANs[wi]
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip firewall mangle" || c.Verb != "add" || c.Value("chain") != "prerouting" ||
			c.Value("action") != "mark-routing" {
			continue
		}
		cm, table := c.Value("connection-mark"), c.Value("new-routing-mark")
		if cm == "" || cm == "no-mark" || table == "" || !p.tableSendsBack(keep, table, p.PeerAddr(), &w) {
			continue
		}
		return "pcc in " + w.Interface,
			fmt.Sprintf("/ip firewall mangle add chain=prerouting action=mark-connection connection-mark=no-mark connection-state=new in-interface=%s new-connection-mark=%s passthrough=yes comment=%s place-before=[ find %s ]",
				export.Quote(w.Interface), export.Quote(cm), export.Quote("came in on "+w.Interface), p.whereOf(rule.Line)), true
	}
	return "", "", false
}
