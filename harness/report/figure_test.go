package report

import (
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

// TestFigureTextPortProbe: a port probe's open or closed shows the
// probe's own time (the handshake, the reset), as tcp's ok does, not the
// step's wall time (forum42 D5); filtered (silence until the timeout)
// and a tcp timeout keep the step's time (the controls).
func TestFigureTextPortProbe(t *testing.T) {
	for _, c := range []struct {
		name string
		s    scenario.StepResult
		want string
	}{
		{"port open", scenario.StepResult{Probe: scenario.Port, Duration: 2.93, Seen: scenario.Observation{Result: "open", Millis: 12.007}}, "12.0ms"},
		{"port closed", scenario.StepResult{Probe: scenario.Port, Duration: 1.4, Seen: scenario.Observation{Result: "closed", Millis: 0.84}}, "0.8ms"},
		{"port filtered", scenario.StepResult{Probe: scenario.Port, Duration: 2.4, Seen: scenario.Observation{Result: "filtered", Millis: 2001}}, "2.4s"},
		{"tcp ok", scenario.StepResult{Probe: scenario.TCP, Duration: 0.9, Seen: scenario.Observation{Result: "ok", Millis: 0.8}}, "0.8ms"},
		{"tcp timeout", scenario.StepResult{Probe: scenario.TCP, Duration: 2.9, Seen: scenario.Observation{Result: "timeout"}}, "2.9s"},
		// forum43 D10: an iperf step that moved nothing shows its 0, not
		// the step's time; one that failed keeps the step's time.
		{"iperf moved nothing", scenario.StepResult{Probe: scenario.Iperf, Duration: 4.6, Seen: scenario.Observation{Result: "ok"}}, "0 kbit/s"},
		{"iperf refused", scenario.StepResult{Probe: scenario.Iperf, Duration: 1.2, Seen: scenario.Observation{Result: "refused"}}, "1.2s"},
	} {
		if got := figureText(c.s); got != c.want {
			t.Errorf("%s: figureText = %q, want %q", c.name, got, c.want)
		}
	}
}

// TestResolveConnectRow (forum40 D9): a resolve-then-connect row names
// the name it asked in TO, as a dns row does; a tcp row (control) has no
// name to show.
func TestResolveConnectRow(t *testing.T) {
	s := scenario.StepResult{Probe: scenario.ResolveConnect, To: "router.lan:53", Target: "192.168.88.1:53", Query: "myserver.net"}
	if got, want := toText(s), "router.lan:53 (192.168.88.1:53) myserver.net"; got != want {
		t.Errorf("resolve-then-connect TO = %q, want %q", got, want)
	}
	s.Probe = scenario.TCP
	if got, want := toText(s), "router.lan:53 (192.168.88.1:53)"; got != want {
		t.Errorf("tcp TO = %q, want %q", got, want)
	}
}
