package lab

import (
	"net/netip"
	"slices"
)

// check runs the checks that need the whole spec: every interface's network
// exists and holds its address, no address is used twice, and every gateway
// is a lab member on a connected subnet.
func (p *parser) check(s *Spec) {
	if s.Name == "" {
		p.failf(1, "lab without name")
	}
	if s.Router.Name == "" && len(s.Router.Ports) == 0 {
		p.failf(1, "lab %s: router missing", s.Name)
	}
	for i, a := range s.Networks {
		for _, b := range s.Networks[:i] {
			if a.Subnet.IsValid() && b.Subnet.IsValid() && a.Subnet.Overlaps(b.Subnet) && a.SubnetNetwork() != b.SubnetNetwork() {
				p.failf(p.netLines[a.Name], "network %s: subnet %s overlaps network %s (%s)", a.Name, a.Subnet, b.Name, b.Subnet)
			}
		}
	}

	type use struct {
		owner string
		line  int
	}
	owners := map[netip.Addr]use{}
	macs := map[string]use{}
	attached := map[string]int{} // "owner\x00network" -> line
	for _, r := range p.ifaces {
		nw, ok := s.Network(r.in.Network)
		if !ok {
			p.failf(r.line, "%s: network %q is not defined", r.owner, r.in.Network)
			continue
		}
		if m := r.in.MAC; m != "" {
			// Two hosts with one MAC confuse every bridge between them,
			// and the lab finds a host's interface by its MAC (macOn).
			if prev, dup := macs[m]; dup {
				p.failf(r.macLine, "%s: mac %s already used by %s at line %d", r.owner, m, prev.owner, prev.line)
			} else {
				macs[m] = use{r.owner, r.macLine}
			}
			if nw.Trunk != "" {
				// A host in a VLAN sits on its trunk's wire through
				// labagent's VLAN port, whose MAC the lab does not set.
				p.failf(r.macLine, "%s: mac on network %s: a host in a VLAN (trunk %s) takes the MAC the lab gives it; mac is for hosts on untagged networks", r.owner, nw.Name, nw.Trunk)
			}
		}
		a, pfx := r.in.Address, nw.Subnet
		switch {
		case !a.IsValid() || !pfx.IsValid():
			continue // already reported where it was parsed
		case !pfx.Contains(a):
			p.failf(r.line, "%s: address %s is not in network %s (%s)", r.owner, a, nw.Name, pfx)
		case a == pfx.Addr() && !r.router:
			// RouterOS takes its subnet's network address as its own
			// (192.168.88.0/24), and a user's export that has it is
			// replayed as it is; a lab host is a typo.
			p.failf(r.line, "%s: address %s is the network address of %s", r.owner, a, nw.Name)
		case a == lastAddr(pfx):
			p.failf(r.line, "%s: address %s is the broadcast address of %s", r.owner, a, nw.Name)
		}
		if prev, dup := owners[a]; dup {
			p.failf(r.line, "%s: address %s already used by %s at line %d", r.owner, a, prev.owner, prev.line)
		} else {
			owners[a] = use{r.owner, r.line}
		}
		if a6 := r.in.Address6; a6.IsValid() {
			switch {
			case !nw.Subnet6.IsValid():
				p.failf(r.line, "%s: address6 %s on network %s, which has no subnet6", r.owner, a6, nw.Name)
			case !nw.Subnet6.Contains(a6):
				p.failf(r.line, "%s: address6 %s is not in network %s (%s)", r.owner, a6, nw.Name, nw.Subnet6)
			case a6 == nw.Subnet6.Addr():
				p.failf(r.line, "%s: address6 %s is the subnet-router anycast address of %s", r.owner, a6, nw.Name)
			case r.in.SLAAC && nw.Subnet6.Bits() != 64:
				p.failf(r.line, "%s: slaac on network %s: SLAAC forms addresses in a /64 only, and subnet6 is %s", r.owner, nw.Name, nw.Subnet6)
			}
			if prev, dup := owners[a6]; dup {
				p.failf(r.line, "%s: address6 %s already used by %s at line %d", r.owner, a6, prev.owner, prev.line)
			} else {
				owners[a6] = use{r.owner, r.line}
			}
		}
		key := r.owner + "\x00" + nw.Name
		if prev, dup := attached[key]; dup {
			p.failf(r.line, "%s: second interface on network %s (first at line %d)", r.owner, nw.Name, prev)
		}
		attached[key] = r.line
	}

	p.checkVLANs(s)
	p.checkSegmentHosts(s)
	// A router port's virtual address (vrrp:) is on the port's network
	// and no host's or port's own: the routers that name it share it.
	for _, v := range p.vrrps {
		nw, ok := s.Network(v.network)
		if !ok {
			continue // the port's own check names the network
		}
		if !nw.Subnet.Contains(v.addr) {
			p.failf(v.line, "%s: vrrp %s is not in network %s (%s)", v.owner, v.addr, nw.Name, nw.Subnet)
		} else if u, taken := owners[v.addr]; taken {
			p.failf(v.line, "%s: vrrp %s is the own address of %s at line %d; a virtual router's address is another one, shared by the routers that run it", v.owner, v.addr, u.owner, u.line)
		}
	}

	for _, g := range p.gateways {
		onLink := false
		for _, in := range g.ifs {
			if in.Address == g.gw || in.Address6 == g.gw {
				p.failf(g.line, "node %s: gateway %s is its own address", g.node, g.gw)
			}
			if nw, ok := s.Network(in.Network); ok && (nw.Subnet.Contains(g.gw) || nw.Subnet6.IsValid() && nw.Subnet6.Contains(g.gw)) {
				onLink = true
				// The agent sets the route before the lease arrives, so
				// the host failed at start ("network is unreachable").
				if in.DHCP && g.gw.Is4() {
					p.failf(g.line, "node %s: gateway %s: the host leases its address on %s by DHCP (dhcp: true), and the lease's router option sets its default route; leave gateway out", g.node, g.gw, nw.Name)
				}
			}
		}
		if !onLink {
			p.failf(g.line, "node %s: gateway %s is on none of its networks", g.node, g.gw)
			continue
		}
		if _, ok := owners[g.gw]; !ok && !routerVLANGateway(s, g) && !vrrpGateway(s, g.gw) {
			p.failf(g.line, "node %s: gateway %s is no address of a node or router port", g.node, g.gw)
		}
	}
}

// lastAddr returns the broadcast address of an IPv4 prefix.
func lastAddr(p netip.Prefix) netip.Addr {
	return from32(u32(p.Masked().Addr()) | (1<<(32-p.Bits()) - 1))
}

// vrrpGateway: gw is the virtual address of a node's VRRP, which the
// router under test may hold too (its configuration says so).
func vrrpGateway(s *Spec, gw netip.Addr) bool {
	for _, n := range s.Nodes {
		if n.VRRP != nil && n.VRRP.Address == gw {
			return true
		}
	}
	for _, r := range append([]Router{s.Router}, s.Routers...) {
		for _, pt := range r.Ports {
			if slices.Contains(pt.VRRP, gw) {
				return true
			}
		}
	}
	return false
}
