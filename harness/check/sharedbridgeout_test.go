package check

import (
	"strings"
	"testing"
)

// TestSharedBridgeWayOut (rc29 C6, hex-7206): two private segments on one
// bridge (192.168.88.0/24 on the bridge, 10.0.0.0/24 beside it) and
// no srcnat rule: each gets its masquerade, and each way-out probe starts
// at its own segment's client. Keyed by the bridge's name, the second
// segment's masquerade was dropped as a copy of the first's, and the
// first's probe started at the second's client, which read ✗ with the fix.
// Control: one segment on the bridge gets one masquerade and one probe.
func TestSharedBridgeWayOut(t *testing.T) {
	const export = `# jan/02/2025 10:00:00 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface bridge port
add bridge=bridge interface=ether2
add bridge=bridge interface=ether3
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
%s/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		name, extra string
		masq        []string
		probes      []string
	}{
		{"two segments", "add address=10.0.0.1/24 interface=bridge network=10.0.0.0\n",
			[]string{"src-address=192.168.88.0/24", "src-address=10.0.0.0/24"},
			[]string{"from: client1\n    to: peer:12566", "from: client2\n    to: peer:12566"}},
		{"one segment", "", []string{"src-address=192.168.88.0/24"}, []string{"from: client1\n    to: peer:12566"}},
	} {
		p := importText(t, strings.Replace(export, "%s", tt.extra, 1))
		found, _ := p.Diagnose()
		fx := p.Propose(found)
		lines := strings.Join(fx.Lines, "\n")
		if n := strings.Count(lines, "action=masquerade"); n != len(tt.masq) {
			t.Errorf("%s: %d masquerades, want %d:\n%s", tt.name, n, len(tt.masq), lines)
		}
		for _, m := range tt.masq {
			if !strings.Contains(lines, m) {
				t.Errorf("%s: fix lacks %s:\n%s", tt.name, m, lines)
			}
		}
		c, err := p.Case(fx)
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range tt.probes {
			if !strings.Contains(c.YAML, "  - probe: tcp\n    from: "+strings.TrimPrefix(pr, "from: ")) {
				t.Errorf("%s: no probe %q:\n%s", tt.name, pr, c.YAML)
			}
		}
	}
}
