package runner

import (
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

// TestProgressMark: a step whose expectation did not hold is "FAIL" in the
// progress line of a lab run, and in a run whose caller words its steps
// (chrlab check, whose renumbering probe of a path broken by design waits
// for it in vain) the caller's words replace it (realcheck19 D10); a step
// the caller leaves unworded keeps the runner's.
func TestProgressMark(t *testing.T) {
	failed := scenario.StepResult{Index: 12, Probe: "tcp", From: "peer", To: "router.wan:32400", Why: "result unreachable, expected ok (still after 10s)"}
	failed.Seen.Result = "unreachable"
	if m := progressMark(nil, "", failed); m != "FAIL: "+failed.Why {
		t.Errorf("lab run: %q", m)
	}
	check := func(r scenario.StepResult) string {
		if r.Seen.Result != "ok" {
			return "✗ broken, as expected (a finding of the check)"
		}
		return ""
	}
	if m := progressMark(check, "", failed); strings.Contains(m, "FAIL") || !strings.Contains(m, "as expected") {
		t.Errorf("check run: %q", m)
	}
	held := scenario.StepResult{Index: 1, Probe: "tcp", OK: true}
	held.Seen.Result = "ok"
	if m := progressMark(check, "", held); m != "ok" {
		t.Errorf("check run, a path that works: %q", m)
	}
}
