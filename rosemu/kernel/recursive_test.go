package kernel

import (
	"net/netip"
	"testing"
)

// TestResolveRecursive: the failover of the manual's "Failover (WAN
// Backup)" page: host routes to two far hosts with scope=10, default
// routes through them with target-scope=11. Each resolves through its
// host route (so does the default target-scope 10: scope <= target-scope);
// a host route of the default scope 30 does not;
// a host route kept down by its check, or one of another routing table,
// is not used; the more specific route wins.
func TestResolveRecursive(t *testing.T) {
	pfx := netip.MustParsePrefix
	st := &State{
		Addresses: []Address{
			{Prefix: pfx("203.0.113.2/24"), Interface: "ether1"},
			{Prefix: pfx("198.18.0.2/24"), Interface: "ether2"},
		},
		Routes: []Route{
			{Dst: pfx("198.51.100.50/32"), Gateway: "203.0.113.1", Distance: 1, Scope: 10},
			{Dst: pfx("198.51.100.60/32"), Gateway: "198.18.0.1", Distance: 1, Scope: 10},
			{Dst: pfx("0.0.0.0/0"), Gateway: "198.51.100.50", Distance: 1, TargetScope: 11, CheckGateway: "ping"},
			{Dst: pfx("0.0.0.0/0"), Gateway: "198.51.100.60", Distance: 2, TargetScope: 11},
			{Dst: pfx("198.51.100.0/24"), Gateway: "198.18.0.1", Distance: 1, Table: "other", Scope: 10},
		},
	}
	gw := netip.MustParseAddr
	if got, ok := resolveRecursive(st, st.Routes[2], gw("198.51.100.50"), nil); !ok || got != gw("203.0.113.1") {
		t.Errorf("ISP1's default route resolves to %v %v, want 203.0.113.1", got, ok)
	}
	if got, ok := resolveRecursive(st, st.Routes[3], gw("198.51.100.60"), nil); !ok || got != gw("198.18.0.1") {
		t.Errorf("ISP2's default route resolves to %v %v, want 198.18.0.1", got, ok)
	}
	plain := Route{Dst: pfx("0.0.0.0/0"), Gateway: "198.51.100.50", Distance: 1}
	if got, ok := resolveRecursive(st, plain, gw("198.51.100.50"), nil); !ok || got != gw("203.0.113.1") {
		t.Errorf("the default target-scope 10 did not resolve through a scope-10 route: %v %v", got, ok)
	}
	st.Routes[0].Scope = 0 // the default scope 30 is above target-scope 11
	if got, ok := resolveRecursive(st, st.Routes[2], gw("198.51.100.50"), nil); ok {
		t.Errorf("a scope-30 route resolved the gateway: %v", got)
	}
	st.Routes[0].Scope = 10
	down := func(r Route) bool { return r.Gateway == "203.0.113.1" }
	if got, ok := resolveRecursive(st, st.Routes[2], gw("198.51.100.50"), down); ok {
		t.Errorf("a route that is down resolved the gateway: %v", got)
	}
	// a /24 of the main table in beside the /32: the /32 still wins.
	st.Routes = append(st.Routes, Route{Dst: pfx("198.51.100.0/24"), Gateway: "198.18.0.1", Distance: 1, Scope: 10})
	if got, _ := resolveRecursive(st, st.Routes[2], gw("198.51.100.50"), nil); got != gw("203.0.113.1") {
		t.Errorf("the /24 won over the /32: %v", got)
	}
}
