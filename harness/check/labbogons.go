package check

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// dynamicSpare are the networks a dynamic WAN leases from when the
// export's drop rules name every one of dynamicChoices that is free: the
// "Building Advanced Firewall" page's raw rules drop
// dst-address-list=bad_ipv4, which holds 203.0.113.0/24, and
// src-address-list=not_global_ipv4, which holds 198.18.0.0/15, so the
// forwards of such an export to a WAN leased from them were read as
// dropped by the user's bogon rule, and a fix of raw accepts above it
// was offered (f48 D4). These networks are in no bogon block; the lab is
// closed (docs/labs.md), so nothing addressed to them leaves this machine,
// as with the internet's last choice (11.22.33.0/24).
var dynamicSpare = []netip.Prefix{
	netip.MustParsePrefix("11.22.55.0/24"),
	netip.MustParsePrefix("11.22.66.0/24"),
}

// bothLists are the keys by which a rule names the list of its source
// and of its destination.
var bothLists = []string{"src-address-list", "dst-address-list"}

// dynamicPool is the order the lab leases dynamic WANs from: the
// documentation and benchmarking networks first, the spare ones after.
func dynamicPool() []netip.Prefix {
	return slices.Concat(dynamicChoices, dynamicSpare)
}

// droppingList returns the first enabled drop or reject rule of /ip
// firewall raw or filter that names, by one of keys (src-address-list,
// dst-address-list; not negated), a list with an entry overlapping c, and
// that entry; nil when none does. A lab address in c would meet that
// rule only because the lab chose it: the user's real address is not in
// the list (when it is, the export names it, and the lab uses it).
func (p *Plan) droppingList(c netip.Prefix, keys ...string) (rule, entry *export.Command) {
	if p.export == nil {
		return nil, nil
	}
	// A line set aside (the lab router refused it) is not on the lab's
	// router: its list drops nothing there.
	keep := p.keeper(p.export)
	lists := map[string]*export.Command{}
	for _, r := range p.export.Commands {
		if r.Verb != "add" || !enabled(r) || !keep(r) || (r.MenuPath() != "ip firewall raw" && r.MenuPath() != "ip firewall filter") {
			continue
		}
		if a := r.Value("action"); a != "drop" && a != "reject" {
			continue
		}
		for _, k := range keys {
			if l := r.Value(k); l != "" && !strings.HasPrefix(l, "!") && lists[l] == nil {
				lists[l] = r
			}
		}
	}
	if len(lists) == 0 {
		return nil, nil
	}
	for _, e := range p.export.Commands {
		if e.Verb != "add" || !enabled(e) || !keep(e) || e.MenuPath() != "ip firewall address-list" || lists[e.Value("list")] == nil {
			continue
		}
		pf, ok := parseAddrMatch(e.Value("address"))
		if ok && slices.ContainsFunc(pf, c.Overlaps) {
			return lists[e.Value("list")], e
		}
	}
	return nil, nil
}

// labBogonNote says, for each dynamic WAN whose first free network of
// the lab an address list of the export's drop rules holds, that the
// lab leases it elsewhere and why: on the user's real address the rule
// does not match, so it is no finding and needs no fix.
func (p *Plan) labBogonNote() {
	for _, w := range p.WANs {
		if w.Address.IsValid() {
			continue
		}
		got := p.dynamicAddr(w)
		for _, c := range dynamicPool() {
			if c.Contains(got) {
				break
			}
			rule, entry := p.droppingList(c, bothLists...)
			if rule == nil {
				continue
			}
			list := entry.Value("list")
			note := fmt.Sprintf("line %d drops the address list %s, whose entry %s (line %d) holds the lab's network for the dynamic WAN %s (%s, kept for documentation and tests, as bogon lists know): on your real address the rule does not match, so it is no finding; the lab leases %s %s instead", rule.Line, list, entry.Value("address"), entry.Line, w.Interface, c, w.Interface, got)
			if !slices.Contains(p.Notes, note) {
				p.Notes = append(p.Notes, note)
			}
			break
		}
	}
}
