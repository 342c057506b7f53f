package lab

import (
	"net/netip"
	"time"

	"go.yaml.in/yaml/v3"
)

// OSPF is a node's OSPF (docs/labs.md): BIRD on the node runs OSPFv2 on
// its interfaces in Networks and announces its stub networks, a neighbor
// for the router under test.
type OSPF struct {
	line     int
	Networks []string // lab networks by name
	Area     netip.Addr
	RouterID netip.Addr // invalid: the node's first address
	Type     string     // broadcast or ptp
	Hello    time.Duration
	Dead     time.Duration
	Announce []netip.Prefix
}

func (p *parser) ospf(v *yaml.Node, node string) *OSPF {
	what := "node " + node + ": ospf"
	f := p.fields(v, what, "networks", "area", "router-id", "type", "hello", "dead", "announce")
	if f == nil {
		return nil
	}
	o := &OSPF{line: v.Line, Area: netip.MustParseAddr("0.0.0.0"), Type: "broadcast", Hello: 10 * time.Second, Dead: 40 * time.Second}
	for _, nv := range p.seq(f["networks"], what+": networks") {
		o.Networks = append(o.Networks, p.str(nv, what+": networks"))
	}
	if len(o.Networks) == 0 {
		p.failAt(v, "%s: no networks (the lab networks it runs OSPF on, such as [core])", what)
	}
	if av := f["area"]; av != nil {
		o.Area = p.addr(av, what+": area")
	}
	if rv := f["router-id"]; rv != nil {
		o.RouterID = p.addr(rv, what+": router-id")
	}
	if tv := f["type"]; tv != nil {
		o.Type = p.str(tv, what+": type")
		if o.Type != "broadcast" && o.Type != "ptp" {
			p.failAt(tv, "%s: type: want broadcast or ptp, got %q", what, o.Type)
		}
	}
	dur := func(key string, d *time.Duration) {
		if dv := f[key]; dv != nil {
			s := p.str(dv, what+": "+key)
			x, err := time.ParseDuration(s)
			if err != nil || x < time.Second || x%time.Second != 0 || x > time.Hour {
				p.failAt(dv, "%s: %s: want whole seconds such as 10s, got %q", what, key, s)
				return
			}
			*d = x
		}
	}
	dur("hello", &o.Hello)
	dur("dead", &o.Dead)
	if o.Dead <= o.Hello {
		p.failAt(v, "%s: dead (%s) must be longer than hello (%s)", what, o.Dead, o.Hello)
	}
	o.Announce = p.announce(f["announce"], what)
	return o
}

// announce reads a node's announced networks (ospf: and bgp:).
func (p *parser) announce(v *yaml.Node, what string) []netip.Prefix {
	var out []netip.Prefix
	for _, av := range p.seq(v, what+": announce") {
		s := p.str(av, what+": announce")
		a, err := netip.ParsePrefix(s)
		if err != nil || !a.Addr().Is4() || a.Bits() > 30 {
			p.failAt(av, "%s: announce: want an IPv4 prefix of /30 or wider such as 10.77.0.0/24, got %q", what, s)
			continue
		}
		out = append(out, a.Masked())
	}
	return out
}

// checkAnnounce refuses an announced network inside the lab's.
func (p *parser) checkAnnounce(s *Spec, n *Node, announce []netip.Prefix, line int, proto string) {
	for _, a := range announce {
		for _, nw := range s.Networks {
			if nw.Subnet.Overlaps(a) {
				p.failf(line, "node %s: %s: announce: %s overlaps the lab network %s (%s): announce networks beyond the lab's", n.Name, proto, a, nw.Name, nw.Subnet)
			}
		}
	}
}

// expandOSPF checks the node's OSPF against the lab and turns it into
// labagent's --ospf-* flags.
func (p *parser) expandOSPF(s *Spec, n *Node) {
	o := n.OSPF
	for _, name := range o.Networks {
		nw, ok := s.Network(name)
		if !ok {
			p.failf(o.line, "node %s: ospf: networks: no network %q in the lab", n.Name, name)
			continue
		}
		if _, ok := n.ownAddr(name); !ok {
			p.failf(o.line, "node %s: ospf: networks: the node has no interface in network %s", n.Name, name)
			continue
		}
		n.Args = append(n.Args, "--ospf-network", nw.Subnet.String())
	}
	p.checkAnnounce(s, n, o.Announce, o.line, "ospf")
	for _, a := range o.Announce {
		n.Args = append(n.Args, "--announce", a.String())
	}
	n.Args = append(n.Args, "--ospf-area", o.Area.String(), "--ospf-type", o.Type,
		"--ospf-hello", o.Hello.String(), "--ospf-dead", o.Dead.String())
	if o.RouterID.IsValid() {
		n.Args = append(n.Args, "--router-id", o.RouterID.String())
	}
}
