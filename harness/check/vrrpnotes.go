package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// vrrpListNotes: a packet to a virtual router's address arrives on the
// VRRP interface, not on the interface under it. When that interface is
// in the list defconf's input chain keeps ("drop all not coming from
// LAN": in-interface-list=!LAN) and the VRRP interface is not, everything
// the LAN sends to the virtual address for the router itself is dropped:
// its DNS when the DHCP server hands out the virtual address as the DNS
// server, WebFig, WinBox, ping. The forum's "VRRP works, but clients get
// no DNS". rosemu runs VRRP and enforces the same (scenario vrrp puts its
// interface in LAN for this); the check's lab has no second router, so it
// is said from the export.
func (p *Plan) vrrpListNotes(f *export.File, keep func(*export.Command) bool) {
	type vrrp struct {
		line         int
		name, parent string
		addrs        []string
	}
	var vs []*vrrp
	byName := map[string]*vrrp{}
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" {
			continue
		}
		switch c.MenuPath() {
		case "interface vrrp":
			if c.Value("version") != "2" && c.Value("v3-protocol") == "ipv6" {
				continue
			}
			v := &vrrp{line: c.Line, name: c.Value("name"), parent: c.Value("interface")}
			vs = append(vs, v)
			byName[v.name] = v
		case "ip address":
			if v := byName[c.Value("interface")]; v != nil {
				a, _, _ := strings.Cut(c.Value("address"), "/")
				v.addrs = append(v.addrs, a)
			}
		}
	}
	if len(vs) == 0 {
		return
	}
	lists := p.memberLists(f, keep)
	drops, dropLists := listDrops(f, keep)
	for i, c := range drops {
		list := dropLists[i]
		for _, v := range vs {
			if len(v.addrs) == 0 || !slices.Contains(lists[list], v.parent) || slices.Contains(lists[list], v.name) {
				continue
			}
			p.Notes = append(p.Notes, fmt.Sprintf("VRRP: the virtual router of line %d (%s, address %s) runs on %s, which is in the interface list %s, but %s is not: packets to its address arrive on %s, and line %d drops all input not coming from %s, so the router's DNS, WebFig, WinBox and ping on %s do not answer its hosts (not probed; forwarding through it is not affected); /interface list member add interface=%s list=%s",
				v.line, v.name, strings.Join(v.addrs, ", "), v.parent, list, v.name, v.name, c.Line, list, strings.Join(v.addrs, ", "), v.name, list))
		}
	}
}
