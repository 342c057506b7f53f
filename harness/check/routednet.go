package check

import (
	"fmt"
	"strings"
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
		case "routing ospf instance", "routing ospf network", "routing ospf-v3 instance",
			"routing bgp connection", "routing bgp peer", "routing rip instance", "routing rip network":
			return c.Line, m
		}
	}
	return 0, ""
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

// routedNetwork reports whether the router runs a routing protocol and
// translates nothing: its LAN's way out is the neighbours' business.
func (p *Plan) routedNetwork() bool {
	line, _ := p.dynamicRouting()
	return line > 0 && !p.hasSrcNAT()
}

// routedNetworkNote says why the LAN's way out is not judged.
func (p *Plan) routedNetworkNote() {
	if !p.routedNetwork() {
		return
	}
	line, menu := p.dynamicRouting()
	var segs []string
	for _, s := range p.Segments {
		if s.Port != "" && needsNAT(s.Prefix.Addr()) {
			segs = append(segs, s.Prefix.Masked().String())
		}
	}
	if len(segs) == 0 {
		return
	}
	p.Notes = append(p.Notes, fmt.Sprintf("line %d runs %s and no rule translates anything: %s leave untranslated by design, to neighbours that route them back (the lab has no such neighbour, so the LAN's way to the internet is not judged)", line, "/"+menu, strings.Join(segs, ", ")))
}
