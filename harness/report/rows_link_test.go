package report

import (
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

// TestLinkRowNamesRouter (sm58): a link step on one of the lab's more
// routers names that router's port in the TO column, not the lab
// router's (it read router.wan for site-b's wan).
func TestLinkRowNamesRouter(t *testing.T) {
	for _, c := range []struct {
		router, want string
	}{{"site-b", "site-b.wan"}, {"", "router.wan"}} {
		w := rowOf(scenario.StepResult{Action: scenario.LinkDown, To: "wan", Router: c.router, OK: true})
		if w.To != c.want {
			t.Errorf("router %q: to %q, want %q", c.router, w.To, c.want)
		}
	}
}

// TestServerSawNamesTheAnsweringNode (f69): a tcp or udp step whose
// expectation names no server shows which node answered beside the
// address it saw; its row said "ok" and the address alone, so an ISP's
// own whoami that answered a forward expected to fail was told only by
// its address. Controls: a step whose server: held keeps the address
// alone (EXPECTED names the node), and the node is shown when another
// than the expected one answered.
func TestServerSawNamesTheAnsweringNode(t *testing.T) {
	for _, tt := range []struct {
		name   string
		probe  scenario.Kind
		expect scenario.Expect
		seen   scenario.Observation
		want   string
	}{
		{"tcp without server", scenario.TCP, scenario.Expect{Result: "!ok"}, scenario.Observation{Result: "ok", ServerName: "isp", ServerSaw: "198.51.100.50"}, "isp saw 198.51.100.50"},
		{"udp without server", scenario.UDP, scenario.Expect{Result: "ok"}, scenario.Observation{Result: "ok", ServerName: "peer", ServerSaw: "203.0.113.2"}, "peer saw 203.0.113.2"},
		{"server held", scenario.TCP, scenario.Expect{Result: "ok", Server: "server"}, scenario.Observation{Result: "ok", ServerName: "server", ServerSaw: "192.168.88.1"}, "192.168.88.1"},
		{"another server", scenario.TCP, scenario.Expect{Result: "ok", Server: "server"}, scenario.Observation{Result: "ok", ServerName: "isp", ServerSaw: "203.0.113.2"}, "isp saw 203.0.113.2"},
		{"with a counter", scenario.TCP, scenario.Expect{Result: "ok"}, scenario.Observation{Result: "ok", ServerName: "server", ServerSaw: "192.168.88.20", Counter: &scenario.Counter{Packets: 3}}, "server saw 192.168.88.20; counter 3 packets"},
		{"nobody answered", scenario.TCP, scenario.Expect{Result: "timeout"}, scenario.Observation{Result: "timeout"}, "-"},
	} {
		s := scenario.StepResult{Probe: tt.probe, Expect: tt.expect, Seen: tt.seen}
		if got := rowOf(s).Saw; got != tt.want {
			t.Errorf("%s: SERVER SAW %q, want %q", tt.name, got, tt.want)
		}
	}
}
