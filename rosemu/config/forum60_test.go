package config

import (
	"context"
	"testing"
)

// A scheduler entry's and a script's run-count are numbers, as the
// Scheduler page types it ("run-count (read-only: integer)"): a script
// that stops itself after N runs compares and counts with it. :typeof
// said str (forum60 D4). Where clauses compare it as a number too.
func TestRunCountIsNumber(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	run(t, r, `/system script add name=tick source=":log info tick"
/system scheduler add name=every interval=1s on-event=tick`)
	var id string
	for _, e := range r.SchedulerEntries() {
		if e.Name == "every" {
			id = e.ID
		}
	}
	for i := 0; i < 3; i++ {
		if err := r.RunScheduled(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	run(t, r, "/system script run tick")
	got := putLines(t, r, `:local rc [/system scheduler get every run-count]
:put ([:typeof $rc] . " " . $rc . " " . ($rc * 2))
:put ([:typeof [/system script get tick run-count]] . " " . [/system script get tick run-count])
:put [:len [/system scheduler find where run-count>2]]
:put [:len [/system scheduler find where run-count>3]]`)
	if want := "num 3 6\nnum 4\n1\n0"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
