package config

import "testing"

// checkVerdicts compares the findings of the lines in want: "" wants the
// line accepted, a reason wants it stored-not-enforced for that reason.
func checkVerdicts(t *testing.T, v *Validation, want map[int]string) {
	t.Helper()
	for _, f := range v.Findings {
		w, ok := want[f.Line]
		if !ok {
			continue
		}
		if w == "" && f.Verdict != Accepted || w != "" && (f.Verdict != NotEnforced || f.Msg != w) {
			t.Errorf("line %d: %v %q, want %q", f.Line, f.Verdict, f.Msg, w)
		}
	}
}
