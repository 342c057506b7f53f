package check

import (
	"strings"
	"testing"
)

// TestNoMasqueradeForLANTheFilterKeepsIn (realcheck27 D6): a segment
// whose new connections to the WAN the forward chain drops was told it
// lacked a masquerade, with a fix of one masquerade per segment that the
// lab proved useless. It is a note now, without finding or fix line.
// Control: an accept of ether2 to the uplink above the drop lets ether2
// out, and its finding and masquerade stay; V54 stays a note.
func TestNoMasqueradeForLANTheFilterKeepsIn(t *testing.T) {
	text := readTestdata(t, "testdata/branch-forward-drop-nomasq.rsc")
	lanOut := func(p *Plan) (segs []string, fix string) {
		found, _ := p.Diagnose()
		for _, f := range found {
			if f.Cause == NoMasquerade {
				segs = append(segs, strings.TrimPrefix(f.Path, lanInternetPrefix))
			}
		}
		return segs, strings.Join(p.Propose(found).Lines, "\n")
	}
	p := loadText(t, text)
	if segs, fix := lanOut(p); len(segs) != 0 || strings.Contains(fix, "masquerade") {
		t.Errorf("no-masquerade findings %v, fix:\n%s", segs, fix)
	}
	notes := strings.Join(p.Notes, "\n")
	for _, want := range []string{
		// ether2 is what V54 is masqueraded out of, with no DHCP server
		// and its own way out dropped: an uplink (rc30 C2).
		"ether2 (192.168.146.0/24) is taken as an uplink or a network of devices, not a LAN to translate: line 16 masquerades 172.16.54.0/24 out of it",
		"V54 (172.16.54.0/24): the forward chain drops its new connections to ether1 (line 14)",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}

	q := loadText(t, strings.Replace(text, "add action=drop chain=forward\n", "add action=accept chain=forward in-interface=ether2 out-interface=ether1\nadd action=drop chain=forward\n", 1))
	segs, fix := lanOut(q)
	if len(segs) != 1 || segs[0] != "ether2" || !strings.Contains(fix, "/ip firewall nat add chain=srcnat action=masquerade src-address=192.168.146.0/24 out-interface=ether1") {
		t.Errorf("control: no-masquerade findings %v, fix:\n%s", segs, fix)
	}
}
