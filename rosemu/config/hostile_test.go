package config

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// panicKernel panics on its first Apply.
type panicKernel struct{ n int }

func (k *panicKernel) Apply(*kernel.State) error {
	k.n++
	if k.n == 1 {
		panic("kernel fault")
	}
	return nil
}

// TestRunSurvivesPanic: a transaction that panics fails with a
// RouterOS-style error, keeps nothing, and the router takes the next one.
func TestRunSurvivesPanic(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Kernel: &panicKernel{}})
	_, err := r.Run(context.Background(), "/ip address add address=10.0.0.1/24 interface=ether1")
	if err == nil || !strings.HasPrefix(err.Error(), "failure: internal error of the emulator in console run: kernel fault") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(r.Export(), "10.0.0.1") {
		t.Fatal("the failed transaction was kept")
	}
	if _, err := r.Run(context.Background(), "/ip address add address=10.0.0.2/24 interface=ether1"); err != nil || !strings.Contains(r.Export(), "10.0.0.2") {
		t.Fatalf("next run: %v", err)
	}
}

// TestEndlessConfiguration: a configuration that never ends fails with a
// clear error instead of hanging the apply (issue 13), and keeps nothing.
func TestEndlessConfiguration(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}})
	// The step bound's error says the run ended by it (a hang would meet
	// go test's own timeout); no wall-clock limit, which a loaded machine
	// broke (43 s against 30).
	_, err := r.Run(context.Background(), "/ip address add address=10.0.0.1/24 interface=ether1\n:while (true) do={}\n")
	if err == nil || !strings.Contains(err.Error(), "steps, the script does not end (line 2 column") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(r.Export(), "10.0.0.1") {
		t.Fatal("the failed configuration was kept")
	}
	// The time bound holds too, for a run whose steps are slow.
	saved := MaxRunTime
	MaxRunTime = 200 * time.Millisecond
	defer func() { MaxRunTime = saved }()
	_, err = r.Run(context.Background(), ":while (true) do={ :delay 10ms }")
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("err = %v", err)
	}
}
