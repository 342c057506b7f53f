package check

import (
	"fmt"
	"net/netip"

	"github.com/chrlab/chrlab/harness/export"
)

// NoDefaultRoute is the cause of a router whose WAN (named with --map, or
// found by its address) carries no default route: no static route, no DHCP
// or PPPoE client that adds one, no routing protocol that may learn one.
// The LAN's connections to the internet find no route ("network is
// unreachable") and never leave by the WAN, whatever the srcnat rules say
// (IP Routing: a packet whose destination no route holds is not
// forwarded, https://help.mikrotik.com/docs/spaces/ROS/pages/328084/IP+Routing).
// With --map ether2=wan on such a router the check asked for a masquerade
// "leaving by ether2", which the lab proved did not help, and predicted
// services open to an internet the router cannot answer (realcheck22 D9).
const NoDefaultRoute Cause = "the router has no default route: the LAN's connections to the internet find no route (network is unreachable) and never leave by the WAN"

// noDefaultRoute reports whether no default route leads anywhere: none in
// any routing table, no DHCP or PPPoE WAN (whose client adds one), no
// routing protocol.
func (p *Plan) noDefaultRoute() bool {
	if len(p.WANs) == 0 || p.export == nil {
		return false
	}
	for _, w := range p.WANs {
		if w.Kind != "static" || w.Behind() != "" {
			return false
		}
	}
	if line, _ := p.dynamicRouting(); line > 0 {
		return false
	}
	any := false
	p.defaultRoutes(true, func(*export.Command, int, int) { any = true })
	return !any
}

// defaultRouteGateway is the address the default route the fix adds goes
// by: the WAN's gateway when the export names one, its peer on a
// point-to-point link, else the other host of the WAN's subnet (the one
// possible on a /30 or /31; on a wider subnet the lab's ISP, where the
// user writes their ISP's).
func defaultRouteGateway(w WAN) (gw netip.Addr, sure bool) {
	switch {
	case w.Gateway.IsValid():
		return w.Gateway, true
	case w.Peer.IsValid():
		return w.Peer, true
	case !w.Address.IsValid():
		return netip.Addr{}, false
	case w.Address.Bits() == 31:
		a := w.Address.Masked().Addr()
		if a == w.Address.Addr() {
			a = a.Next()
		}
		return a, true
	}
	return otherHost(w.Address, w.Address.Addr()), w.Address.Bits() == 30
}

// noDefaultRouteFindings gives each LAN segment with a lab host the
// finding, with the WAN it would leave by once a route sends it there.
func (p *Plan) noDefaultRouteFindings() []Finding {
	if !p.noDefaultRoute() {
		return nil
	}
	w := p.WANs[0]
	var out []Finding
	for _, s := range p.Segments {
		if s.Port == "" {
			continue
		}
		out = append(out, Finding{Forward: -1, Path: lanOutPath(s.Interface), Cause: NoDefaultRoute,
			Detail: fmt.Sprintf("no default route in any routing table, and no DHCP or PPPoE client that adds one: %s's connections to the internet have no route to %s (%s)", s.Prefix.Masked(), w.Interface, w.Address)})
	}
	return out
}

// noDefaultRouteFix is the default route by the WAN's gateway.
func (p *Plan) noDefaultRouteFix() (key, line string, ok bool) {
	if !p.noDefaultRoute() {
		return "", "", false
	}
	w := p.WANs[0]
	gw, sure := defaultRouteGateway(w)
	if !gw.IsValid() {
		return "", "", false
	}
	comment := "default route by " + w.Interface
	if !sure {
		comment += ": write your ISP's gateway on " + w.Address.Masked().String()
	}
	return "default route", fmt.Sprintf("/ip route add dst-address=0.0.0.0/0 gateway=%s comment=%s", gw, export.Quote(comment)), true
}
