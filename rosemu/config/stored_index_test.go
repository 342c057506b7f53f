package config

import "testing"

// TestStoredIndex: the index dropStoredInterfaces uses answers as
// isStoredInterface does: a stored interface, a VLAN on it, a VLAN on that
// VLAN; not a port, a VLAN on a port or RouterOS 7's lo (the namespace's
// loopback).
func TestStoredIndex(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	run(t, r, `/interface vrrp add interface=ether1 name=vr1
/interface vlan add interface=vr1 name=v1 vlan-id=10
/interface vlan add interface=v1 name=v2 vlan-id=20
/interface vlan add interface=ether1 name=v3 vlan-id=30`)
	idx := storedIndex(r.m)
	for name, want := range map[string]bool{"vr1": true, "v1": true, "v2": true, "lo": false, "ether1": false, "v3": false, "nosuch": false} {
		if got := idx(name); got != want || isStoredInterface(r.m, name) != want {
			t.Errorf("%s: index %v, isStoredInterface %v, want %v", name, got, isStoredInterface(r.m, name), want)
		}
	}
}
