package scenarios_test

import (
	"testing"

	"github.com/chrlab/chrlab/harness/runner"
	"github.com/chrlab/chrlab/harness/scenario"
)

// TestVMScope: the scopes make and CI pass pick the specs they name, only on
// vm; a mistyped scope is an error before any spec runs, not a full run.
func TestVMScope(t *testing.T) {
	for _, tc := range []struct {
		backend runner.Backend
		scope   string
		filter  string
	}{
		{runner.VM, "", ""},
		{runner.VM, "all", ""},
		{runner.VM, "guest", "guest"},
		{runner.VM, "rest", "!guest"},
		{runner.Rosemu, "guest", ""},
		{runner.Rosemu, "rest", ""},
	} {
		filter, _, err := vmScope(tc.backend, tc.scope)
		if err != nil || filter != tc.filter {
			t.Errorf("vmScope(%s, %q) = %q, %v; want %q", tc.backend, tc.scope, filter, err, tc.filter)
		}
	}
	for _, b := range []runner.Backend{runner.VM, runner.Rosemu} {
		if _, _, err := vmScope(b, "guests"); err == nil {
			t.Errorf("vmScope(%s, \"guests\"): no error", b)
		}
	}
	// Every name in guestScenarios is a scenario: a renamed folder must not
	// drop out of the guest run silently.
	r, err := scenario.Root()
	if err != nil {
		t.Fatal(err)
	}
	names, err := scenario.Names(r)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	for n := range guestScenarios {
		if !have[n] {
			t.Errorf("guestScenarios names %q, which is no scenario folder", n)
		}
	}
}
