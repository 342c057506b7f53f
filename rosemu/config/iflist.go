package config

import (
	"slices"
	"strings"
)

// /interface list include= and exclude=: a list's members are the members
// of the lists it includes, minus the members of the lists it excludes,
// plus its own member entries, in that order as RouterOS documents it
// (https://help.mikrotik.com/docs/x/LADWAg). Included lists may include
// others in turn; a cycle adds nothing.

// pIfLists is a comma list of interface list names.
func pIfLists(t *tx, name, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	for _, l := range strings.Split(v, ",") {
		if t.findByName("interface list", l) == nil {
			return "", errNoMatch(name)
		}
	}
	return v, nil
}

// checkIfList refuses a second list of the same name and a list that
// includes or excludes itself.
func checkIfList(t *tx, it *item) error {
	if err := checkListName(t, it); err != nil {
		return err
	}
	for _, k := range []string{"include", "exclude"} {
		for _, l := range strings.Split(it.props[k], ",") {
			if l == it.props["name"] {
				return errFailure(k, "list can not include or exclude itself")
			}
		}
	}
	return nil
}

// listMembers computes the members of the user list name in interface
// order of first appearance; ports are the interfaces an included
// built-in "all" or "static" stands for: every interface for the
// firewall's lists (kernelState), the Ethernet ports only where the list
// names bridge ports (portMembers), since a bridge is no bridge port.
func listMembers(t *tx, name string, ports []string, seen map[string]bool) []string {
	if seen[name] {
		return nil
	}
	seen[name] = true
	defer delete(seen, name)
	l := t.findByName("interface list", name)
	if l == nil {
		return nil
	}
	if l.builtin {
		return builtinListMembers(t.m, name, ports)
	}
	// RouterOS's order: the included lists' members, minus the excluded
	// lists' members, plus the list's own members (which exclude does
	// not remove).
	var out []string
	has := map[string]bool{}
	add := func(ifc string) {
		if !has[ifc] {
			has[ifc] = true
			out = append(out, ifc)
		}
	}
	for _, inc := range splitList(l.props["include"]) {
		for _, ifc := range listMembers(t, inc, ports, seen) {
			add(ifc)
		}
	}
	excl := map[string]bool{}
	for _, ex := range splitList(l.props["exclude"]) {
		for _, ifc := range listMembers(t, ex, ports, seen) {
			excl[ifc] = true
		}
	}
	kept := out[:0]
	for _, ifc := range out {
		if !excl[ifc] {
			kept = append(kept, ifc)
		} else {
			delete(has, ifc)
		}
	}
	out = kept
	for _, m := range t.m.tables["interface list member"] {
		if m.props["list"] == name && !m.disabled() {
			add(m.props["interface"])
		}
	}
	// A PPP session joins its profile's interface-list as a dynamic
	// member, so a list that includes that list holds it too (a LAN list
	// with include=VPN lets the VPN clients through defconf's input rule).
	for _, ss := range pppSessionIfaces(t.m) {
		if ss.list == name {
			add(ss.ifc)
		}
	}
	return out
}

// builtinListMembers are the members of a built-in list: all holds every
// interface, the up PPP sessions' too; static every configured one;
// dynamic the sessions'; none nothing.
func builtinListMembers(m *model, name string, ports []string) []string {
	var out []string
	if name == "all" || name == "static" {
		out = append(out, ports...)
	}
	if name == "all" || name == "dynamic" {
		for _, ss := range pppSessionIfaces(m) {
			// A session on a static server binding is already in
			// all (the binding is a configured interface).
			if !slices.Contains(out, ss.ifc) {
				out = append(out, ss.ifc)
			}
		}
	}
	return out
}

func splitList(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// listRefUser names the list that includes or excludes name, "" if none.
func (t *tx) listRefUser(name string) string {
	for _, l := range t.m.tables["interface list"] {
		for _, k := range []string{"include", "exclude"} {
			for _, x := range splitList(l.props[k]) {
				if x == name {
					return "interface list " + l.props["name"]
				}
			}
		}
	}
	return ""
}
