package check

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// staleList reports, for a dst-nat's dst-address-list on a dynamic WAN,
// whether the list holds only literal addresses and nothing the export
// runs updates it: no add-to-address-list rule, no DNS name, no enabled
// scheduler, DHCP client, used PPP profile, netwatch or other command that
// names it or a script that names it. Such a list keeps the address of
// the day the export was taken, and the forward stops at the ISP's next
// renumbering. It returns the list's entries for the report.
func (p *Plan) staleList(keep func(*export.Command) bool, list string) (entries []string, stale bool) {
	if list == "" || strings.HasPrefix(list, "!") {
		return nil, false
	}
	scripts := map[string]bool{} // scripts whose source names the list
	for _, c := range p.export.Commands {
		if !keep(c) || c.Verb != "add" {
			continue
		}
		switch c.MenuPath() {
		case "ip firewall address-list":
			if c.Value("list") != list || !enabled(c) {
				continue
			}
			a := c.Value("address")
			if _, err := netip.ParseAddr(a); err != nil {
				if _, err := netip.ParsePrefix(a); err != nil {
					return nil, false // a DNS name or range: filled at run time
				}
			}
			entries = append(entries, a)
		case "system script":
			if strings.Contains(c.Value("source"), list) {
				scripts[scriptName(c)] = true
			}
		}
	}
	if len(entries) == 0 {
		return nil, false
	}
	// A script that names the list updates it when it is run, also when a
	// script that is run calls it (review43 finding 3).
	run := p.runScripts(keep)
	for s := range scripts {
		if run[s] {
			return nil, false
		}
	}
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) || c.MenuPath() == "ip firewall address-list" || c.MenuPath() == "system script" || unusedPPPProfile(p.export, keep, c) {
			continue
		}
		for _, a := range c.Args {
			if a.Name == "src-address-list" || a.Name == "dst-address-list" || a.Name == "comment" {
				continue
			}
			if strings.Contains(a.Value, list) {
				return nil, false
			}
		}
	}
	return entries, true
}

// staleListDetail says what the list holds.
func staleListDetail(list string, entries []string) string {
	return fmt.Sprintf("dst-address-list=%s holds %s, and nothing the export runs updates it", list, strings.Join(entries, ", "))
}

// unusedPPPProfile reports whether c is an `add` of a PPP profile that no
// PPP client (profile=) or server (default-profile=, a PPP secret's
// profile=) of the export uses. Its on-up and on-down scripts then never
// run: PPP AAA runs a profile's scripts for the connections that use it
// (https://help.mikrotik.com/docs/spaces/ROS/pages/132350014/PPP+AAA), so
// a list its script names is filled by nothing (forum38 D2: the on-up
// script on a profile pppoe-out1 does not use). A profile RADIUS may hand
// out (a /radius entry, /ppp aaa use-radius=yes) and a `set` of a built-in
// profile (default, default-encryption, which clients and servers use
// unless told otherwise) count as used.
func unusedPPPProfile(f *export.File, keep func(*export.Command) bool, c *export.Command) bool {
	if c.MenuPath() != "ppp profile" || c.Verb != "add" {
		return false
	}
	name := c.Value("name")
	for _, o := range f.Commands {
		if !keep(o) {
			continue
		}
		switch m := o.MenuPath(); {
		case m == "radius" && o.Verb == "add", m == "ppp aaa" && o.Value("use-radius") == "yes":
			return false
		case m == "ppp profile":
			continue
		}
		if enabled(o) && (o.Value("profile") == name || o.Value("default-profile") == name) {
			return false
		}
	}
	return true
}
