package lab

import (
	"net/netip"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// BGP is a node's BGP session with the router (docs/labs.md): BIRD on
// the node speaks eBGP or iBGP to the router's address and announces the
// node's own networks.
type BGP struct {
	line     int
	AS       uint32
	Neighbor netip.Addr // the router's address
	PeerAS   uint32
	RouterID netip.Addr
	Announce []netip.Prefix
}

func (p *parser) asNumber(v *yaml.Node, what string) uint32 {
	s := p.str(v, what)
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 0 {
		p.failAt(v, "%s: want an AS number from 1 to 4294967295, got %q", what, s)
	}
	return uint32(n)
}

func (p *parser) bgp(v *yaml.Node, node string) *BGP {
	what := "node " + node + ": bgp"
	f := p.fields(v, what, "as", "neighbor", "neighbor-as", "router-id", "announce")
	if f == nil {
		return nil
	}
	b := &BGP{line: v.Line}
	for _, k := range []string{"as", "neighbor", "neighbor-as"} {
		if f[k] == nil {
			p.failAt(v, "%s: no %s", what, k)
		}
	}
	if av := f["as"]; av != nil {
		b.AS = p.asNumber(av, what+": as")
	}
	if nv := f["neighbor-as"]; nv != nil {
		b.PeerAS = p.asNumber(nv, what+": neighbor-as")
	}
	if nv := f["neighbor"]; nv != nil {
		b.Neighbor = p.addr(nv, what+": neighbor")
	}
	if rv := f["router-id"]; rv != nil {
		b.RouterID = p.addr(rv, what+": router-id")
	}
	b.Announce = p.announce(f["announce"], what)
	return b
}

// expandBGP checks the session against the lab (the neighbor is the
// router's address on a network the node is in) and turns it into
// labagent's --bgp-* flags.
func (p *parser) expandBGP(s *Spec, n *Node) {
	b := n.BGP
	onLink := false
	for _, in := range n.Interfaces {
		if nw, ok := s.Network(in.Network); ok && nw.Subnet.Contains(b.Neighbor) {
			onLink = true
		}
	}
	routerOwns := slices.ContainsFunc(s.Router.Ports, func(in Interface) bool { return in.Address == b.Neighbor })
	if !onLink || !routerOwns {
		p.failf(b.line, "node %s: bgp: neighbor %s is not the router's address on a network the node is in", n.Name, b.Neighbor)
	}
	p.checkAnnounce(s, n, b.Announce, b.line, "bgp")
	n.Args = append(n.Args, "--bgp-as", strconv.FormatUint(uint64(b.AS), 10), "--bgp-neighbor", b.Neighbor.String(),
		"--bgp-neighbor-as", strconv.FormatUint(uint64(b.PeerAS), 10))
	for _, a := range b.Announce {
		if n.OSPF == nil || !slices.Contains(n.OSPF.Announce, a) {
			n.Args = append(n.Args, "--announce", a.String())
		}
	}
	if b.RouterID.IsValid() && (n.OSPF == nil || !n.OSPF.RouterID.IsValid()) {
		n.Args = append(n.Args, "--router-id", b.RouterID.String())
	}
}
