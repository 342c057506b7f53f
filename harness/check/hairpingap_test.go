package check

import (
	"strings"
	"testing"
)

// TestHairpinGap (chk52 F1): a forward bound to the WAN with no hairpin
// (a PPPoE camera forward, in-interface=pppoe-out1) works from the
// internet; LAN clients cannot reach it by the public address. check
// called that 2 findings, "broken", exit 1. Offline it is a hairpin gap
// now: a warning that says so with the hairpin lines, verdict ok.
// Controls, where nothing
// changes: a forward whose rule lets the LAN in (dst-address=<public>,
// a hairpin method without its src-nat), a forward whose internet path
// fails too (bound to the port under the PPPoE client), and a forward
// bound to the WAN beside a LAN copy to the same server.
func TestHairpinGap(t *testing.T) {
	base := readTestdata(t, "testdata/pppoe-forward-nohairpin.rsc")
	const rule = "in-interface=pppoe-out1 protocol=tcp \\\n    to-addresses=192.168.88.20 to-ports=8000\n"
	if !strings.Contains(base, rule) {
		t.Fatal("testdata changed")
	}
	lanCopy := "in-interface=pppoe-out1 protocol=tcp \\\n    to-addresses=192.168.88.20 to-ports=8000\nadd action=dst-nat chain=dstnat dst-address-type=local dst-port=8000 in-interface=bridge protocol=tcp to-addresses=192.168.88.20 to-ports=8000\n"
	for _, tc := range []struct {
		name, text string
		gap        bool
	}{
		{"in-interface=pppoe-out1", base, true},
		{"in-interface-list=WAN", strings.Replace(base, "in-interface=pppoe-out1 protocol=tcp", "in-interface-list=WAN protocol=tcp", 1), true},
		{"dst-address=<public> (control)", strings.Replace(base, "in-interface=pppoe-out1 protocol=tcp", "dst-address-type=local protocol=tcp", 1), false},
		{"bound to the port under PPPoE (control)", strings.Replace(base, "in-interface=pppoe-out1 protocol=tcp", "in-interface=ether1 protocol=tcp", 1), false},
		{"LAN copy beside it (control)", strings.Replace(base, rule, lanCopy, 1), false},
	} {
		p := loadText(t, tc.text)
		found, _ := p.Diagnose()
		kept, gaps := p.SplitHairpinGaps(found)
		d := p.OfflineDocument()
		warns := strings.Join(d.Warnings, "\n")
		if !tc.gap {
			if len(gaps) != 0 || strings.Contains(warns, "hairpin gap") || Problems(kept) == 0 || d.Verdict == "ok" {
				t.Errorf("%s: gaps %+v, verdict %s, warnings %q", tc.name, gaps, d.Verdict, d.Warnings)
			}
			continue
		}
		if len(gaps) != 2 || Problems(kept) != 0 || d.Verdict != "ok" || !strings.HasPrefix(d.Summary, "1 warning(s) above") {
			t.Errorf("%s: gaps %d, kept %+v, verdict %s (%s)", tc.name, len(gaps), kept, d.Verdict, d.Summary)
		}
		for _, w := range []string{"hairpin gap: forward 1 (line 71, tcp/8000 → 192.168.88.20:8000) is bound to the WAN", "works from the internet, but LAN clients on bridge cannot reach it by the public address", "add chain=srcnat action=masquerade src-address=192.168.88.0/24 dst-address=192.168.88.20"} {
			if !strings.Contains(warns, w) {
				t.Errorf("%s: no warning says %q:\n%s", tc.name, w, warns)
			}
		}
	}
}
