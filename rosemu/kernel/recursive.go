package kernel

import (
	"net/netip"
)

// Recursive next-hop resolution. RouterOS resolves a route whose gateway
// is on no connected subnet through another route (recursive routing, the
// dual-WAN failover of "add dst-address=8.8.8.8 gateway=ISP1 scope=10" and
// "add gateway=8.8.8.8 target-scope=11 check-gateway=ping"): the route is
// active when a route with scope <= its target-scope reaches the gateway,
// and its packets go to that route's own (immediate) gateway. Static routes
// default to scope=30 and target-scope=10, so with the defaults nothing
// resolves; connected routes have scope 10. Linux takes only a directly
// connected gateway, so rosemu installs the route with the immediate
// gateway it resolved. Source: IP Routing page of the manual, "Nexthop
// lookup" (https://help.mikrotik.com/docs/display/ROS/IP+Routing).

// RouterOS's defaults for a static route.
const (
	defaultScope       = 30
	defaultTargetScope = 10
)

// RouteScope and RouteTargetScope are a route's scope and target-scope,
// RouterOS's defaults when unset.
func RouteScope(r Route) int { return routeScope(r) }

// RouteTargetScope: see RouteScope.
func RouteTargetScope(r Route) int { return routeTargetScope(r) }

func routeScope(r Route) int {
	if r.Scope > 0 {
		return r.Scope
	}
	return defaultScope
}

func routeTargetScope(r Route) int {
	if r.TargetScope > 0 {
		return r.TargetScope
	}
	return defaultTargetScope
}

// connected reports whether gw lies on a subnet of one of the router's
// addresses.
func connected(st *State, gw netip.Addr) bool {
	for _, a := range st.Addresses {
		if a.Prefix.Masked().Contains(gw) {
			return true
		}
	}
	return false
}

// ResolveRecursive is resolveRecursive for the configuration layer, which
// says in a route's gateway-status (immediate-gw) what the data plane
// installs.
func ResolveRecursive(st *State, ro Route, gw netip.Addr, down func(Route) bool) (netip.Addr, bool) {
	return resolveRecursive(st, ro, gw, down)
}

// resolveRecursive finds the immediate gateway of route ro whose gateway
// address gw is on no connected subnet: the most specific route of the
// same table (or main) that holds gw, has scope <= ro's target-scope, is
// not ro itself, is not kept down by its gateway check, and whose own
// gateway is connected (the lowest distance among equally specific ones).
// ok is false when no route resolves it: RouterOS keeps ro inactive.
func resolveRecursive(st *State, ro Route, gw netip.Addr, down func(Route) bool) (netip.Addr, bool) {
	var best Route
	var bestGW netip.Addr
	found := false
	for _, c := range st.Routes {
		if c.Dst == ro.Dst && c.Gateway == ro.Gateway && c.Table == ro.Table {
			continue
		}
		if tableName(c.Table) != tableName(ro.Table) && tableName(c.Table) != "main" {
			continue
		}
		if c.Type != "" && c.Type != "unicast" {
			continue
		}
		if !c.Dst.Masked().Contains(gw) || routeScope(c) > routeTargetScope(ro) {
			continue
		}
		if down != nil && down(c) {
			continue
		}
		name, _ := routeGateway(c.Gateway)
		cg, err := netip.ParseAddr(name)
		if err != nil || !cg.Is4() || !connected(st, cg) {
			continue
		}
		better := !found || c.Dst.Bits() > best.Dst.Bits() ||
			(c.Dst.Bits() == best.Dst.Bits() && c.Distance < best.Distance) ||
			(c.Dst.Bits() == best.Dst.Bits() && c.Distance == best.Distance && tableName(c.Table) == tableName(ro.Table) && tableName(best.Table) != tableName(ro.Table))
		if better {
			best, bestGW, found = c, cg, true
		}
	}
	return bestGW, found
}

func tableName(t string) string {
	if t == "" {
		return "main"
	}
	return t
}
