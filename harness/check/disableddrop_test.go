package check

import (
	"strings"
	"testing"
)

// A hAP lite export keeps defconf's "drop all not coming from LAN"
// disabled=yes: the open-service warnings said "no input rule stops it",
// and the reader looked for a missing rule (realcheck25 W1).
func TestOpenServiceDisabledDrop(t *testing.T) {
	base := `# 2025-11-02 10:00:00 by RouterOS 7.16.2
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=LAN
/ip address
add address=203.0.113.2/24 interface=ether1
add address=192.168.88.1/24 interface=ether2
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
	text := base + "/ip firewall filter\nadd action=drop chain=input comment=\"defconf: drop all not coming from LAN\" disabled=yes in-interface-list=!LAN\n"
	p := importText(t, text)
	all := strings.Join(p.OfflineServiceWarnings(), "\n")
	if want := `the drop at line 16 that would is disabled; /ip firewall filter enable [ find where comment="defconf: drop all not coming from LAN" ]`; !strings.Contains(all, want) {
		t.Errorf("warnings:\n%s\nwant %s", all, want)
	}
	// Without a comment, the line once (it read "the drop at line 16
	// that would is disabled; it is line 16", chk57 D10).
	p = importText(t, strings.Replace(text, `comment="defconf: drop all not coming from LAN" `, "", 1))
	if all := strings.Join(p.OfflineServiceWarnings(), "\n"); !strings.Contains(all, "the drop at line 16 that would is disabled)") {
		t.Errorf("no comment, warnings:\n%s", all)
	}
	// Control: no such rule at all: the old wording.
	q := importText(t, base)
	if all := strings.Join(q.OfflineServiceWarnings(), "\n"); !strings.Contains(all, "(no input rule stops it)") {
		t.Errorf("no drop rule, warnings:\n%s", all)
	}
}
