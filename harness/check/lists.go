package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// EmptyList is a dst-nat on an address list that has no entry (or only
// disabled ones) and that nothing in the export fills: no
// add-to-address-list rule, script, lease script, PPP profile a client or
// server uses, or other property names it (a name that differs in one
// character, WANIP for wan-ip, is another list). The rule never
// matches, from the internet or the LAN.
const EmptyList Cause = "the dst-nat matches an address list that has no enabled entry and that nothing in the export fills (no script the export runs, lease script, PPP profile a connection uses or add-to-address-list rule names it): the rule never matches"

// CloudOff is a dst-nat on an address list that holds the router's IP Cloud
// name while IP Cloud's DDNS is off: the name resolves to the last address
// the router sent, if it ever sent one, and MikroTik's server keeps that
// record ("DNS name will resolve to last sent IP address even if user set
// /ip cloud enabled = no", wiki.mikrotik.com Manual:IP/Cloud), so on a
// dynamic WAN the list stops matching at the ISP's next renumbering.
const CloudOff Cause = "the dst-nat's address list holds the router's IP Cloud name, but IP Cloud's DDNS is off: the name keeps the last address the router sent (or none), so the rule stops matching when the ISP renumbers"

// emptyList returns the dst-address-list of a forward when the list has no
// entry and its name appears in no property of the export but the
// matchers of rules (src-address-list, dst-address-list) and comments.
// An export with no /ip address may be a section pasted alone (/ip
// firewall export): it is not judged.
//
// A /system script whose source names the list fills it only when
// something the export runs calls the script (a scheduler, a DHCP
// client's or netwatch's script, a PPP profile in use), as staleList
// asks: a script runs only when called (Scripting page of the manual,
// https://help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting), also
// when a script that is run calls it (runScripts). The dynamic entries
// one adds are not kept across a reboot [verify]. An
// RB5009 export's forwards on ipv4-wan, which only an unscheduled script
// fills, read "no problem found" offline while the lab broke them with
// "cause not identified" (realcheck25 D4). unrun names such scripts.
func (p *Plan) emptyList(fw Forward) (list string, unrun []string) {
	l := fw.cmd.Value("dst-address-list")
	if l == "" || strings.HasPrefix(l, "!") {
		return "", nil
	}
	keep := p.keeper(p.export)
	whole := false
	for _, c := range p.export.Commands {
		if !keep(c) {
			continue
		}
		whole = whole || c.MenuPath() == "ip address"
		if c.MenuPath() == "system script" {
			if n := scriptName(c); n != "" && strings.Contains(c.Value("source"), l) && !slices.Contains(unrun, n) {
				unrun = append(unrun, n)
			}
			continue
		}
		if c.MenuPath() == "ip firewall address-list" {
			// A disabled entry is in no list: the export keeps it, the
			// firewall does not see it.
			if c.Value("list") == l && enabled(c) {
				return "", nil
			}
			continue
		}
		if c.MenuPath() == "interface list" || c.MenuPath() == "interface list member" {
			continue // interface lists are another namespace
		}
		if unusedPPPProfile(p.export, keep, c) {
			continue // its on-up never runs: it fills nothing
		}
		for _, a := range c.Args {
			if a.Name == "src-address-list" || a.Name == "dst-address-list" || a.Name == "comment" || strings.HasSuffix(a.Name, "interface-list") {
				continue
			}
			if strings.Contains(a.Value, l) {
				return "", nil
			}
		}
		if strings.Contains(c.Target, l) {
			return "", nil
		}
	}
	if !whole {
		return "", nil
	}
	if p.scriptsRun(keep, unrun) {
		return "", nil
	}
	return l, unrun
}

// scriptsRun reports whether one of scripts is run: named by an enabled
// command the export runs (a scheduler's on-event, a DHCP client's or
// netwatch's script, a used profile's on-up), or by the source of a
// script that is run. "scheduler -> /system script run main -> /system
// script run wan-list" runs wan-list (review43 finding 3).
func (p *Plan) scriptsRun(keep func(*export.Command) bool, scripts []string) bool {
	run := p.runScripts(keep)
	for _, s := range scripts {
		if run[s] {
			return true
		}
	}
	return false
}

// scriptName is the name of the /system script an add or set line defines:
// its name=, or the name its "[ find name=... ]" target selects.
func scriptName(c *export.Command) string {
	if n := c.Value("name"); n != "" {
		return n
	}
	n, _ := c.FindArg("name")
	return n
}

// runScripts is the set of /system script names the export runs: a script
// named by an enabled command other than a script or an address list entry
// (a PPP profile only when used), then, as a fixed point, every script
// named in the source of a script already in the set (a script run by a
// script that runs runs too: Scripting page of the manual,
// https://help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting).
// The loop adds at least one script per round, so it ends after at most
// as many rounds as the export has scripts.
func (p *Plan) runScripts(keep func(*export.Command) bool) map[string]bool {
	source := map[string]string{} // script name -> its source (the last add or set)
	var names []string
	for _, c := range p.export.Commands {
		if !keep(c) || c.MenuPath() != "system script" || (c.Verb != "add" && c.Verb != "set") {
			continue
		}
		n := scriptName(c)
		if n == "" {
			continue
		}
		if _, ok := source[n]; !ok {
			names = append(names, n)
		}
		if v, ok := c.Get("source"); ok || c.Verb == "add" {
			source[n] = v
		}
	}
	run := map[string]bool{}
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) || c.MenuPath() == "ip firewall address-list" || c.MenuPath() == "system script" || unusedPPPProfile(p.export, keep, c) {
			continue
		}
		for _, a := range c.Args {
			if a.Name == "comment" {
				continue
			}
			for _, s := range names {
				if strings.Contains(a.Value, s) {
					run[s] = true
				}
			}
		}
	}
	for grew := true; grew; {
		grew = false
		for _, caller := range names {
			if !run[caller] {
				continue
			}
			for _, s := range names {
				if !run[s] && strings.Contains(source[caller], s) {
					run[s] = true
					grew = true
				}
			}
		}
	}
	return run
}

// dynamicAdds reports whether the source of one of scripts adds address
// list entries that RouterOS does not keep across a reboot: dynamic=yes or
// a timeout= (an add without them makes a static entry, which is kept
// [verify]: the manual pages found do not say it; review43 finding 3).
func (p *Plan) dynamicAdds(keep func(*export.Command) bool, scripts []string) bool {
	for _, c := range p.export.Commands {
		if !keep(c) || c.MenuPath() != "system script" || !slices.Contains(scripts, scriptName(c)) {
			continue
		}
		src := c.Value("source")
		if strings.Contains(src, "dynamic=yes") || strings.Contains(src, "timeout=") {
			return true
		}
	}
	return false
}

// cloudOffList returns the forward's dst-address-list and the IP Cloud name
// it holds when every entry of the list is a *.sn.mynetname.net name and
// the export does not turn IP Cloud's DDNS on (it is off by default).
func (p *Plan) cloudOffList(fw Forward) (list, name string) {
	if l, name, on := p.cloudList(fw); l != "" && !on {
		return l, name
	}
	return "", ""
}

// cloudList returns the forward's dst-address-list and the IP Cloud name it
// holds when every entry of the list is a *.sn.mynetname.net name, and
// whether the export turns IP Cloud's DDNS on.
func (p *Plan) cloudList(fw Forward) (list, name string, on bool) {
	l := fw.cmd.Value("dst-address-list")
	if l == "" || strings.HasPrefix(l, "!") {
		return "", "", false
	}
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) {
			continue
		}
		switch c.MenuPath() {
		case "ip cloud":
			if c.Verb == "set" && c.Value("ddns-enabled") == "yes" {
				on = true
			}
		case "ip firewall address-list":
			if c.Value("list") != l {
				continue
			}
			a := strings.ToLower(c.Value("address"))
			if !strings.HasSuffix(a, ".sn.mynetname.net") {
				return "", "", false
			}
			name = a
		}
	}
	if name == "" {
		return "", "", false
	}
	return l, name, on
}

// CloudOneWAN is a forward on an address list of the router's IP Cloud
// name, meant for a WAN that is not the one the router reaches MikroTik's
// cloud by: the name holds the public address the cloud saw the router's
// update come from, the main default route's WAN, so the list never holds
// this WAN's address and the dst-nat misses its connections.
const CloudOneWAN Cause = "the dst-nat's address list holds the router's IP Cloud name, which resolves to one address only, the WAN's the router reaches MikroTik's cloud by: connections to this WAN's address miss the rule"

// cloudOtherWAN returns the IP Cloud name of forward fw's address list
// when connections to WAN wi's address miss it: the forward is meant for
// several WANs and wi is not the one the main table's default route (the
// first of a tie on RouterOS 6) leaves by, the one the cloud sees. On
// RouterOS 7 a tie is one ECMP route: the hash of the router's update's
// addresses picks the WAN the cloud sees, so a tied WAN may miss (spread).
func (p *Plan) cloudOtherWAN(fw Forward, wi int) (detail string, spread, ok bool) {
	l, name, _ := p.cloudList(fw)
	if l == "" || len(p.internetWANs(fw)) < 2 {
		return "", false, false
	}
	main, ecmp := p.defaultWAN()
	if len(ecmp) > 0 {
		var others []string
		for _, t := range ecmp {
			if t != wi {
				others = append(others, p.WANs[t].Interface)
			}
		}
		if len(others) == 0 {
			return "", false, false
		}
		return fmt.Sprintf("dst-address-list=%s holds %s, which resolves to the address of the WAN the router's update to the cloud leaves by: the main table's default routes tie and RouterOS 7 makes them one ECMP route, so it may be %s's", l, name, strings.Join(others, " or ")),
			slices.Contains(ecmp, wi), true
	}
	if main < 0 || main == wi {
		return "", false, false
	}
	return fmt.Sprintf("dst-address-list=%s holds %s, which resolves to %s's address", l, name, p.WANs[main].Interface), false, true
}

// listFindings are the findings of a forward's address list that hold on
// every path (an empty list) or after a renumbering (a stale IP Cloud name).
func (p *Plan) listFindings(i int, fw Forward) []Finding {
	if fw.cmd == nil {
		return nil
	}
	if l, unrun := p.emptyList(fw); l != "" {
		d := "dst-address-list=" + l
		if len(unrun) > 0 {
			d += fmt.Sprintf("; the script %s names it, but nothing in the export runs it (no scheduler, DHCP client, netwatch, PPP profile in use or script these run calls it)", strings.Join(unrun, ", "))
			if p.dynamicAdds(p.keeper(p.export), unrun) {
				d += ", and the dynamic entries it adds are lost at a reboot"
			}
		}
		return []Finding{{Forward: i, Path: "all", Cause: EmptyList, Line: fw.Line, Rule: fw.Text, Detail: d}}
	}
	dynamic := false
	for _, wi := range p.wansOf(fw) {
		if w := p.WANs[wi]; w.Kind != "static" && w.Behind() == "" {
			dynamic = true
		}
	}
	if l, name := p.cloudOffList(fw); l != "" && dynamic {
		return []Finding{{Forward: i, Path: "after a renumbering", Cause: CloudOff, Line: fw.Line, Rule: fw.Text,
			Detail: fmt.Sprintf("dst-address-list=%s holds %s", l, name)}}
	}
	return nil
}
