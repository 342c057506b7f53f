package config

import "testing"

// TestStoredIndex: the index dropStoredInterfaces uses answers as
// isStoredInterface does: a stored interface (a GRE tunnel, a virtual
// router on it), a VLAN on a virtual router and a VLAN on that VLAN; not a
// port, a VLAN on a port, a virtual router rosemu runs or RouterOS 7's lo
// (the namespace's loopback).
func TestStoredIndex(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	run(t, r, `/interface vrrp add interface=ether1 name=vr1
/interface vlan add interface=vr1 name=v1 vlan-id=10
/interface vlan add interface=v1 name=v2 vlan-id=20
/interface vlan add interface=ether1 name=v3 vlan-id=30
/interface gre add name=gre1 remote-address=10.0.0.2
/interface vrrp add interface=gre1 name=vr2
/interface vrrp add interface=ether1 name=vr3 vrid=3 v3-protocol=ipv6`)
	idx := storedIndex(r.m)
	for name, want := range map[string]bool{"vr1": false, "gre1": true, "vr2": true, "vr3": true, "v1": true, "v2": true, "lo": false, "ether1": false, "v3": false, "nosuch": false} {
		if got := idx(name); got != want || isStoredInterface(r.m, name) != want {
			t.Errorf("%s: index %v, isStoredInterface %v, want %v", name, got, isStoredInterface(r.m, name), want)
		}
	}
}
