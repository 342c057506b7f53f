package config

import (
	"context"
	"fmt"
	"slices"
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

// TestVRFMembers: /ip vrf interfaces= puts the members' addresses in the
// VRF (their connected route goes to its table, kernel.Address.VRF), and
// routes what comes in on them, and the router's own packets from their
// addresses, only in its table. Members may be named by an interface
// list; a disabled VRF has none. Before, the VRF was stored only: no
// address had a VRF and no rule named its table.
func TestVRFMembers(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2", "ether3"}, Version: "7.19.3"})
	run(t, r, `/interface list add name=GUEST
/interface list member add interface=ether3 list=GUEST
/ip vrf add interfaces=ether2,GUEST name=guest
/ip address add address=10.1.99.2/24 interface=ether2
/ip address add address=10.1.98.1/24 interface=ether3
/ip address add address=192.168.88.1/24 interface=ether1`)
	want := func(disabled bool) {
		t.Helper()
		s := r.State()
		for _, a := range s.Addresses {
			inVRF := a.Interface != "ether1" && !disabled
			if (a.VRF == "guest") != inVRF {
				t.Errorf("address %s on %s: VRF %q, in guest %v", a.Prefix, a.Interface, a.VRF, inVRF)
			}
		}
		var got []string
		for _, rr := range s.RoutingRules {
			got = append(got, fmt.Sprintf("%s|%s|%s|%s", rr.Src, rr.Interface, rr.Action, rr.Table))
		}
		w := []string{
			"10.1.99.2/32||lookup-only-in-table|guest",
			"10.1.98.1/32||lookup-only-in-table|guest",
			"invalid Prefix|ether2|lookup-only-in-table|guest",
			"invalid Prefix|ether3|lookup-only-in-table|guest",
		}
		if disabled {
			w = nil
		}
		if !slices.Equal(got, w) {
			t.Errorf("rules = %q, want %q", got, w)
		}
		if _, err := kernel.Render(s); err != nil {
			t.Errorf("Render: %v", err)
		}
	}
	want(false)
	run(t, r, `/ip vrf disable [find name=guest]`)
	want(true)
}
