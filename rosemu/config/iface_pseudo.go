package config

import (
	"strings"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// RouterOS's firewall takes four pseudo-interfaces in in-interface and
// out-interface, from before interface lists existed: all-ethernet,
// all-vlan, all-ppp and all-wireless, each matching every interface of
// that kind (a 6.48 export: "add action=drop chain=forward
// in-interface=all-vlan"; a 7.15 export: "add action=accept chain=input
// dst-port=53 in-interface=all-vlan protocol=udp"). rosemu hands such a
// rule to the kernel as a match on an interface list of that kind's
// interfaces.
var pseudoIfaces = map[string]string{
	"all-ethernet": "interface ethernet",
	"all-vlan":     "interface vlan",
	"all-ppp":      pppoeClientTable,
	"all-wireless": "",
}

// PseudoInterface reports whether name is one of the firewall's
// pseudo-interfaces, and the menu whose interfaces it matches ("" for
// all-wireless: a lab router has no radio). chrlab check reads rules
// with it, so that its diagnosis expands them as rosemu does.
func PseudoInterface(name string) (menu string, ok bool) {
	menu, ok = pseudoIfaces[name]
	return menu, ok
}

// pFirewallIface is a firewall rule's in-interface or out-interface: an
// interface or a pseudo-interface.
func pFirewallIface(t *tx, name, v string) (string, error) {
	if _, ok := pseudoIfaces[v]; ok {
		return v, nil
	}
	return pInterface(t, name, v)
}

// pseudoIfaceLists rewrites the rules that name a pseudo-interface into
// matches on an interface list of its members, which it adds to the state
// (the list keeps the pseudo-interface's name unless a user list has it,
// when the rule is left to match nothing).
func pseudoIfaceLists(t *tx, s *kernel.State, rs []kernel.Rule) {
	for _, r := range rs {
		for _, dir := range []string{"in", "out"} {
			v := r.Props[dir+"-interface"]
			neg := strings.HasPrefix(v, "!")
			name := strings.TrimPrefix(v, "!")
			tbl, ok := pseudoIfaces[name]
			if !ok || r.Props[dir+"-interface-list"] != "" || t.findByName("interface list", name) != nil {
				continue
			}
			if _, done := s.InterfaceLists[name]; !done {
				var members []string
				// Called after kernelState: a renamed port is given by
				// the kernel's name of it here.
				names := kernelNames(t.m)
				if tbl != "" {
					for _, it := range t.m.tables[tbl] {
						n := it.props["name"]
						if d, ok := names[n]; ok {
							n = d
						}
						members = append(members, n)
					}
				}
				if name == "all-ppp" {
					// The PPP servers' sessions and the L2TP clients are
					// PPP interfaces too.
					members = append(members, pppServerIfaceNames(t.m)...)
					for _, tbl := range dialledTables {
						for _, it := range t.m.tables[tbl] {
							members = append(members, it.props["name"])
						}
					}
				}
				s.InterfaceLists[name] = members
			}
			delete(r.Props, dir+"-interface")
			if neg {
				name = "!" + name
			}
			r.Props[dir+"-interface-list"] = name
		}
	}
}
