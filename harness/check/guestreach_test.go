package check

import (
	"strings"
	"testing"
)

// TestGuestReachNote (chk52 D6): a segment named guest (its bridge, its
// DHCP server, an interface list) that the forward chain lets reach the
// LAN got no word. It gets a note with what the rules allow, that intent
// decides, and the drop to add (above the accept that lets it through,
// when one does). Controls: a forward drop from the guest bridge to the
// LAN, a reject by the guest list, and the same export with no guest
// name: no note.
func TestGuestReachNote(t *testing.T) {
	base := readTestdata(t, "testdata/guest-bridge-reaches-lan.rsc")
	const fwd = "/ip firewall nat\n"
	// Renamed: bridge-guest becomes bridge2, its pool and server too.
	plain := strings.ReplaceAll(base, "bridge-guest", "bridge2")
	for _, tc := range []struct {
		name, text string
		want       []string // nil: no guest note
	}{
		{"guest bridge", base, []string{"bridge-guest (192.168.99.0/24) reads as a guest segment by its interface bridge-guest", "connections to bridge (192.168.88.0/24) (no forward rule drops it)", "intent", `/ip firewall filter add chain=forward action=drop in-interface=bridge-guest out-interface-list=!WAN comment="guest only to the internet"`}},
		{"DHCP server named guest", strings.Replace(plain, "interface=bridge2 name=dhcp-bridge2", "interface=bridge2 name=guests", 1), []string{`reads as a guest segment by its DHCP server guests`}},
		{"interface list GUEST, accepted", strings.Replace(strings.Replace(plain, "/interface list\n", "/interface list\nadd name=GUEST\n", 1), "/interface list member\n", "/interface list member\nadd interface=bridge2 list=GUEST\n", 1) + "/ip firewall filter\nadd action=accept chain=forward in-interface-list=GUEST\n",
			[]string{"by the interface list GUEST", "accepts it first", "place-before="}},
		{"forward drop (control)", strings.Replace(base, fwd, "/ip firewall filter\nadd action=drop chain=forward in-interface=bridge-guest out-interface=bridge\n"+fwd, 1), nil},
		{"reject by list (control)", strings.Replace(strings.Replace(base, "/interface list\n", "/interface list\nadd name=GUEST\n", 1), "/interface list member\n", "/interface list member\nadd interface=bridge-guest list=GUEST\n", 1) + "/ip firewall filter\nadd action=reject chain=forward in-interface-list=GUEST out-interface-list=LAN\n", nil},
		{"no guest name (control)", plain, nil},
	} {
		p := loadText(t, tc.text)
		var notes []string
		for _, n := range p.Notes {
			if strings.Contains(n, "reads as a guest segment") {
				notes = append(notes, n)
			}
		}
		if tc.want == nil {
			if len(notes) != 0 {
				t.Errorf("%s: %q", tc.name, notes)
			}
			continue
		}
		if len(notes) != 1 {
			t.Errorf("%s: want one guest note, got %q", tc.name, notes)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(notes[0], w) {
				t.Errorf("%s: the note lacks %q:\n%s", tc.name, w, notes[0])
			}
		}
	}
}
