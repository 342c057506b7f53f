package check

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// Three beginners' "my router does not work" configurations that the
// check passed as "no problem found" (forum45 D7): a static WAN address
// typed without its mask, a resolver with nothing to ask, and input
// accepts appended below the drop of everything from outside the LAN.

// GatewayOffLink is a static WAN whose default route's gateway lies on no
// network the router is connected to: an address typed without a mask is a
// /32 (IP Addressing, https://help.mikrotik.com/docs/display/ROS/IP+Addressing),
// and a gateway must be reachable through a connected route, or the route
// stays inactive (IP Routing, https://help.mikrotik.com/docs/display/ROS/IP+Routing;
// First Time Configuration, https://help.mikrotik.com/docs/display/ROS/First+Time+Configuration,
// gives the address with its mask). The lab answers "unreachable" for the
// LAN's every connection out.
const GatewayOffLink Cause = "the default route's gateway is on no network the router is connected to (the WAN address has no mask, so it is a /32): the route stays inactive and nothing leaves for the internet"

// NoUpstreamDNS is a router that answers its LAN's queries and is handed
// out as their DNS server, with no server of its own to ask: servers=
// empty, no DHCP client with use-peer-dns (yes by default) and no PPPoE
// client with use-peer-dns=yes (DNS, https://help.mikrotik.com/docs/display/ROS/DNS,
// servers and dynamic-servers; DHCP and PPPoE pages, use-peer-dns). Only
// its static entries answer (router.lan); every other name fails
// (SERVFAIL in the lab).
const NoUpstreamDNS Cause = "the router answers the LAN's DNS queries and its DHCP server hands it out as their DNS server, but it has no upstream server to ask (servers= is empty and no DHCP or PPPoE client takes the ISP's): no name resolves for the LAN but the router's static entries"

// InputAcceptBelowDrop is an input accept from the internet for a port of
// the router, added at the end of the chain below the rule that drops all
// new input from outside the LAN: the first rule that matches decides
// (Filter, https://help.mikrotik.com/docs/display/ROS/Filter), so it is
// never reached.
const InputAcceptBelowDrop Cause = "the input accept comes after the rule that drops everything new from outside the LAN: the first matching rule decides, so it is never reached"

// wanReachFindings returns the three findings above.
func (p *Plan) wanReachFindings(have []Finding) []Finding {
	f := p.export
	if f == nil {
		return nil
	}
	keep := p.keeper(f)
	ix := index(f, keep)
	var out []Finding
	out = append(out, p.gatewayOffLink(ix)...)
	out = append(out, p.noUpstreamDNS(f, keep)...)
	out = append(out, p.inputAcceptsBelow(f, keep, have)...)
	return out
}

// gatewayOffLink: each static WAN without a gateway on its subnet whose
// every enabled main default route names an address gateway that no
// address of the router and no other route covers (a gateway given with
// %interface is reached on that interface, as point-to-point links are).
func (p *Plan) gatewayOffLink(ix *ifaces) []Finding {
	var out []Finding
	for _, w := range p.WANs {
		if w.Kind != "static" || !w.Address.IsValid() || w.Gateway.IsValid() || w.Peer.IsValid() {
			continue
		}
		var off netip.Addr
		var route *export.Command
		for _, r := range ix.defRoutes {
			if !enabled(r) {
				continue
			}
			for _, hop := range strings.Split(r.Value("gateway"), ",") {
				g, err := netip.ParseAddr(strings.TrimSpace(hop))
				if err != nil { // an interface, or addr%interface: on-link by name
					goto next
				}
				if connected(ix, g) {
					goto next
				}
				if !off.IsValid() {
					off, route = g, r
				}
			}
		}
		if !off.IsValid() {
			continue
		}
		for _, ac := range ix.addrs {
			pfx, err := addrPrefix(ac)
			if err != nil || ac.Value("interface") != w.Interface || pfx.Addr() != w.Address.Addr() {
				continue
			}
			out = append(out, Finding{Forward: -1, Path: "internet", Cause: GatewayOffLink, Line: ac.Line, Rule: ac.Raw,
				Detail: fmt.Sprintf("%s on %s is %s; line %d's gateway %s is outside it; /%d is the smallest mask that holds it: use the mask the ISP gave", ac.Value("address"), w.Interface, pfx, route.Line, off, commonBits(pfx.Addr(), off))})
			break
		}
	next:
	}
	return out
}

// connected says whether g is on a network of one of the router's
// addresses, or covered by a non-default route (a recursive next hop).
func connected(ix *ifaces, g netip.Addr) bool {
	for _, ac := range ix.addrs {
		if pfx, err := addrPrefix(ac); err == nil && pfx.Masked().Contains(g) && pfx.Bits() < 32 {
			return true
		}
		if n, err := netip.ParseAddr(ac.Value("network")); err == nil && n == g {
			return true // address=a/32 network=g: g is the link's far end
		}
	}
	for _, r := range ix.routes {
		dst, err := netip.ParsePrefix(r.Value("dst-address"))
		if err == nil && dst.Bits() > 0 && dst.Contains(g) && enabled(r) {
			return true
		}
	}
	return false
}

// commonBits is the longest prefix length, at most 30, whose network
// holds both a and g as host addresses.
func commonBits(a, g netip.Addr) int {
	for bits := 30; bits > 0; bits-- {
		p := netip.PrefixFrom(a, bits).Masked()
		if p.Contains(g) {
			return bits
		}
	}
	return 0
}

// noUpstreamDNS: allow-remote-requests=yes, no upstream (hasUpstream, nor
// DoH), and a DHCP network that hands out one of the router's addresses
// as DNS server. The finding is on the last /ip dns set line.
func (p *Plan) noUpstreamDNS(f *export.File, keep func(*export.Command) bool) []Finding {
	if !p.routerResolves() || p.hasUpstream() {
		return nil
	}
	var dnsSet, handsOut *export.Command
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) {
			continue
		}
		switch {
		case c.MenuPath() == "ip dns" && c.Verb == "set":
			if c.Value("use-doh-server") != "" {
				return nil
			}
			dnsSet = c
		case c.MenuPath() == "ip dhcp-server network" && c.Verb == "add" && handsOut == nil:
			first, _, _ := strings.Cut(c.Value("dns-server"), ",")
			if a, err := netip.ParseAddr(first); err == nil && p.routerHolds(a) {
				handsOut = c
			}
		}
	}
	if dnsSet == nil || handsOut == nil {
		return nil
	}
	d := fmt.Sprintf("line %d hands out %s as the DNS server", handsOut.Line, handsOut.Value("dns-server"))
	if p.upstreamFix() == "" {
		d += "; give the router the ISP's DNS servers (/ip dns set servers=...)"
	}
	return []Finding{{Forward: -1, Path: "LAN's DNS", Cause: NoUpstreamDNS, Line: dnsSet.Line, Rule: dnsSet.Raw, Detail: d}}
}

// inputAcceptsBelow: each enabled IPv4 input accept for a port from the
// internet below the first input drop of everything new from outside the
// LAN, in the router's order (routerOrder); not one a finding already
// names as never reached (the VPN server's accept).
func (p *Plan) inputAcceptsBelow(f *export.File, keep func(*export.Command) bool, have []Finding) []Finding {
	var drop *export.Command
	var out []Finding
	for _, c := range routerOrder(f) {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "ip firewall filter" || c.Value("chain") != "input" {
			continue
		}
		if drop == nil {
			if p.dropsOutside(c) {
				drop = c
			}
			continue
		}
		if a := c.Value("action"); a != "accept" && a != "" || c.Value("dst-port") == "" || !p.v6FromOutside(c) {
			continue
		}
		said := fmt.Sprintf("accept at line %d ", c.Line)
		if slices.ContainsFunc(have, func(h Finding) bool { return strings.Contains(h.Detail, said) }) {
			continue
		}
		out = append(out, Finding{Forward: -1, Path: "router's input from the internet", Cause: InputAcceptBelowDrop, Line: c.Line, Rule: c.Raw,
			Detail: fmt.Sprintf("line %d (%s) drops it first: %s %s stays closed from the internet", drop.Line, drop.Value("comment"), c.Value("protocol"), c.Value("dst-port"))})
	}
	return out
}

// inputBelowFix moves the accept at line above the drop of everything
// from outside the LAN.
func (p *Plan) inputBelowFix(line int) (key, fix string) {
	keep := p.keeper(p.export)
	for _, c := range routerOrder(p.export) {
		if keep(c) && enabled(c) && c.Verb == "add" && c.MenuPath() == "ip firewall filter" && c.Value("chain") == "input" && p.dropsOutside(c) {
			return fmt.Sprintf("input move %d", line), fmt.Sprintf("/ip firewall filter move %s destination=%s", p.ruleSelector(line), p.ruleSelector(c.Line))
		}
	}
	return "", ""
}
