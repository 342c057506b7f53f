package check

import (
	"bytes"
	"strings"
	"testing"
)

// Under a warning the diagnosis no longer reads "no problem found"; with
// no warning it does, as before.
func TestWarnedDiagnosis(t *testing.T) {
	p := importText(t, exportWarnExport)
	found, _ := p.Diagnose()
	var b bytes.Buffer
	PrintFindingsWarned(&b, p, found, p.Propose(found), 2)
	if s := b.String(); strings.Contains(s, "no problem found") || !strings.Contains(s, "diagnosis: 2 warning(s) above; no other problem found") {
		t.Fatalf("warned: %q", s)
	}
	b.Reset()
	PrintFindingsWarned(&b, p, found, p.Propose(found), 0)
	if s := b.String(); !strings.HasPrefix(s, "diagnosis: no problem found") {
		t.Fatalf("no warning: %q", s)
	}
	if got := Warned("no problem found in the export's rules", 1); got != "1 warning(s) above; no other problem found in the export's rules" {
		t.Errorf("Warned: %q", got)
	}
}
