package check

import (
	"net/netip"
	"strconv"

	"github.com/chrlab/chrlab/harness/export"
)

// A VPN client that holds the main table's default route (a route with
// gateway=ovpn-out1 or over a WireGuard tunnel to a VPN provider, with a
// smaller distance than the WAN's, or a client with add-default-route=yes)
// sends everything the router routes by the main table into the tunnel:
// the answers of a forward's server too. They leave with the WAN's address
// as their source (the dst-nat is undone on the way out), and the VPN's
// far end drops them or sends them on behind its own address: the client
// on the internet never sees an answer (the forum's "port forwarding
// stopped when I turned the VPN on"). The remedy is the one for a second
// WAN: mark the connections that come in on the WAN and route their
// answers back through it (help.mikrotik.com, Policy Routing).

// RepliesTunnel is a forward whose answers the main table's default
// route sends into a VPN client's tunnel.
const RepliesTunnel Cause = "the answers leave by a VPN tunnel: the main table's default route goes into it, before the WAN's, so the server's answers to the internet's connections leave through the tunnel with the WAN's address as their source, and the VPN's far end drops them or hides them behind its own address (no connection mark routes the answers of connections that came in on the WAN back through it)"

// tunnelMenus are the menus whose interfaces are VPN clients and tunnels:
// an interface of theirs is no WAN the lab wires (the import leaves it
// out), yet a default route may lead into it.
var tunnelMenus = map[string]bool{
	"interface wireguard": true, "interface ovpn-client": true, "interface l2tp-client": true,
	"interface sstp-client": true, "interface pptp-client": true, "interface gre": true,
	"interface ipip": true, "interface eoip": true,
}

// tunnelDefault returns the main table's default route into a tunnel
// (the route, or the VPN client with add-default-route=yes) and the
// tunnel's name, when it has a smaller distance than every WAN's default
// route: the main table then routes the internet through the tunnel. A
// tie spreads over both (ECMP) and is not said to.
func (p *Plan) tunnelDefault() (*export.Command, string, bool) {
	tunnels := map[string]bool{}
	for _, c := range p.export.Commands {
		if c.Verb == "add" && enabled(c) && tunnelMenus[c.MenuPath()] && !pppClientIdle(c) {
			if n := c.Value("name"); n != "" {
				tunnels[n] = true
			}
		}
	}
	if len(tunnels) == 0 {
		return nil, "", false
	}
	wanDist := 1 << 30
	p.defaultRoutes(false, func(_ *export.Command, wi, dist int) {
		if wi >= 0 && dist < wanDist {
			wanDist = dist
		}
	})
	var best *export.Command
	bestName, bestDist := "", 1<<30
	consider := func(c *export.Command, name string, dist int) {
		if tunnels[name] && dist < bestDist {
			best, bestName, bestDist = c, name, dist
		}
	}
	for _, c := range p.export.Commands {
		if c.Verb != "add" || !enabled(c) {
			continue
		}
		switch c.MenuPath() {
		case "ip route":
			if d := c.Value("dst-address"); d != "" && d != "0.0.0.0/0" ||
				(c.Value("routing-table") != "" && c.Value("routing-table") != "main") || c.Value("routing-mark") != "" {
				continue
			}
			consider(c, p.tunnelOfGateway(c.Value("gateway"), tunnels), routeDistance(c, "distance"))
		case "interface ovpn-client", "interface l2tp-client", "interface sstp-client", "interface pptp-client":
			if c.Value("add-default-route") == "yes" && !pppClientIdle(c) {
				consider(c, c.Value("name"), routeDistance(c, "default-route-distance"))
			}
		}
	}
	if best == nil || bestDist >= wanDist {
		return nil, "", false
	}
	return best, bestName, true
}

// routeDistance is a route's (or a client's default route's) distance,
// 1 when the export leaves it out.
func routeDistance(c *export.Command, key string) int {
	if d, err := strconv.Atoi(c.Value(key)); err == nil {
		return d
	}
	return 1
}

// tunnelOfGateway is the tunnel a route's gateway leads into: the tunnel
// named (gateway=wireguard1, or an address%wireguard1), or the tunnel
// whose /ip address subnet holds the gateway address; "" for any other.
func (p *Plan) tunnelOfGateway(gw string, tunnels map[string]bool) string {
	first, iface := firstGateway(gw)
	if iface != "" {
		first = iface
	}
	if tunnels[first] {
		return first
	}
	a, err := netip.ParseAddr(first)
	if err != nil {
		return ""
	}
	for _, c := range p.export.Commands {
		if c.Verb != "add" || c.MenuPath() != "ip address" || !enabled(c) || !tunnels[c.Value("interface")] {
			continue
		}
		if pf, err := netip.ParsePrefix(c.Value("address")); err == nil && pf.Masked().Contains(a) {
			return c.Value("interface")
		}
	}
	return ""
}

// pppClientIdle reports whether c is a PPP-type VPN client (OpenVPN, L2TP,
// SSTP, PPTP) that the export adds without disabled=: RouterOS adds its
// PPP clients disabled, as it does a PPPoE client (createdDisabled), and
// exports write disabled=no for a running one [verify for each client
// kind]. An idle client's interface is down, and a route into it is
// inactive.
func pppClientIdle(c *export.Command) bool {
	switch c.MenuPath() {
	case "interface ovpn-client", "interface l2tp-client", "interface sstp-client", "interface pptp-client":
		return c.Verb == "add" && c.Value("disabled") == ""
	}
	return false
}
