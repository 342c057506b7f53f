package check

import (
	"strings"
	"testing"
)

// connection-limit with a netmask of 0 is one limit for every source:
// a note. Per address (32) is none.
func TestConnLimitNote(t *testing.T) {
	text := noDestination + "/ip firewall filter\nadd action=drop chain=forward comment=players connection-limit=2,0 connection-state=new dst-port=27015 protocol=udp\nadd action=drop chain=forward connection-limit=10,32 protocol=tcp\n"
	p := importText(t, text)
	notes := strings.Join(p.Notes, "\n")
	if !strings.Contains(notes, "line 21: connection-limit=2,0 counts the whole internet as one source: at most 2 connections for all of them together, not 2 per client (per address is 2,32)") {
		t.Errorf("notes: %q", p.Notes)
	}
	if strings.Contains(notes, "10,32") {
		t.Errorf("per-address limit noted: %q", p.Notes)
	}
}
