package check

import (
	"strings"
	"testing"
)

// TestMoveLines (chk57 D3): a configuration that moves its rules ("move 4
// destination=3", "move [ find ... ] 0", a script's or check's own fix)
// was read in the order the rules were added: a drop moved above the
// accept of port forwards left the forward "working" offline, and the lab
// found it broken with "cause not identified". The moves are read as
// RouterOS applies them now (docs/routeros.md, move), and the lab's
// configuration holds the rules in the moved order without the move line.
// Controls: a destination that names two rules is not read (a note, the
// order as added), and a block moved before one of its own stays.
func TestMoveLines(t *testing.T) {
	const head = "# by RouterOS 7.16.2\n" + homeWANMasq + `add action=dst-nat chain=dstnat dst-port=8080 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.10
/ip route
add gateway=203.0.113.1
/ip firewall filter
add action=accept chain=forward connection-state=established,related
add action=accept chain=forward comment=fwd connection-nat-state=dstnat
add action=drop chain=forward comment=wan in-interface-list=WAN
add action=drop chain=forward comment=wan in-interface-list=WAN protocol=udp
`
	const dropped = "a forward filter rule drops the connection from the internet"
	for _, tt := range []struct {
		name, edit string
		broken     bool   // the forward's internet path found dropped
		note       string // in the notes
	}{
		{"move by number before", "/ip firewall filter\nmove 2 destination=1\n", true, "line 26 moves line(s) 23 before line 22"},
		{"move by number, positional", "/ip firewall filter\nmove 2 1\n", true, "line 26 moves line(s) 23 before line 22"},
		{"move by find to the top", "/ip firewall filter\nmove [ find where action=drop and protocol=udp ] 0\n", false, "line 26 moves line(s) 24 before line 21"},
		{"move by find before by find", "/ip firewall filter\nmove [ find comment=wan and !protocol ] destination=[ find comment=fwd ]\n", false, "check does not read"},
		{"move the accept to the end", "/ip firewall filter\nmove [ find comment=fwd ]\n", true, "line 26 moves line(s) 22 to the end of ip firewall filter"},
		{"brackets without blanks", "/ip firewall filter\nmove [find comment=\"fwd\"] [find protocol=udp]\n", true, "line 26 moves line(s) 22 before line 24"},
		{"a destination that names two (control)", "/ip firewall filter\nmove 2 destination=[ find comment=wan ]\n", false, "check does not read"},
		{"before one of its own (control)", "/ip firewall filter\nmove 1,2 destination=2\n", false, "before one of themselves: they stay"},
		{"no move (control)", "", false, ""},
	} {
		p := importText(t, head+tt.edit)
		found, _ := p.Diagnose()
		broken := false
		for _, f := range found {
			broken = broken || f.Path == "internet" && strings.Contains(f.String(), dropped)
		}
		notes := strings.Join(p.Notes, "\n")
		switch {
		case broken != tt.broken:
			t.Errorf("%s: internet path dropped %v, want %v: %+v\nnotes %s", tt.name, broken, tt.broken, found, notes)
		case tt.note != "" && !strings.Contains(notes, tt.note):
			t.Errorf("%s: no note says %q:\n%s", tt.name, tt.note, notes)
		case tt.note == "" && strings.Contains(notes, "edit items"):
			t.Errorf("%s: a note on edits:\n%s", tt.name, notes)
		case tt.broken && (strings.Contains(p.RSC, "filter move") || strings.Index(p.RSC, "comment=wan in-interface-list=WAN\n") > strings.Index(p.RSC, "comment=fwd")):
			t.Errorf("%s: the lab's configuration keeps the move or the added order:\n%s", tt.name, p.RSC)
		}
	}
}
