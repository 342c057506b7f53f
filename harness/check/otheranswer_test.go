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

// TestServiceTakenByForward: a forward with to-ports and no dst-port takes
// WinBox's port, which the input chain accepts from the WAN. The port
// probe's handshake, answered by the forward's server, read "open" as if
// the router's WinBox answered, and no warning was given. The whoami
// exchange beside it tells: "taken by server1", a warning, one row. The
// control: the router's WinBox holds the connection (the exchange times
// out), the port stays open and nothing is said.
func TestServiceTakenByForward(t *testing.T) {
	path := "service:winbox@wan"
	c := &Case{
		Probes: []Probe{
			{Forward: -1, Path: path, Phase: "before", From: "peer", To: "router.wan:8291", Kind: "port", Wanted: true},
			{Forward: -1, Path: path, Phase: "before", From: "peer", To: "router.wan:8291", Kind: "tcp", Wanted: true},
		},
		Steps:   []int{0, 1},
		Servers: map[netip.Addr]string{netip.MustParseAddr("192.168.88.10"): "server1"},
	}
	for _, tt := range []struct {
		tcp, by, want string
		warn          bool
	}{
		{"ok", "server1", "taken by server1", true},
		{"timeout", "", "open", false},
	} {
		steps := []scenario.StepResult{
			{Seen: scenario.Observation{Result: "open"}},
			{Seen: scenario.Observation{Result: tt.tcp, ServerName: tt.by}},
		}
		outs := c.Outcomes(steps)
		if len(outs) != 1 || outs[0].Result != tt.want {
			t.Errorf("tcp %s: outcomes %+v, want one row %q", tt.tcp, outs, tt.want)
			continue
		}
		if w := ServiceWarnings(outs, "before"); (len(w) == 1) != tt.warn {
			t.Errorf("tcp %s: warnings %q", tt.tcp, w)
		}
	}
}
