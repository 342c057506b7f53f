package check

import (
	"regexp"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// withIncludes returns the members of each interface list as RouterOS
// computes them from direct (the lists' own members, from /interface list
// member): the members of the lists a list's include= names, minus those of
// the lists its exclude= names, then its own members (Interface Lists,
// https://help.mikrotik.com/docs/x/LADWAg; rosemu/config/iflist.go does
// the same). A WAN list that holds ether1 only through include=ISP-FIBRE
// matches ether1: before, the check read it as empty, said a forward on
// in-interface-list=WAN never matched from the internet and proposed a
// masquerade the router already had.
func withIncludes(f *export.File, keep func(*export.Command) bool, direct map[string][]string) map[string][]string {
	inc, exc := listDefs(f, keep)
	if len(inc) == 0 && len(exc) == 0 {
		return direct
	}
	out := map[string][]string{}
	var resolve func(name string, seen map[string]bool) []string
	resolve = func(name string, seen map[string]bool) []string {
		if seen[name] {
			return nil // a loop RouterOS refuses; nothing more to add
		}
		seen[name] = true
		defer delete(seen, name)
		var got []string
		for _, l := range inc[name] {
			members := resolve(l, seen)
			if l == "all" {
				// The built-in list has no members of its own to read:
				// include=iface-lan,all takes every interface in
				// (realcheck17 D2: a forward on such a list was said
				// never to match from the internet).
				members = everyIface(f, keep)
			}
			for _, m := range members {
				if !slices.Contains(got, m) {
					got = append(got, m)
				}
			}
		}
		for _, l := range exc[name] {
			drop := resolve(l, seen)
			got = slices.DeleteFunc(got, func(m string) bool { return slices.Contains(drop, m) })
		}
		for _, m := range direct[name] {
			if !slices.Contains(got, m) {
				got = append(got, m)
			}
		}
		return got
	}
	for name := range direct {
		out[name] = resolve(name, map[string]bool{})
	}
	for name := range inc {
		out[name] = resolve(name, map[string]bool{})
	}
	for name := range exc {
		out[name] = resolve(name, map[string]bool{})
	}
	return out
}

// listDefs reads the include= and exclude= of each interface list, from its
// add line or a later set.
func listDefs(f *export.File, keep func(*export.Command) bool) (inc, exc map[string][]string) {
	inc, exc = map[string][]string{}, map[string][]string{}
	for _, c := range f.Commands {
		if c.MenuPath() != "interface list" || !keep(c) {
			continue
		}
		name := c.Value("name")
		switch c.Verb {
		case "add":
			if !enabled(c) {
				continue
			}
		case "set":
			if n, ok := c.FindArg("name"); ok {
				name = n
			} else if t := strings.TrimSpace(c.Target); t != "" && !strings.HasPrefix(t, "[") {
				name = strings.Trim(t, `"`)
			}
		default:
			continue
		}
		if name == "" {
			continue
		}
		if v, ok := c.Get("include"); ok {
			inc[name] = splitNames(v)
		}
		if v, ok := c.Get("exclude"); ok {
			exc[name] = splitNames(v)
		}
	}
	return inc, exc
}

// negatedName is a list name that says "not": NOT-WAN, NO_WAN, NONLAN, !WAN.
var negatedName = regexp.MustCompile(`(?i)^(!|not|non|no)[-_. ]?(wan|lan)`)

// roleLists returns, from the lists' definitions (listDefs) and members,
// the interface lists that stand for role ("wan" or "lan"): the one named so (defconf's WAN and LAN), and the others whose
// name contains it (WAN1, ISP-WAN, VLAN-LAN) unless their membership says
// they are the other side: a list built with include=all, or with
// exclude= of a list of that role, holds everything but the role's
// interfaces (MikroTik's "add name=NOT-WAN include=all exclude=WAN" for
// the MAC server and neighbour discovery), and a name that negates the
// role (NOT-WAN with its own members) names the opposite. Interface lists
// are sets of interfaces, include/exclude build them from other lists,
// "all" included (Interface Lists, https://help.mikrotik.com/docs/x/LADWAg):
// the name is only a name. Read by substring, NOT-WAN made every LAN of a
// hEX a WAN, "a DHCP server runs on the WAN" was found four times and the
// fix disabled the LAN's DHCP servers (realcheck26 D1).
func roleLists(inc, exc, lists map[string][]string, role string) map[string]bool {
	names := map[string]bool{}
	for n := range lists {
		names[n] = true
	}
	for n := range inc {
		names[n] = true
	}
	for n := range exc {
		names[n] = true
	}
	out := map[string]bool{}
	for n := range names {
		if roleList(inc, exc, n, role) {
			out[n] = true
		}
	}
	return out
}

// roleList says whether list n stands for role, as roleLists reads it from
// the lists' include= and exclude= (listDefs).
func roleList(inc, exc map[string][]string, n, role string) bool {
	named := func(n string) bool {
		return strings.Contains(strings.ToLower(n), role) && !negatedName.MatchString(n)
	}
	if strings.EqualFold(n, role) {
		return true
	}
	return named(n) && !slices.Contains(inc[n], "all") && !slices.ContainsFunc(exc[n], named)
}

func splitNames(v string) []string {
	var out []string
	for _, n := range strings.Split(v, ",") {
		if n = strings.TrimSpace(n); n != "" && n != "none" {
			out = append(out, n)
		}
	}
	return out
}

// everyIface is every interface the export names: the ones its
// /interface menus add, the ports it sets by default-name, and every
// interface= a line gives (the ports it uses), in order of appearance.
func everyIface(f *export.File, keep func(*export.Command) bool) []string {
	var out []string
	add := func(n string) {
		if n = strings.Trim(strings.TrimSpace(n), `"`); n != "" && !strings.Contains(n, ",") && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	for _, c := range f.Commands {
		if !keep(c) {
			continue
		}
		mp := c.MenuPath()
		if strings.HasPrefix(mp, "interface") && !strings.HasPrefix(mp, "interface list") && c.Verb == "add" && !strings.HasSuffix(mp, " port") && !strings.HasSuffix(mp, " vlan") && !strings.HasSuffix(mp, " peers") {
			add(c.Value("name"))
		}
		if mp == "interface vlan" && c.Verb == "add" {
			add(c.Value("name"))
		}
		if d, ok := c.FindArg("default-name"); ok && mp == "interface ethernet" {
			if n, ok := c.FindArg("name"); ok {
				add(n)
			} else {
				add(d)
			}
		}
		if v, ok := c.Get("interface"); ok && !strings.HasPrefix(mp, "interface list") {
			add(v)
		}
	}
	return out
}
