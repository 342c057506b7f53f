package check

import (
	"strings"
	"testing"
)

// TestConnLimitNegatedNote: connection-limit=!10,16 (which rosemu now takes)
// matches while the /16 block holds 10 connections or fewer; the note read
// "at most !10 connections ... not !10 per client". Control: the plain 10,16
// keeps its wording.
func TestConnLimitNegatedNote(t *testing.T) {
	text := noDestination + "/ip firewall filter\nadd action=accept chain=forward connection-limit=!10,16 protocol=tcp\n"
	notes := strings.Join(importText(t, text).Notes, "\n")
	if !strings.Contains(notes, "line 21: connection-limit=!10,16 counts every source in one /16 block: the rule matches while all of them together hold 10 connections or fewer, not 10 per client (per address is !10,32)") || strings.Contains(notes, "!10 connections") {
		t.Errorf("notes: %q", notes)
	}
	notes = strings.Join(importText(t, strings.Replace(text, "!10,16", "10,16", 1)).Notes, "\n")
	if !strings.Contains(notes, "connection-limit=10,16 counts every source in one /16 block: at most 10 connections for all of them together, not 10 per client (per address is 10,32)") {
		t.Errorf("control notes: %q", notes)
	}
}
