package check

import (
	"strings"
	"testing"
)

// TestLimitAcceptNote: an accept with limit= whose leftover nothing below
// drops is noted, naming the later accept that takes it when there is
// one; a drop of the same traffic below, or a jump that may decide, gives
// no note.
func TestLimitAcceptNote(t *testing.T) {
	const limited = "add action=accept chain=input comment=flood limit=2,2:packet protocol=icmp\n"
	for _, tt := range []struct {
		name, below, want string
	}{
		{"end of chain", "", "the accept with a limit (2,2:packet) lets what it leaves over go on down the input chain, and no later rule drops all it matches"},
		{"later accept", "add action=log chain=input protocol=icmp\nadd action=accept chain=input protocol=icmp\n", "where line 23 accepts it anyway: the limit limits nothing"},
		{"later drop", "add action=drop chain=input protocol=icmp\n", ""},
		{"later catch-all drop", "add action=drop chain=input connection-state=invalid\nadd action=drop chain=input\n", ""},
		{"later jump", "add action=jump chain=input jump-target=icmp\n", ""},
	} {
		p := importText(t, noDestination+"/ip firewall filter\n"+limited+tt.below)
		notes := strings.Join(p.Notes, "\n")
		if tt.want == "" {
			if strings.Contains(notes, "accept with a limit") {
				t.Errorf("%s: noted: %q", tt.name, p.Notes)
			}
			continue
		}
		if !strings.Contains(notes, "line 21: "+"the accept with a limit") || !strings.Contains(notes, tt.want) {
			t.Errorf("%s: notes %q", tt.name, p.Notes)
		}
	}
}
