package check

import (
	"strings"
	"testing"
)

// TestGuestNoteVRFAndDisabledDrop (chk54): the guest note said the guest
// bridge reaches the LAN for a guest bridge in a VRF of its own (no route
// between the tables), and told to add a drop where the export has one,
// disabled. No note for the VRF now, and the note tells to enable the
// disabled drop. Controls: a VRF with a route leaking into main keeps the
// note; a disabled drop of another segment's traffic changes nothing (the
// add is still offered).
func TestGuestNoteVRFAndDisabledDrop(t *testing.T) {
	base := readTestdata(t, "testdata/guest-bridge-reaches-lan.rsc")
	const fwd = "/ip firewall nat\n"
	vrf := base + "/ip vrf\nadd interfaces=bridge-guest name=guest\n"
	for _, tc := range []struct {
		name, text string
		want, not  string // want "": no guest note
	}{
		{"guest bridge in a VRF", vrf, "", ""},
		{"VRF leaking into main (control)", vrf + "/ip route\nadd dst-address=192.168.88.0/24 gateway=bridge@main routing-table=guest\n", "reads as a guest segment", ""},
		{"disabled drop", strings.Replace(base, fwd, "/ip firewall filter\nadd action=drop chain=forward disabled=yes in-interface=bridge-guest out-interface=bridge\n"+fwd, 1),
			"drops them and is disabled; enable it: /ip firewall filter enable [ find ", "/ip firewall filter add chain=forward action=drop"},
		{"disabled drop of another segment (control)", strings.Replace(base, fwd, "/ip firewall filter\nadd action=drop chain=forward disabled=yes in-interface=bridge out-interface=bridge-guest\n"+fwd, 1),
			"/ip firewall filter add chain=forward action=drop in-interface=bridge-guest", "enable it"},
	} {
		p := loadText(t, tc.text)
		var notes []string
		for _, n := range p.Notes {
			if strings.Contains(n, "reads as a guest segment") {
				notes = append(notes, n)
			}
		}
		switch {
		case tc.want == "" && len(notes) != 0:
			t.Errorf("%s: %q", tc.name, notes)
		case tc.want != "" && (len(notes) != 1 || !strings.Contains(notes[0], tc.want) || tc.not != "" && strings.Contains(notes[0], tc.not)):
			t.Errorf("%s: want one note with %q and without %q, got %q", tc.name, tc.want, tc.not, notes)
		}
	}
}
