package check

import (
	"fmt"
	"net/netip"
	"strings"
)

// A PPP secret's single remote-address is often no road warrior's but a
// site router's: the office's static route to the branch LAN goes by it
// (/ip route add dst-address=192.168.0.0/24 gateway=172.16.54.252), or
// the secret's routes= adds one (PPP AAA page of the manual: "routes"
// are added while the client is connected). LAN hosts reach the branch
// through their default gateway, the router, and never ARP for the
// tunnel address; only the tunnel address itself is out of their reach
// when it lies inside their subnet. VPNPoolInLAN's "reaches the router
// and nothing behind it" overstated that on a real RB1100 export (rc27,
// rev53). Such an address gets a note, not the finding.

// siteRouterRoute is the route (or the secret's routes=) that sends a
// network through address a, a PPP client's single address; "" when
// none does.
func (p *Plan) siteRouterRoute(a netip.Addr) string {
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" {
			continue
		}
		switch c.MenuPath() {
		case "ip route":
			if gw, _ := firstGateway(c.Value("gateway")); gw == a.String() {
				return fmt.Sprintf("line %d routes %s by it", c.Line, routeDst(c))
			}
		case "ppp secret":
			if c.Value("remote-address") == a.String() && c.Value("routes") != "" {
				return fmt.Sprintf("line %d's secret adds the route(s) %s by it", c.Line, strings.TrimSpace(c.Value("routes")))
			}
		}
	}
	return ""
}

// siteRouterNote is the note for a site router's tunnel address inside a
// LAN's subnet whose interface does not answer ARP for it.
func siteRouterNote(vp vpnPool, seg *Segment, route string) string {
	return fmt.Sprintf("%s gives %s, inside %s's subnet %s, and %s: a site router, whose networks the LAN reaches through this router; only its tunnel address %s is out of reach of %s's hosts, which ask ARP for it and get no answer (arp=proxy-arp on %s would answer, if they must reach it)",
		vp.what, vp.name, seg.Interface, seg.Prefix.Masked(), route, vp.lo, seg.Interface, seg.Interface)
}
