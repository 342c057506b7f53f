package lab

import (
	"fmt"
	"net/netip"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A segment is a network that carries another network's subnet on a wire
// of its own (segment-of: lan), or, for a VLAN, on a trunk of its own. It is how a lab says "one subnet over two
// lab segments": a site's LAN joined to another site's LAN by a bridged
// EoIP tunnel, the hosts behind a second MikroTik used as an AP or
// switch, two ports of one router in a bridge. The lab only lays the two
// wires; whatever joins them at layer 2 is the routers' configuration (a
// bridge), so that without it the hosts of the two wires do not meet, as
// two unbridged switches do not (docs/labs.md, "One subnet on two
// segments").

// segmentRef is one network's segment-of, for the checks that need every
// network.
type segmentRef struct {
	network string
	value   *yaml.Node // segment-of's value, for the column of errors
	subnet  *yaml.Node // the network's own subnet field, nil when left out
	subnet6 *yaml.Node
	trunk   *yaml.Node // the network's trunk field, nil when none
}

// failAt is failf with the node's column: the errors of segment-of say
// file:line:column, as the case loader's do.
func (p *parser) failAt(n *yaml.Node, format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("%s:%d:%d: %s", p.file, n.Line, n.Column, fmt.Sprintf(format, args...))
	}
}

// segmentField reads a network's segment-of. Its subnet is filled in by
// resolveSegments once every network is read (the network it names may
// come further down).
func (p *parser) segmentField(f map[string]*yaml.Node, nw *Network) {
	sv := f["segment-of"]
	if sv == nil {
		return
	}
	nw.SegmentOf = p.str(sv, "network "+nw.Name+": segment-of")
	p.segments = append(p.segments, segmentRef{
		network: nw.Name, value: sv,
		subnet: f["subnet"], subnet6: f["subnet6"], trunk: f["trunk"],
	})
}

// resolveSegments gives every segment its network's subnets, and refuses
// what a segment cannot be: of a network the lab lacks, of itself, of a
// segment (name the network the wires share), an untagged network of a
// VLAN or a VLAN of an untagged network, a VLAN of a VLAN on the same
// trunk (one wire), or with a subnet of its own that is not its
// network's. A VLAN may be a segment of a VLAN on another trunk: one
// subnet in a VLAN on both sides of a router (or an AP) that bridges the
// two trunks' VLANs; the lab lays the VLANs on their trunks as any.
func (p *parser) resolveSegments(s *Spec) {
	for _, ref := range p.segments {
		i := s.networkIndex(ref.network)
		if i < 0 {
			continue
		}
		nw := &s.Networks[i]
		of, ok := s.Network(nw.SegmentOf)
		switch {
		case nw.SegmentOf == nw.Name:
			p.failAt(ref.value, "network %s: segment-of names the network itself; name the network whose subnet this wire carries too", nw.Name)
			continue
		case !ok:
			p.failAt(ref.value, "network %s: segment-of: network %q is not defined (networks: %s)", nw.Name, nw.SegmentOf, strings.Join(s.networkNames(), ", "))
			continue
		case of.SegmentOf != "":
			p.failAt(ref.value, "network %s: segment-of: %s is itself a segment of %s; name %s, the network every segment of the subnet names", nw.Name, of.Name, of.SegmentOf, of.SegmentOf)
			continue
		case of.Trunk != "" && ref.trunk == nil:
			p.failAt(ref.value, "network %s: segment-of: %s is VLAN %d of trunk %s; a segment of a VLAN is a VLAN too: give %s a trunk and a vlan", nw.Name, of.Name, of.VLAN, of.Trunk, nw.Name)
			continue
		case of.Trunk == "" && ref.trunk != nil:
			p.failAt(ref.trunk, "network %s: a VLAN (trunk %s) cannot be a segment of %s, an untagged network; a VLAN's segment-of names a VLAN", nw.Name, nw.Trunk, of.Name)
			continue
		case of.Trunk != "" && s.WireNetwork(of.Trunk) == s.WireNetwork(nw.Trunk):
			p.failAt(ref.value, "network %s: segment-of: %s rides on the same wire (trunk %s); a segment of a VLAN is a VLAN of another trunk, which a router's bridge joins", nw.Name, of.Name, of.Trunk)
			continue
		}
		if ref.subnet != nil && nw.Subnet.IsValid() && nw.Subnet != of.Subnet {
			p.failAt(ref.subnet, "network %s: subnet %s is not %s's (%s), whose segment it is; leave subnet out, a segment takes its network's", nw.Name, nw.Subnet, of.Name, of.Subnet)
			continue
		}
		if ref.subnet6 != nil && nw.Subnet6.IsValid() && !of.Subnet6.IsValid() {
			p.failAt(ref.subnet6, "network %s: subnet6 %s on a segment of %s, which has none; give %s the subnet6 and leave it out here", nw.Name, nw.Subnet6, of.Name, of.Name)
			continue
		}
		if ref.subnet6 != nil && nw.Subnet6.IsValid() && nw.Subnet6 != of.Subnet6 {
			p.failAt(ref.subnet6, "network %s: subnet6 %s is not %s's (%s), whose segment it is; leave subnet6 out, a segment takes its network's", nw.Name, nw.Subnet6, of.Name, of.Subnet6)
			continue
		}
		nw.Subnet, nw.Subnet6 = of.Subnet, of.Subnet6
	}
}

// checkSegmentHosts refuses a node on two segments of one subnet: a host
// with two interfaces in one subnet has two routes to it and answers from
// either. A router may (it bridges them: that is what joins the wires).
func (p *parser) checkSegmentHosts(s *Spec) {
	first := map[string]ifaceRef{} // "owner\x00SubnetNetwork" -> first interface
	for _, r := range p.ifaces {
		if strings.HasPrefix(r.owner, "router ") {
			continue
		}
		nw, ok := s.Network(r.in.Network)
		if !ok {
			continue
		}
		key := r.owner + "\x00" + nw.SubnetNetwork()
		if prev, dup := first[key]; dup && prev.in.Network != nw.Name {
			p.failf(r.line, "%s: on network %s and on %s (line %d), two segments of %s: a host sits on one of them; the routers' bridge joins them", r.owner, nw.Name, prev.in.Network, prev.line, nw.Subnet)
		} else if !dup {
			first[key] = r
		}
	}
}

// SubnetNetwork names the network whose subnet n carries: the network a
// segment is of, or n itself. Two networks with the same SubnetNetwork are
// one subnet on two wires (not WireNetwork, the wire a network rides on).
func (n Network) SubnetNetwork() string {
	if n.SegmentOf != "" {
		return n.SegmentOf
	}
	return n.Name
}

// SameSubnet says whether networks a and b are one subnet on two
// segments (or one network): an address of either is on-link on both.
func (s *Spec) SameSubnet(a, b string) bool {
	na, okA := s.Network(a)
	nb, okB := s.Network(b)
	return okA && okB && na.SubnetNetwork() == nb.SubnetNetwork()
}

func (s *Spec) networkIndex(name string) int {
	for i, n := range s.Networks {
		if n.Name == name {
			return i
		}
	}
	return -1
}

func (s *Spec) networkNames() []string {
	var out []string
	for _, n := range s.Networks {
		out = append(out, n.Name)
	}
	return out
}

// uniqueSubnets is each subnet once, in the order of the networks: a
// subnet on two segments is one subnet to lock.
func uniqueSubnets(s *Spec) []netip.Prefix {
	var out []netip.Prefix
	seen := map[netip.Prefix]bool{}
	for _, nw := range s.Networks {
		if !seen[nw.Subnet] {
			seen[nw.Subnet] = true
			out = append(out, nw.Subnet)
		}
	}
	return out
}
