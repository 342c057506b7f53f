package check

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

// TestShadowedForwardAnsweredByOther: two dst-nats of tcp/8080, to .10
// (line 17) then .20 (line 18). Their probes are the same (peer →
// router.wan:8080), and the first rule takes both (NAT rules are
// processed in order, the first match decides): the lab's server1
// answers every one. Before, any server's answer counted, so forward 2
// read "✓ server saw the peer" and the verdict "the fix makes every
// forward work" (realcheck19 D1). Forward 2's paths are ok only when its
// own server, server2, answers; server1's answer names the rule that took
// it. The control: the second forward on its own port 8081, answered by
// its own server2, works, and so does forward 1 in both exports.
func TestShadowedForwardAnsweredByOther(t *testing.T) {
	const export = `# 2024-10-01 10:00:00 by RouterOS 7.16.2
` + homeWANMasq + `add action=dst-nat chain=dstnat in-interface-list=WAN dst-port=8080 protocol=tcp to-addresses=192.168.88.10 to-ports=80 comment=first
add action=dst-nat chain=dstnat in-interface-list=WAN dst-port=%d protocol=tcp to-addresses=192.168.88.20 to-ports=80 comment=second
add action=masquerade chain=srcnat src-address=192.168.88.0/24 dst-address=192.168.88.0/24 out-interface=bridge
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		port   int
		by     string // who answers forward 2's probes
		broken int    // forward 2's broken paths, per phase
	}{
		{8080, "server1", 2},
		{8081, "server2", 0},
	} {
		p := importNamed(t, "shadow.rsc", []byte(fmt.Sprintf(export, tt.port)))
		if len(p.Forwards) != 2 || p.Forwards[0].Line != 17 || p.Forwards[1].Line != 18 {
			t.Fatalf("port %d: forwards %+v", tt.port, p.Forwards)
		}
		found, _ := p.Diagnose()
		fx := p.Propose(found)
		c, err := p.Case(fx)
		if err != nil {
			t.Fatal(err)
		}
		if c.Servers[p.Forwards[0].ToAddr] != "server1" || c.Servers[p.Forwards[1].ToAddr] != "server2" {
			t.Fatalf("port %d: servers %v", tt.port, c.Servers)
		}
		// What the lab sees: forward 1's probes answered by server1,
		// forward 2's by tt.by; the router's own probes as they come.
		steps := make([]scenario.StepResult, len(c.Steps))
		for i, k := range c.Steps {
			if k < 0 {
				continue
			}
			switch pr := c.Probes[k]; {
			case pr.Forward == 0:
				steps[i].Seen = scenario.Observation{Result: "ok", ServerName: "server1", ServerSaw: p.PeerAddr().String()}
			case pr.Forward == 1:
				steps[i].Seen = scenario.Observation{Result: "ok", ServerName: tt.by, ServerSaw: p.PeerAddr().String()}
			case pr.Kind == "http":
				steps[i].Seen = scenario.Observation{Result: "ok", ServerName: "router"}
			default:
				steps[i].Seen = scenario.Observation{Result: "closed"}
			}
		}
		outs := c.Outcomes(steps)
		for _, phase := range []string{"before", "fixed"} {
			var one, two []Outcome
			for _, o := range Broken(outs, phase) {
				if o.Probe.Forward == 0 {
					one = append(one, o)
				} else {
					two = append(two, o)
				}
			}
			if len(one) != 0 || len(two) != tt.broken {
				t.Errorf("port %d, %s: forward 1 broken %+v, forward 2 broken %d, want %d (%+v)", tt.port, phase, one, len(two), tt.broken, outs)
			}
			for _, o := range two {
				if want := "answered by server1, forward 1's server: line 17 took the connection"; o.Result != want {
					t.Errorf("port %d, %s: %s result %q, want %q", tt.port, phase, o.Probe.Path, o.Result, want)
				}
			}
		}
		_, text, code := p.LabVerdict(found, fx, outs)
		if tt.broken > 0 && (code == 0 || strings.Contains(text, "makes every forward work") || !strings.Contains(text, "forward(s) 2: an earlier dst-nat of the same port takes their connections")) {
			t.Errorf("port %d: verdict %d %q", tt.port, code, text)
		}
		if tt.broken == 0 && code != 0 {
			t.Errorf("port %d (control): verdict %d %q", tt.port, code, text)
		}
	}
}
