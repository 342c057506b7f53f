package scenarios_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/chrlab/chrlab/harness/runner"
	"github.com/chrlab/chrlab/harness/scenario"
)

// TestSuiteOrder: the suite's order has every scenario once, and those with
// load steps at least SUITE_PROCS (4, the Makefile's default) apart, most
// load steps first, so that four processes do not start load scenarios
// side by side and queue for the host's load lock.
func TestSuiteOrder(t *testing.T) {
	r, err := scenario.Root()
	if err != nil {
		t.Fatal(err)
	}
	names, err := scenario.Names(r)
	if err != nil {
		t.Fatal(err)
	}
	order, err := suiteOrder(r, names)
	if err != nil {
		t.Fatal(err)
	}
	sorted := slices.Clone(order)
	slices.Sort(sorted)
	if !slices.Equal(sorted, names) {
		t.Fatalf("the order is not the scenarios, each once:\n%v\n%v", order, names)
	}
	const procs = 4
	last, prev, heavy := -procs, 1<<30, 0
	for i, name := range order {
		s, err := scenario.Read(filepath.Join(r, "scenarios", name, "scenario.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		n := runner.LoadSteps(s)
		if n == 0 {
			continue
		}
		heavy++
		if i-last < procs {
			t.Errorf("%s (%d load steps) is %d places after the previous load scenario, %s: want %d or more", name, n, i-last, order[last], procs)
		}
		if n > prev {
			t.Errorf("%s has %d load steps, more than the load scenario before it (%d): the heaviest go first", name, n, prev)
		}
		last, prev = i, n
	}
	// The control: the suite has load scenarios enough for the order to matter.
	if heavy < 10 {
		t.Errorf("%d scenarios with load steps; the suite had 13 when this test was written", heavy)
	}
}

// TestSpreadLoad: with no load the order is the names' own; heavy names
// keep their relative order when their load is equal.
func TestSpreadLoad(t *testing.T) {
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	if got := spreadLoad(names, nil); !slices.Equal(got, names) {
		t.Errorf("no load: %v", got)
	}
	got := spreadLoad(names, map[string]int{"g": 1, "h": 3})
	if want := []string{"h", "a", "b", "c", "g", "d", "e", "f"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	all := map[string]int{"a": 1, "b": 2, "c": 1, "d": 1, "e": 1, "f": 1, "g": 1, "h": 1}
	if got, want := spreadLoad(names, all), []string{"b", "a", "c", "d", "e", "f", "g", "h"}; !slices.Equal(got, want) {
		t.Errorf("all heavy: got %v, want %v", got, want)
	}
}

// TestLoadSteps: the kinds that take the load lock, and no other.
func TestLoadSteps(t *testing.T) {
	s := &scenario.Scenario{Steps: []scenario.Step{{Probe: scenario.Iperf}, {Probe: scenario.CPS}, {Probe: scenario.TCP}, {Action: "configure"}, {Probe: scenario.ConntrackFill}, {Probe: scenario.ConntrackRate}}}
	if n := runner.LoadSteps(s); n != 4 {
		t.Errorf("LoadSteps = %d, want 4", n)
	}
}
