package check

import (
	"strings"
	"testing"
)

// TestNoMasqueradeSaysWhy: the missing-masquerade finding ended "(a
// masquerade written for another interface or another subnet)" also for
// the exports with no NAT rule at all (every such finding of realcheck23,
// D7). It now says what the srcnat chain holds: nothing, only disabled
// rules, or rules for another interface or subnet (the case the old
// parenthesis was written for, kept as the control).
func TestNoMasqueradeSaysWhy(t *testing.T) {
	const base = `# 2024-10-01 10:00:00 by RouterOS 7.16.2
/ip address add address=192.168.88.1/24 interface=ether2
/ip dhcp-client add interface=ether1
`
	for _, c := range []struct{ name, nat, want, not string }{
		{"no rule", "", "; the export has no srcnat rule", "another interface"},
		{"disabled", "/ip firewall nat add action=masquerade chain=srcnat disabled=yes out-interface=ether1\n", "; the export has no enabled srcnat rule (line 4 disabled)", "another interface"},
		{"other interface", "/ip firewall nat add action=masquerade chain=srcnat out-interface=ether3\n/ip firewall nat add action=masquerade chain=srcnat src-address=10.0.0.0/24\n", "; the srcnat rules of the export (lines 4, 5) are written for another interface or another subnet", "has no srcnat rule"},
	} {
		found, _ := importText(t, base+c.nat).Diagnose()
		got := withCause(found, NoMasquerade)
		if len(got) != 1 {
			t.Errorf("%s: findings %+v", c.name, found)
			continue
		}
		text := string(got[0].Cause) + " " + got[0].Detail
		if !strings.Contains(text, c.want) || strings.Contains(text, c.not) {
			t.Errorf("%s: %q, want %q and not %q", c.name, text, c.want, c.not)
		}
	}
}
