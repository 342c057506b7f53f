package scenarios_test

import (
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

// TestThroughputText checks the methods table's throughput column: the median of the rounds'
// hairpin/direct ratios, then every round's in order, a round that measured nothing shown as
// "-" and left out of the median.
func TestThroughputText(t *testing.T) {
	gbit := func(g float64) scenario.StepResult {
		return scenario.StepResult{Seen: scenario.Observation{BitsPerSecond: g * 1e9}}
	}
	for _, c := range []struct {
		name string
		seen map[string]scenario.StepResult
		want string
	}{
		{"three rounds, median not the mean", map[string]scenario.StepResult{
			"tdirect-0": gbit(10), "thairpin-0": gbit(9.5),
			"tdirect-1": gbit(12), "thairpin-1": gbit(6),
			"tdirect-2": gbit(8), "thairpin-2": gbit(7.2),
		}, "0.90 (0.95, 0.50, 0.90)"},
		{"a failed hairpin run", map[string]scenario.StepResult{
			"tdirect-0": gbit(10), "thairpin-0": gbit(8),
			"tdirect-1": gbit(10),
			"tdirect-2": gbit(10), "thairpin-2": gbit(9),
		}, "0.85 (0.80, -, 0.90)"},
		{"nothing measured", map[string]scenario.StepResult{}, "-"},
		// The single 2-s pair the column was once measured from is no round.
		{"the old step ids", map[string]scenario.StepResult{"tdirect": gbit(10), "thairpin": gbit(9)}, "-"},
	} {
		if got := throughputText(c.seen); got != c.want {
			t.Errorf("%s: throughputText = %q, want %q", c.name, got, c.want)
		}
	}
	// Every round's pair of runs is in the steps, each long enough for labagent to leave its
	// first second (slow start) out, direct before hairpin.
	steps := methodSteps("router.wan")
	var runs []string
	for _, st := range steps {
		if st.Probe != scenario.Iperf {
			continue
		}
		if st.Seconds < 3 {
			t.Errorf("step %s runs %d s: under 3 s labagent keeps slow start in", st.ID, st.Seconds)
		}
		runs = append(runs, st.ID)
	}
	want := []string{"tdirect-0", "thairpin-0", "tdirect-1", "thairpin-1", "tdirect-2", "thairpin-2"}
	if len(runs) != len(want) {
		t.Fatalf("iperf3 steps %v, want %v", runs, want)
	}
	for i := range want {
		if runs[i] != want[i] {
			t.Fatalf("iperf3 steps %v, want %v", runs, want)
		}
	}
}

// TestOutageText checks the methods table's outage column after a renumbering (review44 #3): a
// hairpin whose first try held has held_after_s and no outage_s, and the column gives 0 as the
// lower bound instead of "-" (not measured).
func TestOutageText(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		name string
		st   scenario.StepResult
		want string
	}{
		{"first try held", scenario.StepResult{HeldAfter: f(0.7), Duration: 0.5,
			Tries: []scenario.Try{{Start: 0, At: 0.5, Result: "ok", OK: true}}}, "0.0–0.7 s"},
		// Controls: a lost connection (outage_s set too), none recovered, nothing measured.
		{"tries failed first", scenario.StepResult{HeldAfter: f(2.2), Outage: f(2.2), Duration: 2,
			Tries: []scenario.Try{{Start: 0, At: 1, Result: "timeout"}, {Start: 1.2, At: 2, Result: "ok", OK: true}}}, "0.2–2.2 s"},
		{"never recovered", scenario.StepResult{HeldAfter: f(-1), Outage: f(-1), Duration: 60,
			Tries: []scenario.Try{{Start: 0, At: 1, Result: "timeout"}}}, "> 60 s (never recovered)"},
		{"no within", scenario.StepResult{Duration: 1}, "-"},
	} {
		if got := outageText(c.st); got != c.want {
			t.Errorf("%s: outageText = %q, want %q", c.name, got, c.want)
		}
	}
}
