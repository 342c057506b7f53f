package kernel

import (
	"net"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
)

// TestVRFMembership: ether3 (WAN2, 198.18.0.2/24) in /ip vrf wan2vrf.
// Its connected route leaves main for the VRF's table, and packets coming
// in on it are routed there only: client1, sent out WAN2 by a rule, gets
// no answer until a leak route (192.168.88.0/24 gateway=ether2@main in the
// VRF) takes the answers back to the LAN. A main route by 198.18.0.1@wan2vrf
// leaks the other way: main has no route to that gateway, so it is
// installed on ether3's link. Before VRFs were modelled the subnet stayed
// in main (the first check).
func TestVRFMembership(t *testing.T) {
	t.Parallel()
	dp, _, _, _, cli := dualDataplane(t)
	st := wan2VRFState("wan2vrf")
	def := netip.MustParsePrefix("0.0.0.0/0")
	st.Routes = []Route{
		{Dst: def, Gateway: "203.0.113.1", Distance: 1},
		{Dst: def, Gateway: "198.18.0.1", Distance: 1, Table: "wan2vrf"},
	}
	vrfRules := []RoutingRule{
		{Src: netip.MustParsePrefix("198.18.0.2/32"), Action: "lookup-only-in-table", Table: "wan2vrf"},
		{Interface: "ether3", Action: "lookup-only-in-table", Table: "wan2vrf"},
	}
	st.RoutingRules = append([]RoutingRule{{Src: netip.MustParsePrefix("192.168.88.20/32"), Action: "lookup", Table: "wan2vrf"}}, vrfRules...)
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	routes, err := dp.nl.RouteGet(net.ParseIP("198.18.0.9"))
	if err != nil || len(routes) == 0 || routes[0].Gw == nil {
		t.Errorf("main's route to 198.18.0.9 = %+v (%v), want the default route, not ether3's subnet", routes, err)
	}
	if saw, err := dial(cli, "192.168.88.20", "198.51.100.50:12566"); err == nil {
		t.Errorf("the answers came back into the VRF and reached the LAN (the internet saw %s); want no route", saw)
	}
	st.Routes = append(st.Routes, Route{Dst: netip.MustParsePrefix("192.168.88.0/24"), Gateway: "ether2@main", Table: "wan2vrf", Distance: 1})
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply with the leak into the VRF: %v", err)
	}
	wantWAN(t, cli, "198.18.0.2")
	st.RoutingRules = vrfRules
	st.Routes = append(st.Routes, Route{Dst: netip.MustParsePrefix("198.51.100.0/24"), Gateway: "198.18.0.1@wan2vrf", Distance: 1})
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply with the leak from main: %v", err)
	}
	wantWAN(t, cli, "198.18.0.2")
	// The VRF left: its subnet is main's again, and the leaks are no
	// longer needed.
	setVRF(st, "ether3", "")
	st.RoutingRules = nil
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply without the VRF: %v", err)
	}
	if routes, err := dp.nl.RouteGet(net.ParseIP("198.18.0.9")); err != nil || len(routes) == 0 || routes[0].Gw != nil {
		t.Errorf("main's route to 198.18.0.9 = %+v (%v), want ether3's subnet again", routes, err)
	}
}

// TestVRFRejoin: an address that left its VRF and joins it again loses
// its connected route in main again (the guest port of scenario
// vrf-guest, its VRF disabled and enabled).
func TestVRFRejoin(t *testing.T) {
	t.Parallel()
	dp, rn, _, _, _ := dualDataplane(t)
	st := wan2VRFState("")
	st.Routes = []Route{{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "203.0.113.1", Distance: 1}}
	main := func(want string) {
		t.Helper()
		out, _ := exec.Command("ip", "netns", "exec", rn, "ip", "route", "show", "table", "main", "198.18.0.0/24").CombinedOutput()
		if got := strings.TrimSpace(string(out)); !strings.Contains(got, want) || (want == "" && got != "") {
			t.Errorf("main's 198.18.0.0/24: %q, want %q", got, want)
		}
	}
	for i, vrf := range []string{"wan2vrf", "", "wan2vrf"} {
		setVRF(st, "ether3", vrf)
		if err := dp.Apply(st); err != nil {
			t.Fatalf("Apply %d: %v", i, err)
		}
		if vrf == "" {
			main("dev ether3")
		} else {
			main("")
		}
	}
}

// wan2VRFState is dualWANState without mangle rules, with a table
// wan2vrf and WAN2's address (ether3) in VRF vrf ("" for none).
func wan2VRFState(vrf string) *State {
	st := dualWANState()
	st.Mangle = nil
	st.RoutingTables = append(st.RoutingTables, RoutingTable{Name: "wan2vrf", ID: 3})
	setVRF(st, "ether3", vrf)
	return st
}

// setVRF puts the addresses of iface in VRF vrf.
func setVRF(st *State, iface, vrf string) {
	for i, a := range st.Addresses {
		if a.Interface == iface {
			st.Addresses[i].VRF = vrf
		}
	}
}
