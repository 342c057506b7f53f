package runner

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
)

// TestFullTunnelNotes (forum34 D5, wg-rw-fulltunnel): a probe from a
// full-tunnel node to a host on its own network is noted as outside the
// tunnel; the same probe with the host as a /32 in allowed, a probe to a
// host beyond the node's networks, and a node with a split tunnel are
// not (controls).
func TestFullTunnelNotes(t *testing.T) {
	pf, ad := netip.MustParsePrefix, netip.MustParseAddr
	spec := func(allowed ...string) *lab.Spec {
		var ps []netip.Prefix
		for _, a := range allowed {
			ps = append(ps, pf(a))
		}
		return &lab.Spec{
			Networks: []lab.Network{{Name: "internet", Subnet: pf("198.51.100.0/24")}},
			Nodes: []lab.Node{{Name: "roadwarrior", Interfaces: []lab.Interface{{Network: "internet", Address: ad("198.51.100.60")}},
				WireGuard: &lab.WireGuard{Address: pf("10.66.0.2/24"), Peer: lab.WireGuardPeer{Allowed: ps}}}},
		}
	}
	steps := []scenario.StepResult{
		{Index: 2, Line: 30, Probe: scenario.TCP, From: "roadwarrior", To: "peer:12566", Target: "198.51.100.50:12566", OK: false},
		{Index: 3, Line: 34, Probe: scenario.TCP, From: "roadwarrior", To: "10.77.0.1:12566", Target: "10.77.0.1:12566", OK: true},
	}
	notes := fullTunnelNotes(spec("0.0.0.0/0"), steps)
	if len(notes) != 1 || !strings.Contains(notes[0], "step 2 (line 30): roadwarrior's full tunnel (allowed 0.0.0.0/0) leaves its own network internet (198.51.100.0/24) outside the tunnel") || !strings.Contains(notes[0], "add 198.51.100.50/32") {
		t.Errorf("full tunnel: %q", notes)
	}
	if notes := fullTunnelNotes(spec("0.0.0.0/0", "198.51.100.50/32"), steps); len(notes) != 0 {
		t.Errorf("with the /32: %q", notes)
	}
	if notes := fullTunnelNotes(spec("10.66.0.0/24", "192.168.88.0/24"), steps); len(notes) != 0 {
		t.Errorf("split tunnel: %q", notes)
	}
}
