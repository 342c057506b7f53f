package runner

import (
	"net/netip"
	"testing"

	"github.com/chrlab/chrlab/harness/lab"
)

// TestAlonePort (realcheck26 D8b): a router port on a network of its own
// (the check's "unused" network under an IPTV port's DHCP client) has
// nothing that could lease it an address, so the run does not wait for
// one. Controls: a port with an ISP or a host on its network, or a trunk
// over it, is waited for.
func TestAlonePort(t *testing.T) {
	a := netip.MustParseAddr
	spec := &lab.Spec{
		Router:   lab.Router{Ports: []lab.Interface{{Network: "isp1"}, {Network: "lan"}, {Network: "unused3"}, {Network: "trunk"}}},
		Networks: []lab.Network{{Name: "isp1"}, {Name: "lan"}, {Name: "unused3"}, {Name: "trunk"}, {Name: "v10", Trunk: "trunk", VLAN: 10}},
		Nodes: []lab.Node{
			{Name: "isp1", Interfaces: []lab.Interface{{Network: "isp1", Address: a("10.0.0.1")}}},
			{Name: "client1", Interfaces: []lab.Interface{{Network: "lan", Address: a("192.168.1.10")}}},
		},
	}
	e := &labEnv{spec: spec}
	for i, want := range []bool{false, false, true, false} {
		if got := e.alone(i); got != want {
			t.Errorf("port %d: alone = %v, want %v", i+1, got, want)
		}
	}
}
