package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// Two readings the guest note got wrong (chk54):
//   - a guest segment in a VRF of its own (/ip vrf add interfaces=guest
//     name=guest) has no route to the main table's LANs: its connections
//     there find no way, whatever the forward chain says (the VRF page of
//     the manual: each VRF is its own routing table, reached from another
//     only through a route that names an interface or table of it,
//     gateway=x@main) [verify]. The note said the guests reach the LAN.
//   - a forward drop of the guests' connections that is there but
//     disabled (disabled=yes) is the user's own line: the note said to
//     add a new one beside it. It says to enable it now.

// vrfOf is the VRF interface iface is in (/ip vrf interfaces=), "main"
// when it is in none.
func vrfOf(f *export.File, keep func(*export.Command) bool, iface string) string {
	for _, c := range f.Commands {
		if keep(c) && enabled(c) && c.Verb == "add" && c.MenuPath() == "ip vrf" && slices.Contains(strings.Split(c.Value("interfaces"), ","), iface) {
			return c.Value("name")
		}
	}
	return "main"
}

// vrfApart reports whether segments a and b are in different VRFs and no
// route of the export leaks between tables (a gateway=x@table, or a
// route whose gateway is an interface of the other VRF).
func vrfApart(f *export.File, keep func(*export.Command) bool, a, b string) bool {
	va, vb := vrfOf(f, keep, a), vrfOf(f, keep, b)
	if va == vb {
		return false
	}
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "ip route" {
			continue
		}
		gw := c.Value("gateway")
		if strings.Contains(gw, "@") || gw == a || gw == b {
			return false
		}
	}
	return true
}

// disabledGuestDrop is the first disabled forward drop (or reject) that
// would take the guests' connection pk, written above the rule that
// accepts it (first, nil when none does): enabling it keeps them out.
func (p *Plan) disabledGuestDrop(f *export.File, keep func(*export.Command) bool, m *matcher, pk packet, first *export.Command) *export.Command {
	for _, c := range routerOrder(f) {
		if first != nil && c == first {
			return nil
		}
		if !keep(c) || enabled(c) || c.Verb != "add" || c.MenuPath() != "ip firewall filter" || c.Value("chain") != "forward" {
			continue
		}
		if a := c.Value("action"); (a == "drop" || a == "reject") && m.match(c, pk) == yes {
			return c
		}
	}
	return nil
}

// enableGuestDrop words the note's fix when a disabled drop is there.
func (p *Plan) enableGuestDrop(d *export.Command) string {
	return fmt.Sprintf("line %d drops them and is disabled; enable it: /ip firewall filter enable %s", d.Line, p.ruleSelector(d.Line))
}
