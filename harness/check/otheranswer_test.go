package check

import (
	"net/netip"
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

// TestForwardAnsweredByOtherNode: behind an ISP router that forwards
// nothing (double NAT), the peer's probe of the public address is answered
// by the ISP router itself; before, the check read it as "✓ server saw
// the peer" because only the source seen was judged. A forward's path
// works only when its server answers. The control: server1 answering.
func TestForwardAnsweredByOtherNode(t *testing.T) {
	c := &Case{
		Probes:  []Probe{{Forward: 0, Path: "internet", Phase: "before", From: "peer", To: "cpe1.public:12566", Kind: "tcp"}},
		Steps:   []int{0},
		Servers: map[netip.Addr]string{netip.MustParseAddr("192.168.88.10"): "server1"},
	}
	for _, tt := range []struct {
		by     string
		broken int
	}{
		{"cpe1", 1},
		{"server1", 0},
	} {
		steps := []scenario.StepResult{{Seen: scenario.Observation{Result: "ok", ServerName: tt.by, ServerSaw: "198.51.100.50"}}}
		outs := c.Outcomes(steps)
		if got := len(Broken(outs, "before")); got != tt.broken {
			t.Errorf("answered by %s: %d broken, want %d (%+v)", tt.by, got, tt.broken, outs)
		}
	}
}
