package check

import (
	"strings"
	"testing"
)

// TestFailoverGapWarnings (chk53 D5): a dual-WAN export whose main default
// route nothing watches, or whose backup WAN no masquerade takes, read
// "no problem found" offline with the gap in a note. Offline it is a
// warning now, with its line and fix, and no longer a note. Controls:
// check-gateway on the routes, a single WAN, a watched recursive route, a
// netwatch that moves the routes, a masquerade by the WAN list or one per
// WAN: no warning.
func TestFailoverGapWarnings(t *testing.T) {
	base := readTestdata(t, "testdata/dualwan-no-checkgw.rsc")
	const (
		r1   = "add distance=1 dst-address=0.0.0.0/0 gateway=203.0.113.1\n"
		r2   = "add distance=2 dst-address=0.0.0.0/0 gateway=198.51.100.1\n"
		masq = "ipsec-policy=out,none out-interface-list=WAN\n"
	)
	watched := strings.NewReplacer(r1, strings.TrimSuffix(r1, "\n")+" check-gateway=ping\n", r2, strings.TrimSuffix(r2, "\n")+" check-gateway=ping\n").Replace(base)
	for _, tc := range []struct {
		name, text string
		want       []string // each a warning's words; none: no warning at all
	}{
		{"no check-gateway", base, []string{"the main WAN ether1's default route (line 33) does not watch its gateway", "/ip route set [find dst-address=0.0.0.0/0 gateway=203.0.113.1] check-gateway=ping", "target-scope=11 check-gateway=ping"}},
		{"recursive, unwatched", strings.Replace(base, r1, "add dst-address=9.9.9.9/32 gateway=203.0.113.1 scope=10\nadd distance=1 dst-address=0.0.0.0/0 gateway=9.9.9.9 target-scope=11\n", 1), []string{"default route (line 34) does not watch its gateway", "gateway=9.9.9.9] check-gateway=ping"}},
		{"masquerade on one WAN", strings.Replace(watched, masq, "ipsec-policy=out,none out-interface=ether1\n", 1), []string{"bridge (192.168.88.0/24) leaving by ether8", "add chain=srcnat action=masquerade out-interface=ether8", "out-interface-list=WAN"}},
		{"check-gateway (control)", watched, nil},
		{"single WAN (control)", strings.NewReplacer(r2, "", "add interface=ether8 list=WAN\n", "", "add address=198.51.100.2/24 interface=ether8 network=198.51.100.0\n", "").Replace(base), nil},
		{"recursive, watched (control)", strings.Replace(base, r1, "add dst-address=9.9.9.9/32 gateway=203.0.113.1 scope=10\nadd check-gateway=ping distance=1 dst-address=0.0.0.0/0 gateway=9.9.9.9 target-scope=11\n", 1), nil},
		{"netwatch (control)", strings.Replace(base, "/ip service\n", "/tool netwatch\nadd down-script=\"/ip route disable [find comment=ISP1]\" host=9.9.9.9 up-script=\"/ip route enable [find comment=ISP1]\"\n/ip service\n", 1), nil},
		{"masquerade per WAN (control)", strings.Replace(watched, masq, "ipsec-policy=out,none out-interface=ether1\nadd action=masquerade chain=srcnat out-interface=ether8\n", 1), nil},
	} {
		p := loadText(t, tc.text)
		before := len(p.Notes)
		d := p.OfflineDocument()
		warns := strings.Join(d.Warnings, "\n")
		if len(tc.want) == 0 {
			if len(d.Warnings) != 0 || d.Summary != "no problem found in the export's rules" {
				t.Errorf("%s: warnings %q, summary %q", tc.name, d.Warnings, d.Summary)
			}
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(warns, w) {
				t.Errorf("%s: no warning says %q:\n%s", tc.name, w, warns)
			}
		}
		if len(d.Warnings) != 1 || len(p.Notes) != before-1 || strings.Contains(strings.Join(d.Notes, "\n"), tc.want[0]) {
			t.Errorf("%s: want the note moved to one warning; warnings %q, notes %q", tc.name, d.Warnings, d.Notes)
		}
		if !strings.HasPrefix(d.Summary, "1 warning(s) above") {
			t.Errorf("%s: summary %q", tc.name, d.Summary)
		}
	}
}
