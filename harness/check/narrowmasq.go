package check

import (
	"fmt"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// narrowMasquerade returns the lines that bind the masquerade added on
// line to the internet: one set line when the router has one WAN or an
// interface list holds every WAN and no LAN segment; with several WANs and
// no such list, the set names the first WAN and a copy of the rule is
// added for each other WAN. A masquerade acts only on packets leaving by
// the interface it names (NAT page of the manual): a set to the first WAN
// alone left the LAN's connections through the second WAN, and all of them
// once the first one's gateway failed, with private sources the ISP drops
// (realcheck27 D1: a 6.22 dual-WAN export, whose failover the fix cut).
// Copies rather than a new interface list: lists came with RouterOS 6.41
// [verify the exact version], and an export of 6.22 has none. The copies
// come after the set (its find would match them too) and are appended to
// srcnat; they carry the rule's other matchers, so together the rules
// take what the one rule took on its way to any WAN.
func (p *Plan) narrowMasquerade(line int) []string {
	if len(p.WANs) == 0 {
		return nil
	}
	sel := p.ruleSelector(line)
	if l := p.wanListName(p.export, p.keeper(p.export)); l != "" {
		return []string{fmt.Sprintf("/ip firewall nat set %s out-interface-list=%s", sel, export.Quote(l))}
	}
	var seen []string
	for _, w := range p.WANs {
		if w.Interface != "" && !contains(seen, w.Interface) {
			seen = append(seen, w.Interface)
		}
	}
	if len(seen) == 0 {
		return nil
	}
	out := []string{fmt.Sprintf("/ip firewall nat set %s out-interface=%s", sel, export.Quote(seen[0]))}
	if len(seen) == 1 {
		return out
	}
	rule := p.commandAt(line)
	if rule == nil {
		return nil
	}
	var args []string
	for _, a := range rule.Args {
		// The comment stays the original's own: a selector by it must
		// keep finding one rule.
		if selectorSkip[a.Name] || a.Name == "comment" || strings.HasPrefix(a.Name, "out-interface") {
			continue
		}
		args = append(args, a.Name+"="+export.Quote(a.Value))
	}
	for _, w := range seen[1:] {
		out = append(out, fmt.Sprintf("/ip firewall nat add %s out-interface=%s", strings.Join(args, " "), export.Quote(w)))
	}
	return out
}
