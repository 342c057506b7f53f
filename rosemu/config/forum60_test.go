package config

import (
	"context"
	"strings"
	"testing"
	"time"
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

// A case's step that reads a value the router counts while it runs (a
// rule's packets, a scheduler entry's run-count, an interface's rx-byte)
// and stops with :error is checked at run time: the offline model holds
// the counter at zero, where the router counted the probes before the
// step (forum60 D5: "rule never matched" refused the case at load).
// Controls: the same text as router configuration is refused; a read of a
// setting (the rule's chain) followed by :error, and a misspelt value
// name, are refused in a step too.
func TestValidateStepRunTimeCounters(t *testing.T) {
	base := "/ip firewall filter add chain=forward action=accept comment=c1\n/system scheduler add name=s interval=1s on-event=\":log info x\"\n"
	check := func(step bool, src string) *Validation {
		r := New(Options{Ports: ports})
		run(t, r, base)
		if step {
			return r.ValidateStep(context.Background(), src, 2*time.Second)
		}
		return r.Validate(context.Background(), src, 2*time.Second)
	}
	counted := `:if ([/ip firewall filter get [find comment=c1] packets] = 0) do={:error "rule never matched"}`
	for _, src := range []string{
		counted,
		`:if ([/system scheduler get s run-count] < 3) do={:error "too few runs"}`,
		`:if ([/interface get ether1 rx-byte] = 0) do={:error "nothing received"}`,
	} {
		v := check(true, src)
		if v.Count(Refused) != 0 || v.Count(RunTime) != 1 || !strings.Contains(v.Findings[len(v.Findings)-1].Msg, "is counted while the router runs") {
			t.Errorf("step %s: %+v", src, v.Findings)
		}
	}
	if v := check(false, counted); v.Count(Refused) != 1 || v.Findings[len(v.Findings)-1].Msg != "rule never matched" {
		t.Errorf("router configuration: %+v", v.Findings)
	}
	for src, want := range map[string]string{
		`:if ([/ip firewall filter get [find comment=c1] chain] = "forward") do={:error "a setting"}`: "a setting",
		`:if ([/ip firewall filter get [find comment=c1] packts] = 0) do={:error "x"}`:                "input does not match",
	} {
		v := check(true, src)
		if v.Count(Refused) != 1 || !strings.Contains(v.Findings[len(v.Findings)-1].Msg, want) {
			t.Errorf("step %s: %+v, want refused %q", src, v.Findings, want)
		}
	}
}
