package check

import (
	"fmt"
	"net/netip"

	"github.com/chrlab/chrlab/harness/export"
)

// disabledForwardNotes names the dst-nat rules of dstnat (and the chains
// it jumps to) left disabled=yes with no enabled forward to the same
// server and port: a forward switched off while testing, or added
// disabled from WinBox, forwards nothing. Before, such an export read
// "forwards: none ... no problem found", which answers a user asking why
// the port is closed with nothing. Not probed: a disabled rule is the
// user's to turn on.
func (p *Plan) disabledForwardNotes(f *export.File, keep func(*export.Command) bool) {
	chains := dstnatChains(f, keep)
	type target struct {
		to    netip.Addr
		port  string
		proto string
	}
	on := map[target]bool{}
	for _, fw := range p.Forwards {
		on[target{fw.ToAddr, fw.cmd.Value("dst-port"), fw.Protocol}] = true
	}
	for _, fw := range p.ToRouter {
		on[target{fw.ToAddr, fw.cmd.Value("dst-port"), fw.Protocol}] = true
	}
	for _, c := range f.Commands {
		if c.MenuPath() != "ip firewall nat" || c.Verb != "add" || !keep(c) || enabled(c) {
			continue
		}
		if _, ok := chains[c.Value("chain")]; !ok {
			continue
		}
		if a := c.Value("action"); a != "dst-nat" && a != "netmap" {
			continue
		}
		a, err := toAddr(c)
		if err != nil || on[target{a, c.Value("dst-port"), c.Value("protocol")}] {
			continue
		}
		what := a.String()
		if port := c.Value("dst-port"); port != "" {
			what = fmt.Sprintf("%s/%s to %s", c.Value("protocol"), port, a)
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d's dst-nat (%s) is disabled: it forwards nothing and is not probed; to turn it on: /ip firewall nat enable %s",
			c.Line, what, p.ruleSelector(c.Line)))
	}
}

// strayForwardNotes names the dst-nat rules written in a chain that no
// connection from dstnat reaches: chain=srcnat (below the masquerade,
// where a rule added from WinBox's NAT tab lands when the chain is left
// as it was), or a user chain with no enabled jump into it from dstnat.
// srcnat runs after the routing decision, for what leaves the router
// (NAT page of the manual, https://help.mikrotik.com/docs/display/ROS/NAT),
// so a dst-nat there forwards nothing; chain=output is the router's own
// traffic, a dst-nat's place too. The lab router refuses a dst-nat in
// srcnat, which the summary lists as set aside; what RouterOS itself does
// with it (refuse it, or keep it marked invalid) is [verify]. Either way
// the export forwards nothing there, which "forwards: none ... no problem
// found" did not say.
func (p *Plan) strayForwardNotes(f *export.File) {
	keep := p.keeper(f)
	chains := dstnatChains(f, keep)
	for _, c := range f.Commands {
		if c.MenuPath() != "ip firewall nat" || c.Verb != "add" || !enabled(c) {
			continue
		}
		if c.Value("action") != "dst-nat" {
			continue // a netmap in srcnat maps the source (1:1 NAT): its place
		}
		ch := c.Value("chain")
		if _, ok := chains[ch]; ok || ch == "output" || ch == "" {
			continue
		}
		why := "chain " + ch + " is entered by no enabled jump from dstnat"
		if ch == "srcnat" {
			why = "srcnat runs after routing, for what leaves the router, and a dst-nat there forwards nothing"
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d is a dst-nat in chain=%s: %s, so it is no port forward and is not probed; a forward belongs in chain=dstnat: /ip firewall nat set %s chain=dstnat",
			c.Line, ch, why, p.ruleSelector(c.Line)))
	}
}
