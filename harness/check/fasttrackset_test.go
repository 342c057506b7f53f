package check

import (
	"os"
	"strings"
	"testing"
)

// TestFasttrackMarksLaterSet: f58 reported (its C2) that the note "line 30
// fasttracks the connections that the routing marks of line 47 send into
// table to-site" stood although line 49, `set [find comment="defconf:
// fasttrack"] connection-mark=no-mark`, leaves them out. The reading of
// edit lines (edits.go) already applies the set on this base; this test
// keeps it so. Control: without line 49 the note is there.
func TestFasttrackMarksLaterSet(t *testing.T) {
	data, err := os.ReadFile("testdata/f58-netmap-overlap.rsc")
	if err != nil {
		t.Fatal(err)
	}
	const set = "/ip firewall filter\nset [find comment=\"defconf: fasttrack\"] connection-mark=no-mark\n"
	if !strings.Contains(string(data), set) {
		t.Fatal("the test file lost its set line")
	}
	p := importNamed(t, "f58.rsc", data)
	if hasNote(p.Notes, "fasttracks the connections that the routing marks") {
		t.Errorf("fasttrack note despite the later set: %q", p.Notes)
	}
	p = importNamed(t, "f58.rsc", []byte(strings.Replace(string(data), set, "", 1)))
	if !hasNote(p.Notes, "fasttracks the connections that the routing marks") {
		t.Errorf("control: no fasttrack note without the set: %q", p.Notes)
	}
}
