package agentcmd

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

func TestFlowRateCountsFlowsAndPorts(t *testing.T) {
	var mu sync.Mutex
	ports := map[int]bool{}
	// Every third flow is refused; one never leaves (its socket could not be opened).
	flow := func(_ context.Context, port int, _ string, _ time.Time) error {
		mu.Lock()
		defer mu.Unlock()
		if ports[port] {
			t.Errorf("port %d used twice", port)
		}
		ports[port] = true
		switch {
		case port == 107:
			return errNotSent{errors.New("bind: address already in use")}
		case port%3 == 0:
			return syscall.ECONNREFUSED
		}
		return nil
	}
	o := flowRateOptions{to: "192.0.2.1:12566", flows: 200, rate: 2000, timeout: time.Second, firstPort: 100}
	start := time.Now()
	res := probeFlowRate(t.Context(), o, flow)
	took := time.Since(start)
	if res.Result != probe.OK || res.Sent != 199 || res.Failures != 66+1 || res.Received != 200-67 {
		t.Errorf("result %v: want ok, 199 sent, 67 failures, 133 received", res)
	}
	if res.FailuresBy[probe.Refused] != 66 || res.FailuresBy[probe.Error] != 1 {
		t.Errorf("failures by kind %v, want 66 refused and 1 error", res.FailuresBy)
	}
	// 200 flows at 2000/s span at least 199 periods (99.5 ms): the open
	// loop paces them, it does not burst. Only the bounds a loaded machine
	// cannot break are asserted: it can send late, never early.
	if took < 99*time.Millisecond || res.PerSecond > 2000 || res.PerSecond <= 0 {
		t.Errorf("200 flows at 2000/s took %s, rate %g", took, res.PerSecond)
	}
	if len(ports) != 200 || !ports[100] || !ports[299] {
		t.Errorf("flows used %d ports, want 100..299", len(ports))
	}
}

// A loop held up for 100 ms near its end sends its 100 flows at about
// 500/s instead of 1000/s: the prober, not the router, set the rate, and
// the result says so. (A stall the loop catches up from by sending the
// late flows at once keeps the rate, and is not bound.) The same loop not
// held up offers more.
func TestFlowRateProberBound(t *testing.T) {
	ok := func(context.Context, int, string, time.Time) error { return nil }
	o := flowRateOptions{to: "192.0.2.1:12566", flows: 100, rate: 1000, timeout: time.Second, firstPort: 100}
	o.stall = func(i int) {
		if i == 90 {
			time.Sleep(100 * time.Millisecond)
		}
	}
	held := probeFlowRate(t.Context(), o, ok)
	if !held.ProberBound || held.Behind < 9 || held.PerSecond > 700 {
		t.Errorf("held up: prober-bound %v with %d flows late at %g/s, want bound with the last 10 late at about 500/s", held.ProberBound, held.Behind, held.PerSecond)
	}
	o.stall = nil
	kept := probeFlowRate(t.Context(), o, ok)
	// Without the stall the loop keeps its schedule unless the machine
	// holds it up (make unit's load did: 410/s); then it says so, and the
	// rates are not compared, both being what the machine allowed.
	if !kept.ProberBound && kept.PerSecond <= held.PerSecond {
		t.Errorf("kept up: %g flows/s, want more than the held-up loop's %g/s", kept.PerSecond, held.PerSecond)
	}
	for _, r := range []probe.Result{held, kept} {
		if err := r.Validate(probe.KindConntrackRate); err != nil {
			t.Error(err)
		}
	}
}

func TestFlowRateNothingAnswered(t *testing.T) {
	flow := func(context.Context, int, string, time.Time) error { return context.DeadlineExceeded }
	res := probeFlowRate(t.Context(), flowRateOptions{flows: 5, rate: 1000, timeout: time.Second}, flow)
	if res.Result != probe.Timeout || res.Sent != 5 || res.Received != 0 || res.Error == "" {
		t.Errorf("no answers = %v, want timeout with 5 sent", res)
	}
}

func TestTakeFlowPorts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "next")
	if p := takeFlowPorts(path, 1000); p != firstFlowPort {
		t.Errorf("first run starts at %d, want %d", p, firstFlowPort)
	}
	// The second run starts after the first's ports, so it cannot land in their entries.
	if p := takeFlowPorts(path, 1000); p != firstFlowPort+1000 {
		t.Errorf("second run starts at %d, want %d", p, firstFlowPort+1000)
	}
	// A run that would pass the last port wraps to the first.
	if p := takeFlowPorts(path, lastFlowPort-firstFlowPort); p != firstFlowPort {
		t.Errorf("a run past the last port starts at %d, want %d", p, firstFlowPort)
	}
}
