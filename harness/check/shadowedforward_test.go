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
		if tt.broken > 0 && (code == 0 || strings.Contains(text, "makes every forward work") || !strings.Contains(text, "another dst-nat of the same port takes their connections, with the fix too: forward 2 (line 18) loses them to the earlier line 17;")) {
			t.Errorf("port %d: verdict %d %q", tt.port, code, text)
		}
		if tt.broken == 0 && code != 0 {
			t.Errorf("port %d (control): verdict %d %q", tt.port, code, text)
		}
	}
}

// TestShadowedForwardNamesTheTaker: the rule named for a path another
// forward's server answered is the one that matched it, not the first
// forward to that server, and the verdict says earlier or later as the
// lines are (realcheck20 D3, the Chateau export). Forward 1 (line 17,
// src-port=8080) loses the internet's connections to the later line 19
// (same port, no src-port, to .30); forward 5 (line 21, 25565 to .40)
// loses them to line 20 (25565 to .20), not to line 18 (tcp/443 to the
// same .20), which the result named before. The control: forward 2 to
// .20 on 443 and forward 4 answered by their own servers work.
func TestShadowedForwardNamesTheTaker(t *testing.T) {
	const export = `# 2024-10-01 10:00:00 by RouterOS 7.16.2
` + homeWANMasq + `add action=dst-nat chain=dstnat in-interface-list=WAN dst-port=8080 src-port=8080 protocol=tcp to-addresses=192.168.88.10 to-ports=8080
add action=dst-nat chain=dstnat in-interface-list=WAN dst-port=443 protocol=tcp to-addresses=192.168.88.20 to-ports=443
add action=dst-nat chain=dstnat in-interface-list=WAN dst-port=8080 protocol=tcp to-addresses=192.168.88.30 to-ports=8080
add action=dst-nat chain=dstnat in-interface-list=WAN dst-port=25565 protocol=tcp to-addresses=192.168.88.20
add action=dst-nat chain=dstnat in-interface-list=WAN dst-port=25565 protocol=tcp to-addresses=192.168.88.40
add action=masquerade chain=srcnat src-address=192.168.88.0/24 dst-address=192.168.88.0/24 out-interface=bridge
/ip route
add gateway=203.0.113.1
`
	p := importNamed(t, "taker.rsc", []byte(export))
	if len(p.Forwards) != 5 || p.Forwards[0].Line != 17 || p.Forwards[4].Line != 21 {
		t.Fatalf("forwards %+v", p.Forwards)
	}
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	c, err := p.Case(fx)
	if err != nil {
		t.Fatal(err)
	}
	// Who answers each forward's probes in the lab: forward 1's by .30's
	// server, forward 5's by .20's, the others by their own.
	by := map[int]string{0: c.Servers[p.Forwards[2].ToAddr], 4: c.Servers[p.Forwards[1].ToAddr]}
	steps := make([]scenario.StepResult, len(c.Steps))
	for i, k := range c.Steps {
		if k < 0 {
			continue
		}
		switch pr := c.Probes[k]; {
		case pr.Forward >= 0:
			who, ok := by[pr.Forward]
			if !ok {
				who = c.Servers[p.Forwards[pr.Forward].ToAddr]
			}
			steps[i].Seen = scenario.Observation{Result: "ok", ServerName: who, ServerSaw: p.PeerAddr().String()}
		case pr.Kind == "http":
			steps[i].Seen = scenario.Observation{Result: "ok", ServerName: "router"}
		default:
			steps[i].Seen = scenario.Observation{Result: "closed"}
		}
	}
	outs := c.Outcomes(steps)
	want := map[int]string{0: "line 19 took the connection", 4: "line 20 took the connection"}
	seen := map[int]bool{}
	for _, o := range Broken(outs, "fixed") {
		w, ok := want[o.Probe.Forward]
		if !ok {
			t.Errorf("forward %d (control) broken: %+v", o.Probe.Forward+1, o)
			continue
		}
		seen[o.Probe.Forward] = true
		if !strings.HasSuffix(o.Result, w) {
			t.Errorf("forward %d %s: %q, want ...%q", o.Probe.Forward+1, o.Probe.Path, o.Result, w)
		}
	}
	if !seen[0] || !seen[4] {
		t.Fatalf("forwards 1 and 5 not broken with the fix: %+v", outs)
	}
	_, text, _ := p.LabVerdict(found, fx, outs)
	for _, w := range []string{"forward 1 (line 17) loses them to the later line 19", "forward 5 (line 21) loses them to the earlier line 20"} {
		if !strings.Contains(text, w) {
			t.Errorf("verdict %q lacks %q", text, w)
		}
	}
	if strings.Contains(text, "line 18") {
		t.Errorf("verdict names line 18 (tcp/443): %q", text)
	}
}
