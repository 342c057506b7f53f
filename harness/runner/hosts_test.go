package runner

import (
	"net/netip"
	"os"
	"slices"
	"testing"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
)

// trimmed loads a scenario of the repository and returns the hosts its run
// leaves out of its lab, with rsc in place of its router configuration
// when not nil.
func trimmed(t *testing.T, name string, rsc []byte) []string {
	t.Helper()
	s, err := scenario.Load("../..", name)
	if err != nil {
		t.Fatal(err)
	}
	if rsc != nil {
		s.RSC = rsc
	}
	spec, err := LoadLab("../..", s)
	if err != nil {
		t.Fatal(err)
	}
	base, err := os.ReadFile(spec.BasePath())
	if err != nil {
		t.Fatal(err)
	}
	if !sharedLab(s) {
		t.Fatalf("%s: its lab %s is not a lab of labs/", name, s.Lab)
	}
	out, left := trimHosts(spec, s, routerTexts(spec, base, s))
	for _, n := range out.Nodes {
		if slices.Contains(left, n.Name) {
			t.Errorf("%s: %s both left out and kept", name, n.Name)
		}
	}
	if len(out.Nodes)+len(left) != len(spec.Nodes) {
		t.Errorf("%s: %d hosts kept and %d left out of %d", name, len(out.Nodes), len(left), len(spec.Nodes))
	}
	return left
}

// TestTrimHostsSrcnat: method 2's scenario names client1, client2, peer and
// server; the ISP is the default gateway of the lab's base configuration.
// Only the stand-in DNS server, which nothing asks, is left out. Control:
// the same scenario with a router configuration that names it as its DNS
// server keeps it.
func TestTrimHostsSrcnat(t *testing.T) {
	if got := trimmed(t, "srcnat", nil); !slices.Equal(got, []string{"dns"}) {
		t.Errorf("srcnat leaves out %v, want [dns]", got)
	}
	if got := trimmed(t, "srcnat", []byte("/ip dns\nset servers=198.51.100.53\n")); len(got) != 0 {
		t.Errorf("with the router's DNS server at the dns host, srcnat leaves out %v, want nothing", got)
	}
	// queue-tree names the peer alone: the ISP stays as the base's
	// gateway and the server as the port forward's.
	if got := trimmed(t, "queue-tree", nil); !slices.Equal(got, []string{"dns", "client1", "client2"}) {
		t.Errorf("queue-tree leaves out %v, want [dns client1 client2]", got)
	}
}

// TestTrimHostsRules checks each reason a host stays on a made-up lab.
func TestTrimHostsRules(t *testing.T) {
	a := netip.MustParseAddr
	node := func(name, network, addr string) lab.Node {
		return lab.Node{Name: name, Interfaces: []lab.Interface{{Network: network, Address: a(addr)}}}
	}
	spec := &lab.Spec{
		Name:     "made-up",
		Router:   lab.Router{Ports: []lab.Interface{{Network: "wan", Address: a("10.0.0.2")}, {Network: "lan", Address: a("192.168.1.1")}, {Network: "opt", Address: a("172.16.0.1")}}},
		Networks: []lab.Network{{Name: "wan"}, {Name: "lan"}, {Name: "net"}, {Name: "opt"}},
		Nodes: []lab.Node{
			node("gw", "wan", "10.0.0.1"),       // the router's gateway (its configuration names it)
			node("far", "net", "10.9.0.5"),      // named by a step
			node("hop", "net", "10.9.0.1"),      // the gateway of far
			node("lit", "lan", "192.168.1.50"),  // named by its address in a step
			node("pub", "lan", "192.168.1.60"),  // named as pub.public
			node("dhcp", "lan", "192.168.1.70"), // leases its address
			node("idle", "lan", "192.168.1.10"), // nothing names it, though 192.168.1.100 is in the pool
			node("idle6", "net", "10.9.0.9"),    // nothing names it; 10.9.0.99:80 is not it
			node("o1", "opt", "172.16.0.10"),    // the first host of a router port's network
			node("o2", "opt", "172.16.0.11"),    // the second: nothing names it
		},
	}
	spec.Nodes[1].Gateway = a("10.9.0.1")
	spec.Nodes[5].Interfaces[0].DHCP = true
	s := &scenario.Scenario{Lab: "made-up", Steps: []scenario.Step{
		{Probe: scenario.TCP, From: "far", To: "192.168.1.50:80"},
		{Probe: scenario.Flow, From: "far", To: "router.wan:1", During: []scenario.Step{{Action: scenario.Netem, Node: "pub.public"}}},
	}}
	texts := []string{"/ip route add gateway=10.0.0.1\n/ip pool add ranges=192.168.1.100-192.168.1.199\n/tool netwatch add host=10.9.0.99:80"}
	_, left := trimHosts(spec, s, texts)
	if want := []string{"idle", "idle6", "o2"}; !slices.Equal(left, want) {
		t.Errorf("left out %v, want %v", left, want)
	}
	// Control: without the step naming far, far and the hop to it go too.
	s.Steps = s.Steps[1:]
	s.Steps[0].From = "lit"
	_, left = trimHosts(spec, s, texts)
	if want := []string{"far", "hop", "idle", "idle6", "o2"}; !slices.Equal(left, want) {
		t.Errorf("without far named: left out %v, want %v", left, want)
	}
}

// TestMentionsNode: an address counts only whole.
func TestMentionsNode(t *testing.T) {
	n := lab.Node{Interfaces: []lab.Interface{{Address: netip.MustParseAddr("192.168.88.10"), Address6: netip.MustParseAddr("fd00::10")}}}
	for text, want := range map[string]bool{
		"to-addresses=192.168.88.10":           true,
		"dst-address=192.168.88.10/32":         true,
		"host=192.168.88.10:8080":              true,
		`"Gateway":"192.168.88.10"`:            true,
		"ranges=192.168.88.100-192.168.88.199": false,
		"192.168.88.1":                         false,
		"address=1192.168.88.10":               false,
		"to-addresses=fd00::10 ":               true,
		"to-addresses=fd00::10a":               false,
		"to-addresses=fd00::100":               false,
	} {
		if got := mentionsNode(text, n); got != want {
			t.Errorf("mentionsNode(%q) = %v, want %v", text, got, want)
		}
	}
}
