package check

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// A router inside a routed network (OSPF, BGP or RIP towards its
// neighbours, no source NAT anywhere) hands its LAN subnets to its
// neighbours by the routing protocol: private subnets leave untranslated
// by design, and the router upstream knows the way back. check cannot see
// that network, so it does not call the LAN's way out broken there; a
// note says why. A router that translates anything at all (an edge router
// with OSPF inside) is judged as any other.

// dynamicRouting returns the first enabled line of the export that runs a
// routing protocol (v7 /routing ospf instance, bgp connection, rip
// instance; v6 /routing ospf network, bgp peer, rip network), 0 if none.
func (p *Plan) dynamicRouting() (line int, menu string) {
	for _, c := range p.export.Commands {
		if c.Verb != "add" || !enabled(c) {
			continue
		}
		switch m := c.MenuPath(); m {
		case "routing ospf instance", "routing rip instance":
			// RouterOS 7's instance runs on the interfaces its
			// templates name, and v7.1-7.16's defaults write an OSPF
			// instance whose only area is disabled and which has no
			// template: it runs on nothing. Taken as routing, it made
			// a router whose masquerade was lost read "untranslated by
			// design" and "no problem found" (rc29 C1).
			if p.instanceRuns(c) {
				return c.Line, m
			}
		case "routing ospf network", "routing ospf-v3 instance",
			"routing bgp connection", "routing bgp peer", "routing rip network":
			return c.Line, m
		}
	}
	return 0, ""
}

// instanceRuns reports whether an OSPF or RIP instance of RouterOS 7 runs
// on some interface: an enabled interface-template names it (RIP), or
// names an enabled area of it (OSPF) (OSPF and RIP pages of the manual,
// https://help.mikrotik.com/docs/display/ROS/OSPF: an interface takes
// part through the templates). A RouterOS 6 instance runs on the
// networks of /routing ospf network, which dynamicRouting counts itself.
func (p *Plan) instanceRuns(in *export.Command) bool {
	name := in.Value("name")
	ospf := in.MenuPath() == "routing ospf instance"
	areas := map[string]bool{}
	for _, c := range p.export.Commands {
		if ospf && c.Verb == "add" && enabled(c) && c.MenuPath() == "routing ospf area" && c.Value("instance") == name {
			areas[c.Value("name")] = true
		}
	}
	for _, c := range p.export.Commands {
		if c.Verb != "add" || !enabled(c) {
			continue
		}
		switch c.MenuPath() {
		case "routing ospf interface-template":
			if ospf && areas[c.Value("area")] {
				return true
			}
		case "routing rip interface-template":
			if !ospf && c.Value("instance") == name {
				return true
			}
		}
	}
	return false
}

// learnsRoutes returns the first line of a routing protocol that runs on
// the router, and the protocol's name: one that can learn routes the
// export does not list. OSPF and RIP of RouterOS 7 run only on the
// interfaces an enabled interface-template of an enabled area (OSPF) or
// of the instance (RIP) names; a v7 BGP connection, or v6's ospf/rip
// network and bgp peer, runs by itself (OSPF page of the manual,
// https://help.mikrotik.com/docs/display/ROS/OSPF: the routes OSPF learns
// are installed in the routing table; BGP and RIP pages alike). A server
// on no network of the export is then reached by such a route, which the
// lab, with no neighbour, cannot show (realcheck19 D3: "no route leads to
// it ... add a route", exit 1, on a router learning 192.168.90.0/24 by
// OSPF). 0 when none runs.
func (p *Plan) learnsRoutes() (line int, proto string) {
	var instances, areas []*export.Command
	for _, c := range p.export.Commands {
		if c.Verb != "add" || !enabled(c) {
			continue
		}
		switch c.MenuPath() {
		case "routing ospf instance", "routing rip instance":
			if c.Value("version") != "3" && mainTable(c) { // OSPFv3 learns IPv6 routes only
				instances = append(instances, c)
			}
		case "routing ospf area":
			areas = append(areas, c)
		}
	}
	of := func(list []*export.Command, menu, name string) *export.Command {
		for _, c := range list {
			if c.MenuPath() == menu && c.Value("name") == name {
				return c
			}
		}
		return nil
	}
	for _, c := range p.export.Commands {
		if c.Verb != "add" || !enabled(c) {
			continue
		}
		switch c.MenuPath() {
		case "routing ospf interface-template":
			if a := of(areas, "routing ospf area", c.Value("area")); a != nil {
				if in := of(instances, "routing ospf instance", a.Value("instance")); in != nil {
					return in.Line, "OSPF"
				}
			}
		case "routing rip interface-template":
			if in := of(instances, "routing rip instance", c.Value("instance")); in != nil {
				return in.Line, "RIP"
			}
		case "routing bgp connection", "routing bgp peer":
			if mainTable(c) {
				return c.Line, "BGP"
			}
		case "routing ospf network":
			return c.Line, "OSPF"
		case "routing rip network", "routing rip interface":
			return c.Line, "RIP"
		}
	}
	return 0, ""
}

// mainTable reports whether a routing instance or connection installs the
// routes it learns in the main table, where a forward's connection looks
// (routing-table= names another: the lab's forward does not use it).
func mainTable(c *export.Command) bool {
	t := c.Value("routing-table")
	return t == "" || t == "main"
}

// hasSrcNAT reports whether any enabled srcnat rule translates (masquerade,
// src-nat, netmap, same).
func (p *Plan) hasSrcNAT() bool {
	for _, c := range p.export.Commands {
		if c.Verb != "add" || c.MenuPath() != "ip firewall nat" || !enabled(c) || c.Value("chain") != "srcnat" {
			continue
		}
		switch c.Value("action") {
		case "masquerade", "src-nat", "netmap", "same":
			return true
		}
	}
	return false
}

// routedNetwork reports whether the router runs a routing protocol, or
// routes private networks statically to a private neighbour, and
// translates nothing: its LAN's way out is the neighbours' business.
func (p *Plan) routedNetwork() bool {
	line, _ := p.routing()
	return line > 0 && !p.hasSrcNAT()
}

// routing is the first line that makes the router part of a routed
// network: a routing protocol (dynamicRouting), or else, on a router with
// no NAT rule at all, a static route to a private network by a private
// next hop while the default route's next hop is private too (a tower
// router behind the network's own NAT edge: realcheck17 D7, told in one
// breath that its uplink faced a LAN and that it lacked a masquerade), or
// by a next hop on a WAN's own link, whatever gives the default route.
func (p *Plan) routing() (line int, what string) {
	if line, menu := p.dynamicRouting(); line > 0 {
		return line, "/" + menu
	}
	if p.hasAnyNAT() {
		return 0, ""
	}
	// A next hop on a WAN's own link: the router's upstream holds
	// private networks of its own, so it is a router of the same routed
	// network, not an ISP (a 6.46 lab router whose DHCP client on ether1
	// gave the default route, and whose route to 192.168.100.0/24 went by
	// 10.1.1.1 on ether1's 10.1.1.2/30: told its uplink faced a LAN and
	// that it lacked a masquerade, realcheck18 D4). A DHCP client's
	// default route has a next hop the export does not say.
	onWAN := func(gw netip.Addr) bool {
		for _, c := range p.export.Commands {
			if c.Verb != "add" || c.MenuPath() != "ip address" || !enabled(c) || p.wanOfInterface(c.Value("interface")) < 0 {
				continue
			}
			if pf, err := netip.ParsePrefix(c.Value("address")); err == nil && pf.Masked().Contains(gw) && pf.Addr() != gw {
				return true
			}
		}
		return false
	}
	connectedTo := func(dst netip.Prefix) bool {
		for _, c := range p.export.Commands {
			if c.Verb != "add" || c.MenuPath() != "ip address" || !enabled(c) {
				continue
			}
			if pf, err := netip.ParsePrefix(c.Value("address")); err == nil && pf.Bits() <= dst.Bits() && pf.Masked().Contains(dst.Addr()) {
				return true
			}
		}
		return false
	}
	privateDefault, upstream := false, false
	var static *export.Command
	for _, c := range p.export.Commands {
		if c.Verb != "add" || c.MenuPath() != "ip route" || !enabled(c) || c.Value("routing-table") != "" && c.Value("routing-table") != "main" {
			continue
		}
		first, _ := firstGateway(c.Value("gateway"))
		gw, err := netip.ParseAddr(first)
		if err != nil || !needsNAT(gw) {
			continue
		}
		d := c.Value("dst-address")
		if d == "" {
			d = "0.0.0.0/0"
		}
		dst, err := netip.ParsePrefix(d)
		switch {
		case err != nil:
		case dst.Bits() == 0:
			privateDefault = true
		case connectedTo(dst):
			// A route to the subnet of an address the router holds adds
			// nothing to the connected route, and is no sign of a routed
			// network (D4: 192.168.1.0/24 by 192.168.1.1 on a
			// 192.168.1.20/24 WAN made a router with no NAT "routed by
			// design", and its missing masquerade went unreported).
		case needsNAT(dst.Addr()):
			if static == nil {
				static = c
			}
			for _, hop := range strings.Split(c.Value("gateway"), ",") {
				g, _, _ := strings.Cut(hop, "%")
				if a, err := netip.ParseAddr(g); err == nil && needsNAT(a) && onWAN(a) {
					upstream = true
				}
			}
		}
	}
	if !privateDefault && !upstream || static == nil {
		return 0, ""
	}
	return static.Line, fmt.Sprintf("a static route to %s by %s", static.Value("dst-address"), static.Value("gateway"))
}

// hasAnyNAT reports whether the export has any enabled NAT rule.
func (p *Plan) hasAnyNAT() bool {
	for _, c := range p.export.Commands {
		if c.Verb == "add" && c.MenuPath() == "ip firewall nat" && enabled(c) {
			return true
		}
	}
	return false
}

// routedNetworkNote says why the LAN's way out is not judged.
func (p *Plan) routedNetworkNote() {
	if !p.routedNetwork() {
		return
	}
	line, what := p.routing()
	var segs []string
	for _, s := range p.Segments {
		// Two addresses of one subnet (two .x/23 on one bridge) are one
		// network to name (realcheck20 D12: "192.168.0.0/23, 192.168.0.0/23").
		if n := s.Prefix.Masked().String(); s.Port != "" && needsNAT(s.Prefix.Addr()) && !slices.Contains(segs, n) {
			segs = append(segs, n)
		}
	}
	if len(segs) == 0 {
		return
	}
	verb := "runs"
	if !strings.HasPrefix(what, "/") {
		verb = "has"
	}
	p.Notes = append(p.Notes, fmt.Sprintf("line %d %s %s and no rule translates anything: %s leave untranslated by design, to neighbours that route them back (the lab has no such neighbour, so the LAN's way to the internet is not judged)", line, verb, what, strings.Join(segs, ", ")))
}
