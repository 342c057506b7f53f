package config

import (
	"context"
	"fmt"
	"slices"
	"strings"
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

// TestVRFRename (f67 D5): a renamed VRF is followed by what names it: a
// route's table and @vrf gateway, a routing rule's table, a mangle
// routing mark, an in-interface. Before, they kept the old name and the
// commit after the rename was refused at render ("routing mark \"guest\"
// names no routing table").
func TestVRFRename(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2", "ether3"}, Version: "7.19.3"})
	run(t, r, `/ip vrf add name=guest interfaces=ether3
/ip address add address=192.168.99.1/24 interface=ether3
/ip route add dst-address=0.0.0.0/0 gateway=203.0.113.1@main routing-table=guest
/ip route add dst-address=192.168.99.0/24 gateway=ether3@guest
/routing rule add action=lookup dst-address=192.168.99.0/24 interface=ether1 table=guest
/ip firewall mangle add action=mark-routing chain=prerouting new-routing-mark=guest src-address=192.168.88.5
/ip firewall filter add action=accept chain=input in-interface=guest`)
	run(t, r, `/ip vrf set [find name=guest] name=visitors`)
	exp := r.Export()
	for _, w := range []string{"routing-table=visitors", "gateway=ether3@visitors", "table=visitors", "new-routing-mark=visitors", "in-interface=visitors"} {
		if !strings.Contains(exp, w) {
			t.Errorf("export lacks %s:\n%s", w, exp)
		}
	}
	if strings.Contains(exp, "guest") {
		t.Errorf("export still names guest:\n%s", exp)
	}
	if _, err := kernel.Render(r.State()); err != nil {
		t.Errorf("Render: %v", err)
	}
	if _, err := r.Run(context.Background(), "/ip vrf add name=visitors interfaces=ether2"); err == nil {
		t.Error("a second VRF named visitors was taken")
	}
}

// TestRemovedTableStillNamed (f67 D4): a VRF or routing table removed
// while a route, a routing rule and a mangle mark name it. The name stays
// a table outside the FIB, as a disabled one: the commit is taken and the
// state renders. Before, the commit was refused at render ("routing mark
// ... names no routing table"), and without the mark the lab's apply
// failed with "routing table ... does not exist".
func TestRemovedTableStillNamed(t *testing.T) {
	for _, menu := range []string{"/ip vrf add name=guest interfaces=ether3", "/routing table add fib name=guest"} {
		r := New(Options{Ports: []string{"ether1", "ether2", "ether3"}, Version: "7.19.3"})
		run(t, r, menu+`
/ip route add dst-address=0.0.0.0/0 gateway=203.0.113.1@main routing-table=guest
/routing rule add action=lookup src-address=192.168.88.5 table=guest
/ip firewall mangle add action=mark-routing chain=prerouting new-routing-mark=guest src-address=192.168.88.6`)
		path := strings.Fields(menu)[:2]
		if _, err := r.Run(context.Background(), strings.Join(path, " ")+" remove [find name=guest]"); err != nil {
			t.Fatalf("%s: remove: %v", menu, err)
		}
		s := r.State()
		found := false
		for _, rt := range s.RoutingTables {
			if rt.Name == "guest" {
				found = true
				if !rt.NoFIB {
					t.Errorf("%s: removed table guest is in the FIB", menu)
				}
			}
		}
		if !found {
			t.Errorf("%s: tables = %+v, want guest kept outside the FIB", menu, s.RoutingTables)
		}
		if _, err := kernel.Render(s); err != nil {
			t.Errorf("%s: Render: %v", menu, err)
		}
	}
}
