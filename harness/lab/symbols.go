package lab

import (
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Symbolic names a scenario uses for router ports and public addresses
// (router.wan, router.wan2, router.lan, router.ether3, cpe.public). The
// router's addresses themselves are read from the live router by the
// runner; this only says which interface a name stands for.

// WANPorts returns the indexes of the router's WAN ports in order: the
// ports with role wan, or ether1 when no port has a role (the labs written
// before roles existed).
func (s *Spec) WANPorts() []int { return s.portsWithRole("wan") }

// LANPorts returns the indexes of the router's LAN ports in order.
func (s *Spec) LANPorts() []int { return s.portsWithRole("lan") }

func (s *Spec) portsWithRole(role string) []int {
	roles := false
	for _, p := range s.Router.Ports {
		roles = roles || p.Role != ""
	}
	var out []int
	for i, p := range s.Router.Ports {
		r := p.Role
		if !roles {
			r = "lan"
			if i == 0 {
				r = "wan"
			}
		} else if r == "" {
			r = "lan"
		}
		if r == role {
			out = append(out, i)
		}
	}
	return out
}

// PortName is RouterOS's name of the router's i-th port (from 0).
func PortName(i int) string { return "ether" + strconv.Itoa(i+1) }

// PortNames are RouterOS's names of r's ports in order, ether1 to etherN:
// the ports an offline model of that router is made with.
func (r Router) PortNames() []string {
	ports := make([]string, len(r.Ports))
	for i := range ports {
		ports[i] = PortName(i)
	}
	return ports
}

// RouterIface returns the router interface a symbolic port names: "wan"
// the first WAN port, "wan2" the second, "lan" the LAN port on the
// network holding near (the first LAN port when near is invalid or on
// none), "etherN" itself when the lab has that port, the port's etherN for
// the name a lab gives a port (sfp-sfpplus1). Any other RouterOS
// interface name (bridge1, vlan20, pppoe-out1) is returned as it is: only
// the live router knows whether it has it, so the runner asks it.
func (s *Spec) RouterIface(port string, near netip.Addr) (string, bool) {
	wans, lans := s.WANPorts(), s.LANPorts()
	switch {
	case port == "lan":
		if len(lans) == 0 {
			return "", false
		}
		for _, i := range lans {
			if nw, ok := s.Network(s.Router.Ports[i].Network); ok && near.IsValid() && nw.Subnet.Contains(near) {
				return PortName(i), true
			}
		}
		return PortName(lans[0]), true
	case wanRE.MatchString(port):
		n := 1
		if rest := strings.TrimPrefix(port, "wan"); rest != "" {
			var err error
			if n, err = strconv.Atoi(rest); err != nil || n < 2 {
				return "", false
			}
		}
		// A router of one port is a WAN only when its port says so (a
		// VPS's CHR): without roles, one port is a LAN.
		if n > len(wans) || len(s.Router.Ports) < 2 && s.Router.Ports[wans[n-1]].Role != "wan" {
			return "", false
		}
		return PortName(wans[n-1]), true
	case s.portIndexByName(port) >= 0:
		// A port the lab names (sfp-sfpplus1): the router's etherN, which
		// the runner finds by its default name whatever the
		// configuration renamed it to.
		return PortName(s.portIndexByName(port)), true
	case etherRE.MatchString(port):
		n, err := strconv.Atoi(strings.TrimPrefix(port, "ether"))
		if err != nil || n < 1 || n > len(s.Router.Ports) {
			return "", false
		}
		return port, true
	case ifaceNameRE.MatchString(port):
		return port, true
	}
	return "", false
}

// ifaceNameRE is what router.<name> accepts as a RouterOS interface name:
// letters, digits, dots, dashes and underscores, as names such as
// pppoe-out1, vlan20 or bridge-lan have. RouterOS allows more (spaces,
// for one), but such a name cannot stand in "router.<name>:port".
var (
	wanRE   = regexp.MustCompile(`^wan[0-9]*$`)
	etherRE = regexp.MustCompile(`^ether[0-9]+$`)
)

var ifaceNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$`)

// PublicAddr returns the address `<node>.public` names: a CPE's public
// address or a carrier-grade NAT's shared one.
func (s *Spec) PublicAddr(name string) (netip.Addr, bool) {
	node, ok := strings.CutSuffix(name, ".public")
	if !ok {
		return netip.Addr{}, false
	}
	for _, n := range s.Nodes {
		if n.Name != node {
			continue
		}
		switch {
		case n.CPE != nil:
			return n.CPE.Public, n.CPE.Public.IsValid()
		case n.ISP != nil && n.ISP.Kind == ISPCGNAT:
			return n.ISP.Public, n.ISP.Public.IsValid()
		}
	}
	return netip.Addr{}, false
}

// DHCPISP returns the node that leases the router its address on a
// symbolic WAN port ("wan", "wan2"): the node serving dhcp on that port's
// network. A lab written before ISP kinds has one dhcp node, found too.
func (s *Spec) DHCPISP(port string) (string, bool) {
	iface, ok := s.RouterIface(port, netip.Addr{})
	if !ok {
		return "", false
	}
	i, _ := strconv.Atoi(strings.TrimPrefix(iface, "ether"))
	network := s.Router.Ports[i-1].Network
	for _, n := range s.Nodes {
		if !slices.Contains(n.Serve, "dhcp") {
			continue
		}
		if _, on := n.ownAddr(network); on {
			return n.Name, true
		}
		// An ISP in a VLAN of the port's wire (a fibre ISP's VLAN 10).
		for _, in := range n.Interfaces {
			if nw, ok := s.Network(in.Network); ok && nw.Trunk == network {
				return n.Name, true
			}
		}
	}
	return "", false
}
