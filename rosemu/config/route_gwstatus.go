package config

import (
	"net/netip"
	"strconv"
	"strings"
)

// gatewayStatus is the read-only property that says how a route's gateway
// is reached: RouterOS 6's gateway-status ("192.168.1.1 reachable via
// ether1", "... unreachable"), RouterOS 7's immediate-gw
// ("192.168.1.1%ether1", empty when the gateway is not reached). Failover
// scripts of both majors test them (`[/ip route get $r gateway-status] ~
// "unreachable"`). The wording is that of the routers' own print detail
// in public transcripts; 6 puts two spaces after "via" [verify] on a 6.x
// CHR whether a script's get sees them too.
func (t *tx) gatewayStatus(it *item) []Prop {
	gws := it.props["gateway"]
	if gws == "" {
		return nil
	}
	usable := t.routeUsable(it)
	var parts []string
	for _, gw := range strings.Split(gws, ",") {
		hop, ifc := t.gatewayHop(it, gw)
		reached := usable && ifc != ""
		switch {
		case t.v6() && !reached:
			parts = append(parts, gw+" unreachable")
		case t.v6() && hop != "" && hop != gw:
			parts = append(parts, gw+" recursive via "+hop+" "+ifc)
		case t.v6():
			parts = append(parts, gw+" reachable via  "+ifc)
		case !reached:
			// 7 leaves immediate-gw empty for a gateway it cannot
			// reach (public transcripts show immediate-gw="").
		case hop == "":
			parts = append(parts, ifc)
		default:
			parts = append(parts, hop+"%"+ifc)
		}
	}
	name := "immediate-gw"
	if t.v6() {
		name = "gateway-status"
	}
	return []Prop{{name, strings.Join(parts, ",")}}
}

// gatewayHop resolves one gateway of a route to the next hop and the
// interface a packet leaves by: an interface gateway is that interface
// with no next hop; an address with %interface is that interface; an
// address on a subnet of an enabled address of the router goes out of
// that address's interface (a point-to-point address's network is its
// peer); any other address is reached recursively through the most
// specific other usable route that contains it within its target-scope,
// one level deep, as a recursive default route through a host route is. ifc is "" when the
// gateway is not reached.
func (t *tx) gatewayHop(route *item, gw string) (hop, ifc string) {
	if a, i, ok := strings.Cut(gw, "%"); ok {
		return a, i
	}
	a, err := netip.ParseAddr(gw)
	if err != nil {
		if t.ifaceExists(gw) {
			return "", gw
		}
		return "", ""
	}
	if i := t.connectedIface(a); i != "" {
		return gw, i
	}
	// Only a route whose scope is at most this route's target-scope
	// resolves its gateway (Routing page of the manual, "nexthop
	// lookup"): the default route's scope 30 does not resolve a gateway
	// under the default target-scope 10.
	targetScope := intProp(route, "target-scope", 10)
	var best *item
	bestBits := -1
	// The static table and routeDynamic, not print's view: the menus
	// table refers to this function, and the view to the menus table.
	// Walked in place, not copied into one slice: a print asks this of
	// every route of a table that may hold thousands.
	for _, routes := range [][]*item{t.m.tables["ip route"], routeDynamic(t)} {
		for _, o := range routes {
			// The cheap test first: most routes have the default scope.
			if o == route || intProp(o, "scope", 30) > targetScope {
				continue
			}
			if o.props["gateway"] == route.props["gateway"] && o.props["dst-address"] == route.props["dst-address"] || routeTable(o) != "main" {
				continue
			}
			p, err := netip.ParsePrefix(vOr(o.props["dst-address"], "0.0.0.0/0"))
			if err != nil || !p.Contains(a) || p.Bits() <= bestBits || !t.routeUsable(o) {
				continue
			}
			best, bestBits = o, p.Bits()
		}
	}
	if best == nil {
		return "", ""
	}
	next := firstGateway(best.props["gateway"])
	if h, i, ok := strings.Cut(next, "%"); ok {
		return h, i
	}
	if n, err := netip.ParseAddr(next); err == nil {
		if i := t.connectedIface(n); i != "" {
			return next, i
		}
		return "", ""
	}
	if t.ifaceExists(next) {
		return "", next
	}
	return "", ""
}

// connectedIface is the interface of the router's enabled address whose
// subnet holds a, or whose point-to-point peer is a.
func (t *tx) connectedIface(a netip.Addr) string {
	for _, ad := range append(append(append(append([]*item(nil), t.m.tables["ip address"]...), t.dhcpAddresses()...), t.pppoeAddresses()...), t.pppServerAddresses()...) {
		if ad.disabled() {
			continue
		}
		p, err := netip.ParsePrefix(ad.props["address"])
		if err != nil {
			continue
		}
		if (p.Bits() < 32 && p.Masked().Contains(a)) || ad.props["network"] == a.String() && p.Bits() == 32 {
			return ad.props["interface"]
		}
	}
	return ""
}

// intProp is a numeric property of an item, def when unset or not a number.
func intProp(it *item, name string, def int) int {
	v := it.props[name]
	if v == "" {
		return def // without Atoi's error, which allocates
	}
	if n, err := strconv.Atoi(v); err == nil {
		return n
	}
	return def
}
