package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// A segment whose name says guest (its bridge or VLAN, an interface list
// it is in, its DHCP server or that server's pool) that the forward chain
// lets reach another LAN: the forum's "the guests can see my NAS". No
// probe fails for it (every path works), and only the name says the
// segment was meant to be kept apart, so check said nothing (chk52 D6).
// It is a note: what the rules allow, that intent decides, and the drop
// that separates them. A forward drop (or reject) that the guest's new
// connection to the LAN meets first keeps it quiet; a rule the reading
// cannot weigh (an address list filled at run time) leaves it unsaid.

// guestWhy says why segment s reads as a guest segment ("the interface
// list guests"), "" when nothing names it so.
func guestWhy(f *export.File, keep func(*export.Command) bool, s Segment) string {
	guest := func(n string) bool { return strings.Contains(strings.ToLower(n), "guest") }
	if guest(s.Interface) {
		return "its interface " + export.Quote(s.Interface)
	}
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.Value("interface") != s.Interface {
			continue
		}
		switch c.MenuPath() {
		case "interface list member":
			if guest(c.Value("list")) {
				return "the interface list " + export.Quote(c.Value("list"))
			}
		case "ip dhcp-server":
			if guest(c.Value("name")) {
				return "its DHCP server " + export.Quote(c.Value("name"))
			}
			if guest(c.Value("address-pool")) {
				return "its DHCP server's pool " + export.Quote(c.Value("address-pool"))
			}
		}
	}
	return ""
}

// guestReachNotes notes each guest segment the forward chain lets reach
// another LAN segment.
func (p *Plan) guestReachNotes(f *export.File, keep func(*export.Command) bool) {
	m := p.newMatcher(f, keep)
	whys := make([]string, len(p.Segments)) // read once: each walks the export
	for i, s := range p.Segments {
		whys[i] = guestWhy(f, keep, s)
	}
	for gi, g := range p.Segments {
		why := whys[gi]
		if why == "" || g.tunnel != "" {
			continue
		}
		var reach, ifaces []string
		var first *export.Command
		var disabled []*export.Command // per segment reached, a disabled drop that would keep it (guestvrf.go)
		for si, s := range p.Segments {
			if s.Interface == g.Interface || s.tunnel != "" || s.Prefix.Masked() == g.Prefix.Masked() || whys[si] != "" || vrfApart(f, keep, g.Interface, s.Interface) {
				continue
			}
			pk := packet{src: hostIn(g.Prefix, 100), dst: hostIn(s.Prefix, 100), proto: "tcp", dstPort: lanOutPort, in: g.Interface, out: s.Interface, state: "new"}
			rule, how := m.first(f, keep, "ip firewall filter", "forward", pk, map[string]bool{"accept": true, "drop": true, "reject": true, "fasttrack-connection": true})
			if how == unknown {
				continue // the reading cannot weigh the rule: not said
			}
			if rule != nil && how == yes && (rule.Value("action") == "drop" || rule.Value("action") == "reject") {
				continue
			}
			if rule != nil && how == yes && first == nil {
				first = rule
			}
			disabled = append(disabled, p.disabledGuestDrop(f, keep, m, pk, rule))
			reach = append(reach, fmt.Sprintf("%s (%s)", s.Interface, s.Prefix.Masked()))
			if !slices.Contains(ifaces, s.Interface) {
				ifaces = append(ifaces, s.Interface)
			}
		}
		if len(reach) == 0 {
			continue
		}
		// The list defconf calls WAN, when the export has it: one rule
		// then keeps the guests off every LAN; else one per LAN.
		out := []string{"out-interface-list=!WAN"}
		if !slices.ContainsFunc(f.Commands, func(c *export.Command) bool {
			return keep(c) && c.MenuPath() == "interface list member" && c.Value("list") == "WAN"
		}) {
			out = nil
			for _, i := range ifaces {
				out = append(out, "out-interface="+export.Quote(i))
			}
		}
		by := "no forward rule drops it"
		place := ""
		if first != nil {
			by = fmt.Sprintf("line %d accepts it first", first.Line)
			place = " place-before=" + p.ruleSelector(first.Line)
		}
		var adds []string
		for _, o := range out {
			adds = append(adds, fmt.Sprintf("/ip firewall filter add chain=forward action=drop in-interface=%s %s comment=\"guest only to the internet\"%s", export.Quote(g.Interface), o, place))
		}
		fix := "to keep them to the internet: " + strings.Join(adds, " ; ")
		if d := disabled[0]; d != nil && !slices.ContainsFunc(disabled, func(o *export.Command) bool { return o != d }) {
			fix = "to keep them to the internet, " + p.enableGuestDrop(d)
		}
		p.Notes = append(p.Notes, fmt.Sprintf("%s (%s) reads as a guest segment by %s, and the forward chain lets it open connections to %s (%s): its hosts reach the LAN's. Whether guests may is your intent; %s",
			g.Interface, g.Prefix.Masked(), why, strings.Join(reach, ", "), by, fix))
	}
}
