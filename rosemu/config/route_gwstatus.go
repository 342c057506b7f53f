package config

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/rosemu/kernel"
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
// peer); any other address is reached recursively, as the data plane
// resolves it. ifc is "" when the gateway is not reached.
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
	// A gateway on no connected subnet is resolved as the data plane
	// resolves it (kernel.ResolveRecursive: the most specific route of
	// the route's table or main within its target-scope, not held down,
	// whose own gateway is connected), so that what this says is what is
	// installed. The routes are those buildState gives the kernel, read
	// here rather than from print's view: the menus table refers to this
	// function, and the view to the menus table.
	st := &kernel.State{}
	for _, ad := range t.routerAddresses() {
		if p, err := netip.ParsePrefix(ad.props["address"]); err == nil && !ad.disabled() {
			st.Addresses = append(st.Addresses, kernel.Address{Prefix: p, Interface: ad.props["interface"]})
		}
	}
	// Only a route whose scope is within this route's target-scope can
	// resolve it: the others are left out before they are converted (a
	// print asks this of every route of a table that may hold thousands,
	// and most routes have the default scope 30).
	ro := kernelRoute(route)
	within := func(r *item) bool {
		sc := kernel.Route{}
		if v := r.props["scope"]; v != "" { // Atoi's error on "" allocates
			sc.Scope, _ = strconv.Atoi(v)
		}
		return kernel.RouteScope(sc) <= kernel.RouteTargetScope(ro)
	}
	for _, tb := range [][]*item{t.m.tables["ip route"], t.dhcpRoutes(), t.pppoeRoutes(), t.pppServerRoutes()} {
		for _, r := range tb {
			if !r.disabled() && within(r) {
				st.Routes = append(st.Routes, kernelRoute(r))
			}
		}
	}
	imm, ok := kernel.ResolveRecursive(st, ro, a, t.heldDown)
	if !ok {
		return "", ""
	}
	return imm.String(), t.connectedIface(imm)
}

// connectedIface is the interface of the router's enabled address whose
// subnet holds a, or whose point-to-point peer is a.
func (t *tx) connectedIface(a netip.Addr) string {
	for _, ad := range t.routerAddresses() {
		if ad.disabled() {
			continue
		}
		p, err := netip.ParsePrefix(ad.props["address"])
		if err != nil {
			continue
		}
		if (p.Bits() < 32 && p.Masked().Contains(a)) || ptpPeer(ad) == a {
			return ad.props["interface"]
		}
	}
	return ""
}

// ptpPeer is the far end of a point-to-point address: RouterOS's network=
// of a /32 address that is not the address itself ("For point-to-point
// links it should be the address of the remote end", the IP Addressing
// page of the manual; only a /32's network is configurable, Manual:IP/
// Address on the wiki). Invalid for any other address.
func ptpPeer(ad *item) netip.Addr {
	p, err := netip.ParsePrefix(ad.props["address"])
	if err != nil || !p.Addr().Is4() || p.Bits() != 32 {
		return netip.Addr{}
	}
	n, err := netip.ParseAddr(ad.props["network"])
	if err != nil || !n.Is4() || n == p.Addr() {
		return netip.Addr{}
	}
	return n
}

// routerAddresses are the router's address items: the configured ones
// and those of DHCP leases and PPP sessions.
func (t *tx) routerAddresses() []*item {
	return slices.Concat(t.m.tables["ip address"], t.dhcpAddresses(), t.pppoeAddresses(), t.pppServerAddresses())
}
