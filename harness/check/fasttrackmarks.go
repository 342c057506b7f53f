package check

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// FasttrackMarks: RouterOS's fasttrack hands a connection to a fast path
// whose packets skip mangle, so a routing mark set on the connection's
// mark reaches only the packets before the fasttrack rule took it (for a
// forward's TCP connection, the server's SYN-ACK), and the rest leave by
// the main table. The usual fix, on the forum and in the manual's policy
// routing examples, is connection-mark=no-mark on the fasttrack rule.
const FasttrackMarks Cause = "the fasttrack rule takes marked connections too: a fasttracked connection's packets skip mangle, so the routing mark that sends the answers back through this WAN reaches only the first of them, and the rest leave by the main table's default route through the other ISP, which drops a source address it did not give"

// fasttrackLosesMark returns the fasttrack rule that takes the server's
// answers (answer) to connections that came in on WAN wi, not the main
// WAN, when the export sends those answers back by a routing mark set on
// a connection mark, in prerouting. A routing rule leaves it unsaid: what
// the fast path does with one is not known here.
func (p *Plan) fasttrackLosesMark(f *export.File, m *matcher, keep func(*export.Command) bool, wi int, answer packet) *export.Command {
	main := p.mainWAN()
	if len(p.WANs) < 2 || main < 0 || wi == main {
		return nil
	}
	marks, ruled := p.connMarkRoutes(keep)
	if ruled {
		return nil
	}
	steered := slices.ContainsFunc(marks, func(c *export.Command) bool { return m.match(c, answer) != no })
	if !steered {
		return nil
	}
	rule, how := m.first(f, keep, "ip firewall filter", "forward", answer, map[string]bool{"accept": true, "drop": true, "reject": true, "fasttrack-connection": true})
	if rule == nil || how != yes || rule.Value("action") != "fasttrack-connection" || rule.Value("connection-mark") != "" {
		return nil
	}
	return rule
}

// connMarkRoutes returns the export's enabled mangle rules that set a
// routing mark in prerouting on a connection mark (what fasttrack takes
// from a marked connection), and whether a routing rule routes too.
func (p *Plan) connMarkRoutes(keep func(*export.Command) bool) (marks []*export.Command, ruled bool) {
	for _, c := range p.export.Commands {
		if c.Verb != "add" || !enabled(c) || !keep(c) {
			continue
		}
		switch c.MenuPath() {
		case "routing rule", "ip route rule":
			ruled = true
		case "ip firewall mangle":
			cm := c.Value("connection-mark")
			if c.Value("action") == "mark-routing" && c.Value("chain") == "prerouting" && cm != "" && cm != "no-mark" {
				marks = append(marks, c)
			}
		}
	}
	return marks, ruled
}

// fasttrackMarksFinding is the finding for WAN wi's path of forward i.
func (p *Plan) fasttrackMarksFinding(i, wi int, rule *export.Command) Finding {
	return Finding{Forward: i, Path: "internet via " + p.WANs[wi].Interface, Cause: FasttrackMarks, Line: rule.Line, Rule: rule.Raw,
		Detail: fmt.Sprintf("connections come in on %s; after the fasttrack rule takes them, the answers leave on %s, by the main table's default route", p.WANs[wi].Interface, p.WANs[p.mainWAN()].Interface)}
}

// fasttrackOutNote notes policy routing of the LAN's own connections (PCC
// or marks by source) routed by a routing mark set on a connection mark,
// with a fasttrack rule that takes marked connections too: their packets
// after the first leave by the main table's WAN with the address of the
// WAN they were marked for, which that ISP drops. Which connections the
// marks send elsewhere the hash or the sources decide, so it is a note;
// the lab shows it where its clients' connections are marked.
func (p *Plan) fasttrackOutNote(f *export.File, keep func(*export.Command) bool) {
	if len(p.WANs) < 2 {
		return
	}
	routes, ruled := p.connMarkRoutes(keep)
	if ruled {
		return
	}
	var marks []string
	for _, c := range routes {
		marks = append(marks, fmt.Sprint(c.Line))
	}
	ft := firstFasttrack(f, keep)
	lanMarked := false
	for _, c := range f.Commands {
		if c.Verb != "add" || !enabled(c) || !keep(c) || c.MenuPath() != "ip firewall mangle" {
			continue
		}
		// The LAN's own connections are classified: by the hash or by
		// their sources (answers to forwards are the finding's).
		if c.Value("action") == "mark-connection" && (c.Value("per-connection-classifier") != "" || c.Value("src-address") != "" || c.Value("src-address-list") != "") {
			lanMarked = true
		}
	}
	if ft == nil || len(marks) == 0 || !lanMarked {
		return
	}
	sel, _ := p.fasttrackUnmarked()
	p.Notes = append(p.Notes, fmt.Sprintf("line %d fasttracks marked connections too, and a fasttracked connection's packets skip mangle: the routing marks of %s reach only its first packets, and the rest leave by the main table's default route with the address of the WAN the connection was marked for, which that ISP drops (connections of the main table's WAN are not hurt); leave marked connections out of fasttrack: /ip firewall filter set %s connection-mark=no-mark",
		ft.Line, linesWord(marks), sel))
}

// linesWord writes line numbers as "line 4", "lines 4 and 9" or
// "lines 4, 9 and 12".
func linesWord(l []string) string {
	switch len(l) {
	case 1:
		return "line " + l[0]
	case 2:
		return "lines " + l[0] + " and " + l[1]
	}
	return "lines " + strings.Join(l[:len(l)-1], ", ") + " and " + l[len(l)-1]
}

// fasttrackTunnelNote notes policy routing into a tunnel (a VPN's
// WireGuard, L2TP or other interface that is none of the WANs) by a
// routing mark set in mangle prerouting, with a fasttrack rule that takes
// marked connections too: fasttrack's fast path skips mangle, so only the
// first packets of a connection carry the mark into the tunnel and the
// rest are routed by the main table, out the WAN (docs/routeros.md,
// FastTrack; rosemu drops a masqueraded one there, a LAN host's TCP
// connection to the VPN fails after its SYN-ACK: forum49 D3, where
// fasttrackOutNote, which needs two WANs and marks on connection marks,
// said nothing of the usual "one host through the VPN" export).
func (p *Plan) fasttrackTunnelNote(f *export.File, keep func(*export.Command) bool) {
	wan := map[string]bool{}
	for _, w := range p.WANs {
		wan[w.Interface] = true
	}
	ft := firstFasttrack(f, keep)
	if ft == nil {
		return
	}
	// through: the tunnel interface a table's enabled route leaves by.
	through := map[string]string{}
	var marks []*export.Command
	for _, c := range f.Commands {
		if c.Verb != "add" || !enabled(c) || !keep(c) {
			continue
		}
		switch c.MenuPath() {
		case "ip route":
			table := cmp.Or(c.Value("routing-table"), c.Value("routing-mark"))
			if iface := gatewayInterface(f, c.Value("gateway")); table != "" && table != "main" && iface != "" && !wan[iface] && through[table] == "" {
				through[table] = iface
			}
		case "ip firewall mangle":
			if c.Value("action") == "mark-routing" && c.Value("chain") == "prerouting" {
				marks = append(marks, c)
			}
		}
	}
	var lines []string
	var table string
	for _, c := range marks {
		if t := c.Value("new-routing-mark"); through[t] != "" {
			lines = append(lines, fmt.Sprint(c.Line))
			table = cmp.Or(table, t)
		}
	}
	if len(lines) == 0 {
		return
	}
	sel, _ := p.fasttrackUnmarked()
	p.Notes = append(p.Notes, fmt.Sprintf("line %d fasttracks the connections that the routing marks of %s send into table %s (through %s) too, and a fasttracked connection's packets skip mangle: only its first packets carry the routing mark into the tunnel, the rest are routed by the main table out the WAN (a connection masqueraded to the tunnel's address then breaks, one that is not leaks out the WAN); mark the connections with action=mark-connection, set the routing mark on that connection-mark, and leave marked connections out of fasttrack: /ip firewall filter set %s connection-mark=no-mark",
		ft.Line, linesWord(lines), table, through[table], sel))
}

// firstFasttrack is the first enabled fasttrack rule the router meets; nil
// when there is none, or when that rule has a connection-mark matcher of
// its own (it leaves marked connections, or some of them, alone).
func firstFasttrack(f *export.File, keep func(*export.Command) bool) *export.Command {
	for _, c := range routerOrder(f) {
		if c.Verb == "add" && enabled(c) && keep(c) && c.MenuPath() == "ip firewall filter" && c.Value("action") == "fasttrack-connection" {
			if c.Value("connection-mark") != "" {
				return nil
			}
			return c
		}
	}
	return nil
}

// gatewayInterface is the interface a route's gateway names or is on:
// "wg-vpn", "10.66.0.3%wg-vpn", or the interface of the export's address
// whose subnet holds "10.66.0.3" (a VPN peer's tunnel address); "" for an
// address on none of them. Of several gateways the first counts.
func gatewayInterface(f *export.File, gw string) string {
	first, iface := firstGateway(gw)
	first, _, _ = strings.Cut(first, "@")
	a, err := netip.ParseAddr(first)
	switch {
	case iface != "":
		return iface
	case err != nil:
		return first
	}
	if on := subnetsHolding(f, keepAll, a); len(on) > 0 {
		return on[0].Value("interface")
	}
	return ""
}
