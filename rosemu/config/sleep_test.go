package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestDelayCommits: RouterOS applies each command of a script as it runs,
// so "add a rule, :delay, remove it" opens a window. While the script
// sleeps, the rule it added is in the router's configuration, its :log line
// is in the log, and the API answers; once it went on, the rule is gone. A
// run whose source fails after the :delay keeps what came before it.
func TestDelayCommits(t *testing.T) {
	ctx := context.Background()
	k := &fakeKernel{}
	r := New(Options{Ports: ports, Kernel: k})
	done := make(chan error, 1)
	go func() {
		_, err := r.Run(ctx, "/ip firewall filter add chain=forward action=drop comment=pulse\n"+
			":log info \"pulse on\"\n:delay 1s\n/ip firewall filter remove [find comment=pulse]")
		done <- err
	}()
	hasPulse := func() bool {
		rows, _, err := r.Command(ctx, "/ip/firewall/filter/print", nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			if rowComment(row) == "pulse" {
				return true
			}
		}
		return false
	}
	var seen, logged bool
	for finished := false; !finished; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			finished = true
		case <-time.After(20 * time.Millisecond):
			if hasPulse() {
				seen = true
			}
			for _, e := range r.Log() {
				logged = logged || e.Msg == "pulse on"
			}
		}
	}
	if !seen {
		t.Error("the API never saw the rule the script added before its :delay: the sleep held the router")
	}
	if !logged {
		t.Error("the :log line before the :delay was not in the log while the script slept")
	}
	if hasPulse() {
		t.Error("the rule is still there after the script removed it")
	}

	_, err := r.Run(ctx, "/ip firewall filter add chain=forward action=drop comment=kept\n:delay 10ms\n:error \"stop\"")
	if err == nil || !strings.Contains(err.Error(), "stop") {
		t.Fatalf("a run that fails after its :delay: %v", err)
	}
	rows, _, _ := r.Command(ctx, "/ip/firewall/filter/print", nil)
	if len(rows) != 1 || rowComment(rows[0]) != "kept" {
		t.Errorf("after the failed run the rules are %v; want the one added before the :delay", rows)
	}
	// Control: without a :delay the run stays one transaction.
	if _, err := r.Run(ctx, "/ip firewall filter add chain=forward action=drop comment=gone\n:error \"stop\""); err == nil {
		t.Fatal("the run did not fail")
	}
	rows, _, _ = r.Command(ctx, "/ip/firewall/filter/print", nil)
	if len(rows) != 1 {
		t.Errorf("a failed run without :delay kept its changes: %v", rows)
	}
}

func rowComment(r Row) string {
	c, _ := r.Get("comment")
	return c
}
