package check

import (
	"fmt"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// ListMissesSegment is a rule written for the connection (the forward
// accept of port forwards to the LAN, the hairpin masquerade out to the
// LAN) whose interface list does not hold the server's or the client's
// segment: a VLAN added later and left out of the list. The rule never
// takes the connection; the list member is what is missing.
const ListMissesSegment Cause = "the rule written for this connection names an interface list that does not hold the segment's interface (a VLAN left out of the list), so it does not take it"

// listMiss returns the first rule of menu's chain, above line before (0:
// anywhere), with an action of acts, that does not take the packet only
// because one of its in-interface-list or out-interface-list names a list
// without the packet's interface; with the list and the interface.
//
// Only a list of LAN segments counts (a member that is a LAN segment, none
// that is a WAN): the WAN's masquerade is not a hairpin rule that misses
// the LAN. And only a packet's interface that is a LAN segment counts: a
// connection from the internet arrives on the WAN, which an in-interface-
// list=LAN accept rightly does not take; "add ether1 to the LAN list"
// would put the internet into the list defconf's firewall trusts
// (in-interface-list=!LAN drops), opening the router and the LAN (forum38
// D1). That connection's fix is the forward's dstnat accept or the rule
// order, which the finding of the drop gives.
func (p *Plan) listMiss(f *export.File, keep func(*export.Command) bool, m *matcher, pk packet, menu, chain string, acts map[string]bool, before int) (*export.Command, string, string) {
	lanList := func(l string) bool {
		lan := false
		for _, member := range m.lists[l] {
			if p.wanOfInterface(member) >= 0 {
				return false
			}
			lan = lan || p.segmentByInterface(member) != nil
		}
		return lan
	}
	o := m.order(f)
	for _, c := range o.cmds {
		if before > 0 && !o.beforeLine(c, before) {
			continue
		}
		if !keep(c) || !enabled(c) || c.MenuPath() != menu || c.Verb != "add" || c.Value("chain") != chain || !acts[c.Value("action")] {
			continue
		}
		if m.match(c, pk) != no {
			continue
		}
		for _, k := range []string{"in-interface-list", "out-interface-list"} {
			l := c.Value(k)
			have := pk.in
			if k == "out-interface-list" {
				have = pk.out
			}
			if l == "" || strings.HasPrefix(l, "!") || have == "" || !p.lanSegmentInterface(have) || m.ifList(l, have) != no || !lanList(l) {
				continue
			}
			if m.match(withoutArgs(c, named(k)), pk) == yes {
				return c, l, have
			}
		}
	}
	return nil, "", ""
}

// lanSegmentInterface reports whether name is a LAN segment's interface
// and neither a WAN's interface nor the port under one (pppoe-out1's
// ether1).
func (p *Plan) lanSegmentInterface(name string) bool {
	for _, w := range p.WANs {
		if w.Interface == name || w.Port == name {
			return false
		}
	}
	return p.segmentByInterface(name) != nil
}

func listMissFinding(i int, path string, r *export.Command, list, iface string) Finding {
	return Finding{Forward: i, Path: path, Cause: ListMissesSegment, Line: r.Line, Rule: r.Raw,
		Detail: fmt.Sprintf("the interface list %s does not hold %s; with it a member (/interface list member add interface=%s list=%s) the rule takes the connection", list, iface, export.Quote(iface), export.Quote(list))}
}
