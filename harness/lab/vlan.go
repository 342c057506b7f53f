package lab

import (
	"fmt"
	"net/netip"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// VLANs on a trunk. A network with `trunk` and `vlan` is a VLAN of its
// trunk network: it has a subnet and members like any network, but no
// Docker network of its own. Its hosts are wired to the trunk's Docker
// network and tag their frames in user space (labagent --vlan), since the
// lab's kernels may lack 802.1Q; the router's port sits on the trunk and
// its RouterOS configuration gives it the VLAN interfaces.

// WireNetwork names the network whose Docker network carries network's
// frames: its trunk for a VLAN, itself otherwise.
func (s *Spec) WireNetwork(network string) string {
	if nw, ok := s.Network(network); ok && nw.Trunk != "" {
		return nw.Trunk
	}
	return network
}

// vlanFields reads a network's trunk and vlan fields.
func (p *parser) vlanFields(f map[string]*yaml.Node, n *yaml.Node, nw *Network) {
	tr, id := f["trunk"], f["vlan"]
	switch {
	case tr == nil && id == nil:
		return
	case tr == nil:
		p.failAt(id, "network %s: vlan without trunk (the network that carries it tagged)", nw.Name)
		return
	case id == nil:
		p.failAt(tr, "network %s: trunk without vlan (the 802.1Q VLAN id, 1 to 4094)", nw.Name)
		return
	}
	nw.Trunk = p.str(tr, "network "+nw.Name+": trunk")
	v, err := strconv.Atoi(id.Value)
	if err != nil || id.Kind != yaml.ScalarNode || v < 1 || v > 4094 {
		p.failAt(id, "network %s: vlan: want a VLAN id from 1 to 4094, got %q", nw.Name, id.Value)
	}
	nw.VLAN = v
}

// checkVLANs checks what needs the whole spec: a VLAN's trunk exists and
// is no VLAN itself, no trunk carries a VLAN id twice, the router's ports
// sit on trunks (its VLAN interfaces are its configuration's), and a node
// has one interface per wire (Docker connects a container once to a
// network).
func (p *parser) checkVLANs(s *Spec) {
	ids := map[string]string{} // "trunk\x00id" -> network
	for _, nw := range s.Networks {
		if nw.Trunk == "" {
			continue
		}
		line := p.netLines[nw.Name]
		tr, ok := s.Network(nw.Trunk)
		switch {
		case !ok:
			p.failf(line, "network %s: trunk %q is not defined", nw.Name, nw.Trunk)
			continue
		case tr.Trunk != "":
			p.failf(line, "network %s: trunk %s is itself a VLAN of %s (VLANs inside VLANs are not modelled)", nw.Name, tr.Name, tr.Trunk)
			continue
		}
		key := nw.Trunk + "\x00" + strconv.Itoa(nw.VLAN)
		if other, dup := ids[key]; dup {
			p.failf(line, "network %s: VLAN %d of trunk %s is already network %s", nw.Name, nw.VLAN, nw.Trunk, other)
		}
		ids[key] = nw.Name
	}
	wires := map[string]ifaceRef{} // "owner\x00wire" -> first interface
	for _, r := range p.ifaces {
		nw, ok := s.Network(r.in.Network)
		if !ok {
			continue // reported by check
		}
		if nw.Trunk != "" {
			if r.owner == "router "+s.Router.Name {
				p.failf(r.line, "%s: a port cannot sit in VLAN %s; put it on trunk %s and give the router `/interface vlan add interface=etherN vlan-id=%d`", r.owner, nw.Name, nw.Trunk, nw.VLAN)
				continue
			}
			if r.in.DHCP {
				p.failf(r.line, "%s: dhcp: a host in VLAN %s takes a fixed address (DHCP through the user-space VLAN port is not modelled)", r.owner, nw.Name)
			}
			if r.in.PPPoE != nil {
				p.failf(r.line, "%s: pppoe: a host in VLAN %s takes a fixed address (PPPoE through the user-space VLAN port is not modelled)", r.owner, nw.Name)
			}
		}
		key := r.owner + "\x00" + s.WireNetwork(nw.Name)
		if first, dup := wires[key]; dup && first.in.Network != nw.Name {
			p.failf(r.line, "%s: interfaces on %s and %s share the wire of trunk %s (line %d); a host sits in one VLAN of a trunk", r.owner, first.in.Network, nw.Name, s.WireNetwork(nw.Name), first.line)
		}
		wires[key] = r
	}
}

// vlanWireAddrs gives every node interface in a VLAN an address on its
// trunk's Docker subnet, which Docker needs to connect the container and
// labagent uses to find the interface. The lab addresses of a VLAN say
// nothing of the trunk's host numbers, so these are picked from the top
// of the trunk's subnet down, past Docker's gateway and every host
// number a trunk member uses.
func vlanWireAddrs(s *Spec, wire map[string]netip.Prefix) map[string]netip.Addr {
	out := map[string]netip.Addr{}
	used := map[string]map[netip.Addr]bool{} // trunk -> wire addresses taken
	take := func(trunk string, a netip.Addr) {
		if used[trunk] == nil {
			used[trunk] = map[netip.Addr]bool{}
		}
		used[trunk][a] = true
	}
	for _, nw := range s.Networks {
		if nw.Trunk == "" {
			take(nw.Name, wireGateway(wire[nw.Name]))
		}
	}
	for _, in := range s.members() {
		if nw, ok := s.Network(in.Network); ok && nw.Trunk == "" {
			take(nw.Name, translate(nw.Subnet, wire[nw.Name], in.Address))
		}
	}
	for _, n := range s.Nodes {
		for _, in := range n.Interfaces {
			nw, ok := s.Network(in.Network)
			if !ok || nw.Trunk == "" {
				continue
			}
			w := wire[nw.Trunk]
			a := lastAddr(w).Prev()
			for used[nw.Trunk][a] && w.Contains(a) {
				a = a.Prev()
			}
			take(nw.Trunk, a)
			out[n.Name+"\x00"+nw.Name] = a
		}
	}
	return out
}

// vlanArg is labagent's --vlan for a node interface in a VLAN.
func vlanArg(nw Network, wireAddr netip.Addr, in Interface) []string {
	return []string{"--vlan", fmt.Sprintf("%d:%s=%s", nw.VLAN, wireAddr, netip.PrefixFrom(in.Address, nw.Subnet.Bits()))}
}

// routerVLANGateway reports whether a gateway no lab member owns is the
// router's, on a VLAN whose trunk reaches a router port: the router's VLAN
// interfaces and their addresses are its configuration, not the lab's.
func routerVLANGateway(s *Spec, g gatewayRef) bool {
	for _, in := range g.ifs {
		nw, ok := s.Network(in.Network)
		if !ok || nw.Trunk == "" || !nw.Subnet.Contains(g.gw) {
			continue
		}
		for _, p := range s.Router.Ports {
			if p.Network == nw.Trunk {
				return true
			}
		}
	}
	return false
}
