package lab

import (
	"net/netip"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"
)

// VRRP makes a node the other router of a virtual router (docs/labs.md):
// labagent speaks VRRP on its interface in Network with the router under
// test, and holds Address (on the virtual router's MAC) while it is
// master, so that a probe of the address shows which router answers.
type VRRP struct {
	line     int
	Network  string
	VRID     int
	Priority int
	Interval time.Duration
	Version  int
	Address  netip.Addr
}

func (p *parser) vrrp(v *yaml.Node, node string) *VRRP {
	what := "node " + node + ": vrrp"
	f := p.fields(v, what, "network", "vrid", "priority", "interval", "version", "address")
	if f == nil {
		return nil
	}
	o := &VRRP{line: v.Line, VRID: 1, Priority: 100, Interval: time.Second, Version: 3}
	o.Network = p.str(f["network"], what+": network")
	if f["network"] == nil {
		p.failAt(v, "%s: network missing (the lab network the virtual router is in)", what)
	}
	if f["address"] == nil {
		p.failAt(v, "%s: address missing (the virtual router's address)", what)
	} else {
		o.Address = p.addr(f["address"], what+": address")
	}
	num := func(key string, lo, hi int, dst *int) {
		if nv := f[key]; nv != nil {
			n, err := strconv.Atoi(nv.Value)
			if err != nil || nv.Kind != yaml.ScalarNode || n < lo || n > hi {
				p.failAt(nv, "%s: %s: want a whole number from %d to %d, got %q", what, key, lo, hi, nv.Value)
				return
			}
			*dst = n
		}
	}
	num("vrid", 1, 255, &o.VRID)
	// 255 is the address owner's, which a node holding the address on a
	// MAC VLAN is not.
	num("priority", 1, 254, &o.Priority)
	num("version", 2, 3, &o.Version)
	if iv := f["interval"]; iv != nil {
		s := p.str(iv, what+": interval")
		d, err := time.ParseDuration(s)
		if err != nil || d < 10*time.Millisecond || d > 40*time.Second || (o.Version == 2 && d%time.Second != 0) {
			p.failAt(iv, "%s: interval: want 10ms to 40s (whole seconds in version 2), got %q", what, s)
		} else {
			o.Interval = d
		}
	}
	return o
}

// expandVRRP checks the node's VRRP against the lab and turns it into
// labagent's --vrrp-* flags.
func (p *parser) expandVRRP(s *Spec, n *Node) {
	o := n.VRRP
	nw, ok := s.Network(o.Network)
	if !ok {
		p.failf(o.line, "node %s: vrrp: network: no network %q in the lab", n.Name, o.Network)
		return
	}
	own, ok := n.ownAddr(o.Network)
	if !ok {
		p.failf(o.line, "node %s: vrrp: network: the node has no interface in network %s", n.Name, o.Network)
		return
	}
	taken := o.Address == own
	for _, in := range s.Router.Ports {
		taken = taken || in.Address == o.Address
	}
	for _, m := range s.Nodes {
		for _, in := range m.Interfaces {
			taken = taken || in.Address == o.Address
		}
	}
	if !nw.Subnet.Contains(o.Address) || taken {
		p.failf(o.line, "node %s: vrrp: address: %s is not a free address of network %s (%s)", n.Name, o.Address, o.Network, nw.Subnet)
		return
	}
	n.Serve = append(n.Serve, "vrrp")
	n.Args = append(n.Args, "--vrrp-network", nw.Subnet.String(), "--vrrp-vrid", strconv.Itoa(o.VRID),
		"--vrrp-priority", strconv.Itoa(o.Priority), "--vrrp-interval", o.Interval.String(),
		"--vrrp-version", strconv.Itoa(o.Version), "--vrrp-address", o.Address.String())
}
