package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

func TestMatrixNamesTheFirstChange(t *testing.T) {
	step := func(result string, ok bool) scenario.StepResult {
		return scenario.StepResult{Index: 1, Probe: scenario.TCP, From: "client1", To: "router.wan:12566", OK: ok, Seen: scenario.Observation{Result: result}}
	}
	reps := []*Report{
		{Scenario: "x", Passed: true, Steps: []scenario.StepResult{step("ok", true)}},
		{Scenario: "x", Passed: true, Steps: []scenario.StepResult{step("ok", true)}},
		{Scenario: "x", Steps: []scenario.StepResult{step("timeout", false)}},
	}
	var b bytes.Buffer
	Matrix(&b, []string{"6.49.18", "7.16.2", "7.20.8"}, reps)
	out := b.String()
	for _, want := range []string{"6.49.18", "timeout FAIL", "PASS", "FAIL"} {
		if !strings.Contains(out, want) {
			t.Errorf("matrix lacks %q:\n%s", want, out)
		}
	}
	var row string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "1 ") {
			row = l
		}
	}
	if !strings.HasSuffix(strings.TrimSpace(row), "7.20.8") {
		t.Errorf("step row %q does not end with the first version that changed, 7.20.8", row)
	}
}
