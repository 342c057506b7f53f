package check

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

// TestStepMark: the live line of a check's probe says what the report says:
// a hairpin the export lacks (the diagnosis's finding) is "broken, as
// expected", not "FAIL" (a renumbering probe waits for its path and ended
// "FAIL" in a lab run's words, realcheck19 D10); a broken
// path with the fix is left to the report; a path that works, and an
// action, keep the runner's words.
func TestStepMark(t *testing.T) {
	p := loadText(t, `# by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge
add address=203.0.113.2/24 interface=ether1
`+wanRouteMasq+`add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=443 protocol=tcp to-addresses=192.168.88.10
`)
	found, _ := p.Diagnose()
	c, err := p.Case(p.Propose(found))
	if err != nil {
		t.Fatal(err)
	}
	mark := p.StepMark(c)
	seen := map[string]bool{}
	for i, si := range c.Steps {
		if si < 0 {
			if m := mark(scenario.StepResult{Index: i + 1, Action: "renumber-wan", OK: true}); m != "" {
				t.Errorf("action %d: %q", i+1, m)
			}
			continue
		}
		pr := c.Probes[si]
		if pr.Forward < 0 {
			continue
		}
		r := scenario.StepResult{Index: i + 1, Probe: scenario.Kind(pr.Kind), From: pr.From, To: pr.To, Why: "result timeout, expected ok (still after 10s)"}
		r.Seen.Result = "timeout"
		m := mark(r)
		if strings.Contains(m, "FAIL") {
			t.Errorf("step %d (%s %s): %q", i+1, pr.Path, pr.Phase, m)
		}
		switch {
		case strings.HasPrefix(pr.Path, "hairpin:") && pr.Phase != "fixed":
			seen[pr.Phase] = true
			if !strings.Contains(m, "broken, as expected") {
				t.Errorf("step %d (%s %s): %q", i+1, pr.Path, pr.Phase, m)
			}
		case pr.Phase == "fixed":
			if !strings.Contains(m, "with the fix") {
				t.Errorf("step %d (%s %s): %q", i+1, pr.Path, pr.Phase, m)
			}
		}
		// Control: the same path working keeps the runner's "ok".
		r.OK, r.Seen.Result = true, "ok"
		if m := mark(r); m != "" {
			t.Errorf("step %d working: %q", i+1, m)
		}
	}
	if !seen["before"] {
		t.Errorf("no hairpin probe of the export:\n%s", c.YAML)
	}
}

// TestStepMarkOtherServer: a probe of forward 2 that forward 1's server
// answered is "ok" to the run but no working path to the report (an
// earlier dst-nat of the same port took it, realcheck19 D1): the live
// line says so rather than "ok". Control: its own server's answer is ok.
func TestStepMarkOtherServer(t *testing.T) {
	p := &Plan{}
	c := &Case{
		Probes:  []Probe{{Forward: 1, Path: "internet", Phase: "fixed", From: "peer"}},
		Steps:   []int{0},
		Servers: map[netip.Addr]string{netip.MustParseAddr("10.0.0.102"): "server1", netip.MustParseAddr("10.0.2.1"): "server2"},
		own:     map[int]ownServers{0: {nodes: []string{"server1"}, line: 93}, 1: {nodes: []string{"server2"}, line: 96}},
	}
	mark := p.stepMark(c, nil)
	r := scenario.StepResult{Index: 1, Probe: "tcp", OK: true}
	r.Seen.Result, r.Seen.ServerName = "ok", "server1"
	if m := mark(r); !strings.Contains(m, "answered by server1, another forward's server") {
		t.Errorf("forward 2 answered by forward 1's server: %q", m)
	}
	r.Seen.ServerName = "server2"
	if m := mark(r); m != "" {
		t.Errorf("forward 2 answered by its own server: %q", m)
	}
}
