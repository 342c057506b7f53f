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
// a connection from dst that came in on WAN wi: one without
// connection-mark=no-mark always, one with it when no mark-connection rule
// the WAN's connections reach marks them at the door.
// The classifier and connection-mark=no-mark are left out of the match:
// an unmarked connection is what the answers are.
func (p *Plan) pccRule(m *matcher, keep func(*export.Command) bool, fw Forward, seg *Segment, dst netip.Addr, wi int) *export.Command {
	w := p.WANs[wi]
	answer := packet{src: fw.ToAddr, dst: dst, proto: fw.Protocol, in: seg.Interface, dstnatted: true, state: "established"}
	// An accept that certainly takes what comes in on the WAN ends
	// prerouting for it above the door's marks (a 7.9 export's "accept
	// in-interface=pppoe-out1" first of all): they never mark it, and the
	// classifier sends the answers by its hash (the lab's second line timed
	// out while --offline took its connections as marked at the door).
	inbound := packet{src: dst, dst: p.WANAddr(w, fw), proto: fw.Protocol, dstPort: fw.DstPort, in: w.Interface, local: true, state: "new"}
	doorShut, doorMarked := false, false
	var classifiers []*export.Command
	for _, c := range m.order(p.export).cmds {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip firewall mangle" || c.Verb != "add" || c.Value("chain") != "prerouting" {
			continue
		}
		switch {
		case c.Value("action") == "accept" || c.Value("action") == "return":
			if inbound.dst.IsValid() && m.match(c, inbound) == yes {
				doorShut = true
			}
		case c.Value("action") != "mark-connection":
		case c.Value("per-connection-classifier") != "":
			classifiers = append(classifiers, c)
		case !doorShut && (iface(c.Value("in-interface"), w.Interface) == yes || m.ifList(c.Value("in-interface-list"), w.Interface) == yes):
			doorMarked = true // the WAN's connections are marked at the door
		}
	}
	for _, c := range classifiers {
		// A classifier with connection-mark=no-mark leaves the answers of
		// connections marked at the door alone; one without it marks
		// every packet it sees, those answers too.
		switch cm := c.Value("connection-mark"); {
		case cm == "no-mark" && doorMarked, cm != "" && cm != "no-mark":
			continue
		}
		if m.match(withoutArgs(c, named("per-connection-classifier", "connection-mark")), answer) == yes {
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
		// Above the classifier, or above an accept that ends prerouting
		// for the WAN's connections before it (the door mark would never
		// be reached below it).
		above := rule.Line
		if shut := p.doorShutBy(keep, w, rule.Line); shut != nil {
			above = shut.Line
		}
		return "pcc in " + w.Interface,
			fmt.Sprintf("/ip firewall mangle add chain=prerouting action=mark-connection connection-mark=no-mark connection-state=new in-interface=%s new-connection-mark=%s passthrough=yes comment=%s place-before=%s",
				export.Quote(w.Interface), export.Quote(cm), export.Quote("came in on "+w.Interface), p.ruleSelector(above)), true
	}
	return "", "", false
}

// doorShutBy returns the first mangle prerouting accept above line that
// certainly takes new connections coming in on WAN w (with any port: a rule
// that names ports does not), nil if none.
func (p *Plan) doorShutBy(keep func(*export.Command) bool, w WAN, line int) *export.Command {
	m := p.newMatcher(p.export, keep)
	o := m.order(p.export)
	for _, c := range o.cmds {
		if !o.beforeLine(c, line) || !keep(c) || !enabled(c) || c.MenuPath() != "ip firewall mangle" || c.Verb != "add" || c.Value("chain") != "prerouting" {
			continue
		}
		if a := c.Value("action"); a != "accept" && a != "return" || c.Value("dst-port") != "" || c.Value("protocol") != "" {
			continue
		}
		if in := (packet{src: p.PeerAddr(), dst: p.WANAddr(w, Forward{}), in: w.Interface, local: true, state: "new"}); in.dst.IsValid() && m.match(c, in) == yes {
			return c
		}
	}
	return nil
}

// pccNoMarkFix gives a classifier without connection-mark the
// connection-mark=no-mark the Load Balancing page writes: without it the
// classifier marks every packet from the LAN, the answers of connections
// already marked at the door too.
func (p *Plan) pccNoMarkFix(rule *export.Command) (key, line string, ok bool) {
	if rule.Value("connection-mark") != "" {
		return "", "", false
	}
	return fmt.Sprintf("pcc no-mark %d", rule.Line), fmt.Sprintf("/ip firewall mangle set %s connection-mark=no-mark", p.ruleSelector(rule.Line)), true
}
