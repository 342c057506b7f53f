package check

import (
	"fmt"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// otherWANServiceNotes names the router's own services (WinBox, SSH,
// WebFig) that the input chain opens on a WAN other than the main one:
// the router's answers are its own output, which prerouting's mark-routing
// never sees, so without a mark-routing rule in chain=output (or a routing
// rule for the WAN's address) they follow the main table out through the
// main WAN, whose ISP drops a source it did not give (Policy Routing,
// https://help.mikrotik.com/docs/display/ROS/Policy+Routing; mangle chains,
// https://help.mikrotik.com/docs/display/ROS/Mangle). The forum's "port
// forwards on WAN2 work after the marks, WinBox to WAN2 still times out".
// Not probed: the check lab probes the router's services on the first
// WAN only.
func (p *Plan) otherWANServiceNotes() {
	if len(p.WANs) < 2 || p.export == nil {
		return
	}
	main := p.mainWAN()
	if main < 0 {
		return
	}
	f := p.export
	keep := p.keeper(f)
	for _, c := range f.Commands {
		if c.Verb != "add" || !enabled(c) || !keep(c) {
			continue
		}
		switch c.MenuPath() {
		case "routing rule", "ip route rule":
			return // a rule may send the router's answers anywhere: not weighed
		case "ip firewall mangle":
			if c.Value("chain") == "output" && (c.Value("action") == "mark-routing" || c.Value("action") == "route") {
				return
			}
		}
	}
	m := newMatcher(f, keep)
	restricted := p.serviceAddresses()
	peer := p.PeerAddr()
	for wi, w := range p.WANs {
		if wi == main || w.Behind() != "" || w.Kind == "static" && !w.Gateway.IsValid() {
			continue
		}
		addr := p.WANAddr(w, Forward{})
		if !addr.IsValid() {
			continue
		}
		var open []string
		line := 0
		for _, s := range p.services() {
			if allowed, ok := restricted[s.name]; ok && !allowed(peer) {
				continue
			}
			pk := packet{src: peer, dst: addr, proto: "tcp", dstPort: s.port, in: w.Interface, local: true, state: "new", clientPort: true}
			if hit, _ := m.first(f, keep, "ip firewall nat", "dstnat", pk, map[string]bool{"dst-nat": true, "netmap": true, "redirect": true, "accept": true}); hit != nil {
				continue // a forward takes the port, or might
			}
			if rule, _ := m.first(f, keep, "ip firewall raw", "prerouting", pk, map[string]bool{"drop": true}); rule != nil {
				continue
			}
			rule, how := m.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
			if how != yes || rule == nil || rule.Value("action") != "accept" {
				continue // only a service the input chain certainly opens
			}
			label := serviceLabels[s.name]
			open = append(open, fmt.Sprintf("%s (%d)", label, s.port))
			if line == 0 {
				line = rule.Line
			}
		}
		if len(open) == 0 {
			continue
		}
		note := fmt.Sprintf("the input chain opens the router's %s on %s (%s, line %d), but the router's own answers are routed by the main table, out through %s, whose ISP drops a source it did not give (prerouting's routing marks do not take the router's output): from the internet they do not answer on %s (not probed: the lab probes the router's services on the first WAN)",
			strings.Join(open, ", "), w.Interface, addr, line, p.WANs[main].Interface, addr)
		if fix := p.outputMarkFix(w); fix != "" {
			note += "; to answer through " + w.Interface + ": " + fix
		}
		p.Notes = append(p.Notes, note)
	}
}

// outputMarkFix is the mangle rule that routes the router's own answers
// through WAN w by the export's own marks: the connection mark a
// prerouting rule sets on what comes in on w, and the routing table whose
// default route leaves by w; "" when the export has either missing.
func (p *Plan) outputMarkFix(w WAN) string {
	var mark, table string
	for _, c := range p.export.Commands {
		if c.Verb != "add" || !enabled(c) || c.MenuPath() != "ip firewall mangle" {
			continue
		}
		if c.Value("action") == "mark-connection" && c.Value("chain") == "prerouting" && c.Value("in-interface") == w.Interface && mark == "" {
			mark = c.Value("new-connection-mark")
		}
	}
	for _, c := range p.export.Commands {
		if c.Verb != "add" || !enabled(c) || c.MenuPath() != "ip route" {
			continue
		}
		t := c.Value("routing-table")
		if t == "" {
			t = c.Value("routing-mark") // RouterOS 6
		}
		if t == "" || t == "main" || (c.Value("dst-address") != "" && c.Value("dst-address") != "0.0.0.0/0") {
			continue
		}
		gw := c.Value("gateway")
		if gw == w.Interface || w.Gateway.IsValid() && gw == w.Gateway.String() {
			table = t
			break
		}
	}
	if mark == "" || table == "" {
		return ""
	}
	return fmt.Sprintf("/ip firewall mangle add chain=output action=mark-routing connection-mark=%s new-routing-mark=%s passthrough=no comment=%s",
		export.Quote(mark), export.Quote(table), export.Quote("the router's answers through "+w.Interface))
}
