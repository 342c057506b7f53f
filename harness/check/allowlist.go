package check

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// allowListDrops reads, among the findings, the forward filter drops that
// stop a forward's internet path for every source but a list: "drop
// connection-state=new in-interface-list=WAN src-address-list=!admin".
// RouterOS takes filter rules in order and ! negates the matcher (Filter
// page of the manual), so only the list's hosts may open a forwarded
// connection: a policy, the filter's twin of a dst-nat's own
// src-address-list=admin (Forward.Sources). Read as a breakage, its fix
// put an accept of every dst-nat'd connection above it, which opened SSH
// and camera ports to the whole internet (realcheck27 D2). The forward's
// internet paths fail by design: no finding, no fix; its LAN paths, which
// the drop does not see, are judged as any other.
func (p *Plan) allowListDrops(found []Finding) {
	rules := map[int]*export.Command{}
	for _, c := range p.export.Commands {
		if c.MenuPath() == "ip firewall filter" && c.Verb == "add" {
			rules[c.Line] = c
		}
	}
	byRule := map[int][]int{}
	var order []int
	for _, f := range found {
		if f.Cause != ForwardDropsWAN || f.Forward < 0 || f.Forward >= len(p.Forwards) || f.Path != "internet" && !strings.HasPrefix(f.Path, "internet via ") {
			continue
		}
		r := rules[f.Line]
		if r == nil {
			continue
		}
		fw := &p.Forwards[f.Forward]
		for _, k := range []string{"src-address-list", "src-address"} {
			if v, ok := strings.CutPrefix(r.Value(k), "!"); ok && v != "" {
				fw.AllowList, fw.AllowLine = k+"="+v, f.Line
				if !slices.Contains(byRule[f.Line], f.Forward) {
					if len(byRule[f.Line]) == 0 {
						order = append(order, f.Line)
					}
					byRule[f.Line] = append(byRule[f.Line], f.Forward)
				}
				break
			}
		}
	}
	for _, l := range order {
		var fws []string
		for _, i := range byRule[l] {
			fws = append(fws, strconv.Itoa(i+1))
		}
		note := fmt.Sprintf("line %d drops new forwarded connections from every source but %s: the internet paths of forward(s) %s admit only those sources, the lab's peer is not among them, so they fail by design and are neither counted as broken nor fixed (an accept above the drop would open them to everyone)",
			l, p.Forwards[byRule[l][0]].AllowList, strings.Join(fws, ", "))
		if !slices.Contains(p.Notes, note) {
			p.Notes = append(p.Notes, note)
		}
	}
}
