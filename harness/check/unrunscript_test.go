package check

import (
	"strings"
	"testing"
)

// unrunScriptList is realcheck25's m5 (an RB5009 export cut down): the
// forward matches dst-address-list=ipv4-wan, which only a /system script
// fills, and nothing runs the script. emptyList took the script as
// filling the list, staleList would not; offline said "no problem found"
// and the lab broke the forward with "cause not identified".
const unrunScriptList = `# 2026-02-08 18:44:49 by RouterOS 7.19.6
/interface bridge add name=bridge
/interface list add name=WAN
/interface list add name=LAN
/interface pppoe-client add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 user=u
/interface bridge port add bridge=bridge interface=ether2
/interface list member add interface=pppoe-out1 list=WAN
/interface list member add interface=bridge list=LAN
/ip address add address=10.0.0.1/24 interface=bridge
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall nat add action=dst-nat chain=dstnat dst-address-list=ipv4-wan dst-port=443 protocol=tcp to-addresses=10.0.0.10 to-ports=443
/ip firewall nat add action=masquerade chain=srcnat dst-address=10.0.0.10 dst-port=443 protocol=tcp src-address=10.0.0.0/24
/system script add name=wan-list source=":local ip [/ip address get [find interface=pppoe-out1] address]; /ip firewall address-list add list=ipv4-wan address=\$ip dynamic=yes"
`

func TestEmptyListUnrunScript(t *testing.T) {
	p := importText(t, unrunScriptList)
	found, _ := p.Diagnose()
	var el *Finding
	for i, f := range found {
		if f.Cause == EmptyList {
			el = &found[i]
		}
	}
	if el == nil || el.Forward != 0 || !strings.Contains(el.Detail, "the script wan-list names it, but nothing in the export runs it") {
		t.Fatalf("findings %v, want the empty list naming the unrun script", found)
	}
	if text := strings.Join(p.Propose(found).Lines, "\n"); !strings.Contains(text, "dst-address-type=local") {
		t.Errorf("fix:\n%s\nwant the forward on dst-address-type=local", text)
	}
	// Controls: a scheduler, or the PPPoE client's profile in use, runs
	// the script: the list is filled, no finding.
	for name, runner := range map[string]string{
		"scheduler": "/system scheduler add interval=1m name=upd on-event=wan-list\n",
		"profile":   "/ppp profile add name=wanprof on-up=\"/system script run wan-list\"\n/interface pppoe-client set [ find name=pppoe-out1 ] profile=wanprof\n",
	} {
		q := importText(t, unrunScriptList+runner)
		found, _ := q.Diagnose()
		for _, f := range found {
			if f.Cause == EmptyList {
				t.Errorf("%s runs the script: %s", name, f)
			}
		}
	}
	// Control: a disabled scheduler runs nothing.
	q := importText(t, unrunScriptList+"/system scheduler add disabled=yes interval=1m name=upd on-event=wan-list\n")
	found, _ = q.Diagnose()
	if !strings.Contains(strings.Join(findingStrings(found), "\n"), "nothing in the export runs it") {
		t.Errorf("disabled scheduler: %v, want the empty list", found)
	}
}

func findingStrings(found []Finding) []string {
	var out []string
	for _, f := range found {
		out = append(out, f.String())
	}
	return out
}

// TestEmptyListScriptRunByScheduledScript is review43 finding 3: a
// scheduler runs main, whose source runs wan-list, the script that fills
// the list. wan-list is run: no EmptyList, no fix on the forward.
func TestEmptyListScriptRunByScheduledScript(t *testing.T) {
	chain := "/system script add name=main source=\"/system script run wan-list\"\n"
	q := importText(t, unrunScriptList+chain+"/system scheduler add interval=1m name=upd on-event=main\n")
	found, _ := q.Diagnose()
	for _, f := range found {
		if f.Cause == EmptyList {
			t.Errorf("wan-list is run by the scheduled script main, yet: %s", f)
		}
	}
	if text := strings.Join(q.Propose(found).Lines, "\n"); strings.Contains(text, "dst-address-type=local") {
		t.Errorf("fix:\n%s\nwant the forward left as it is", text)
	}
	// Control: main calls wan-list but nothing runs main: still the finding.
	q = importText(t, unrunScriptList+chain)
	found, _ = q.Diagnose()
	if !strings.Contains(strings.Join(findingStrings(found), "\n"), "nothing in the export runs it") {
		t.Errorf("unscheduled main: %v, want the empty list", found)
	}
}

// TestEmptyListStaticAddsNoRebootClaim: a script's address-list add
// without dynamic=yes or timeout= makes a static entry, which RouterOS
// keeps; the detail says "lost at a reboot" only for the dynamic shape.
func TestEmptyListStaticAddsNoRebootClaim(t *testing.T) {
	for name, c := range map[string]struct {
		src  string
		want bool
	}{
		"dynamic=yes": {unrunScriptList, true},
		"static":      {strings.Replace(unrunScriptList, ` dynamic=yes"`, `"`, 1), false},
		"timeout":     {strings.Replace(unrunScriptList, ` dynamic=yes"`, ` timeout=1d"`, 1), true},
	} {
		found, _ := importText(t, c.src).Diagnose()
		var d string
		for _, f := range found {
			if f.Cause == EmptyList {
				d = f.Detail
			}
		}
		if d == "" {
			t.Errorf("%s: no EmptyList in %v", name, found)
			continue
		}
		if got := strings.Contains(d, "lost at a reboot"); got != c.want {
			t.Errorf("%s: detail %q, want reboot clause %v", name, d, c.want)
		}
	}
}

// TestEmptyListScriptSetSource: a `set [ find name=... ] source=` line
// that makes a script fill the list names that script (review43 finding 3).
func TestEmptyListScriptSetSource(t *testing.T) {
	src := strings.Replace(unrunScriptList, `source=":local`, `source=":put x"`+"\n/system script set [ find name=wan-list ] source=\":local", 1)
	found, _ := importText(t, src).Diagnose()
	if !strings.Contains(strings.Join(findingStrings(found), "\n"), "the script wan-list names it") {
		t.Errorf("%v, want the empty list naming wan-list", found)
	}
	found, _ = importText(t, src+"/system scheduler add interval=1m name=upd on-event=wan-list\n").Diagnose()
	for _, f := range found {
		if f.Cause == EmptyList {
			t.Errorf("scheduled: %s", f)
		}
	}
}
