package config

import (
	"context"
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestVRFIsTableAndInterface: in RouterOS 7 a VRF's name is a routing
// table (routes, mangle marks and gateway=X@vrf name it) and an interface
// (a rule's in-interface=), as a 7.19 CCR2004 export writes them. The
// table is rendered; the VRF's interfaces stay in main (stored, not
// enforced). An unknown table is still refused.
func TestVRFIsTableAndInterface(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.19.3"})
	run(t, r, `/ip vrf add interfaces=ether2 name=vrf-mgmt
/ip address add address=10.1.99.2/24 interface=ether2
/ip route add dst-address=0.0.0.0/0 gateway=10.1.99.1@vrf-mgmt routing-table=vrf-mgmt
/ip route add dst-address=10.1.99.0/24 gateway=ether2@vrf-mgmt routing-table=main
/ip firewall mangle add action=mark-routing chain=prerouting new-routing-mark=vrf-mgmt passthrough=no in-interface=ether1
/ip firewall filter add action=accept chain=input dst-port=22 in-interface=vrf-mgmt protocol=tcp`)
	s := r.State()
	found := false
	for _, rt := range s.RoutingTables {
		found = found || rt.Name == "vrf-mgmt"
	}
	if !found {
		t.Errorf("tables = %+v, want vrf-mgmt", s.RoutingTables)
	}
	if _, err := kernel.Render(s); err != nil {
		t.Errorf("Render: %v", err)
	}
	if _, err := r.Run(context.Background(), "/ip route add gateway=10.1.99.1 routing-table=nosuch"); err == nil {
		t.Errorf("an unknown table was taken")
	}
}
