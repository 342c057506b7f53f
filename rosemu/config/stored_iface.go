package config

import (
	"strings"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// Stored interfaces: interfaces of menus rosemu stores without enforcing
// (GRE, EoIP, VPN clients, ...). They exist in the model, so that addresses,
// routes, list members and rules may name them as in a real export, but
// not in the kernel: their addresses and the routes through them are left
// out of the kernel's state and reported as not enforced. Rules and
// interface lists keep naming them; nftables matches interface names as
// text, so a rule for a missing interface matches nothing.

// storedIfTables are the tables whose items are stored interfaces (the
// menus that hold them add themselves). WireGuard interfaces are links of
// the kernel (ifaceTables), but carry no frames: a VLAN on one is stored
// (frameless).
var storedIfTables []string

// frameless: the interface is a link that carries IP packets only (a
// WireGuard interface's TUN), so a VLAN on it is built nowhere.
func frameless(m *model, name string) bool {
	for _, it := range m.tables[wireguardTable] {
		if it.props["name"] == name {
			return true
		}
	}
	return false
}

const storedIfReason = "the interface is stored only (no such link in the emulator): the address or route carries no packets"

// isStoredInterface: name is an interface of a stored menu, or a VLAN on
// one, by the configuration alone. It answers "does this name exist, and
// is it one of those" for a command (a rename's clash, an interface a
// property names). storedIndex answers "is it a link now" for the state
// given to the kernel, where a PPPoE server binding whose user's session
// is up is a link; outside sessions the two agree.
func isStoredInterface(m *model, name string) bool {
	return storedDepth(m, name, 0)
}

// madeLo: the configuration made an interface named lo itself, as
// RouterOS 6 labs make a loopback bridge so ("/interface bridge add
// name=lo"); it is that interface, not RouterOS 7's built-in loopback.
func madeLo(m *model) bool {
	for _, tbl := range ifaceTables {
		for _, it := range m.tables[tbl] {
			if it.props["name"] == loopbackIface {
				return true
			}
		}
	}
	return false
}

// loopbackIface is RouterOS 7's built-in loopback interface: v7 exports of
// routers running OSPF or BGP put their router-id address on it ("/ip
// address add address=10.255.0.1 interface=lo"). rosemu puts such
// addresses on the namespace's own loopback, so the router answers them
// and OSPF can announce them; RouterOS 6 has no such interface and
// refuses the name.
const loopbackIface = "lo"

// storedDepth: a stored interface, or a VLAN on one (a VLAN on a VRRP
// interface or a MAC VLAN is no more built than its parent). depth
// bounds a chain of VLANs on VLANs.
func storedDepth(m *model, name string, depth int) bool {
	for _, tbl := range storedIfTables {
		for _, it := range m.tables[tbl] {
			if it.props["name"] != name {
				continue
			}
			if tbl == vrrpTable {
				// A run virtual router is a link of the kernel; a VLAN
				// on one is not built.
				return depth > 0 || vrrpWhy(m, it, func(p string) bool { return storedDepth(m, p, depth+1) }) != ""
			}
			return true
		}
	}
	if depth > 8 {
		return false
	}
	for _, v := range m.tables["interface vlan"] {
		if v.props["name"] == name {
			return frameless(m, v.props["interface"]) || storedDepth(m, v.props["interface"], depth+1)
		}
	}
	return false
}

// storedIndex answers isStoredInterface for many names of one model: the
// stored interfaces and the VLANs' parents are read once (a 4,000-VLAN
// export took a scan of every VLAN for each name, 3.5 s; now linear).
func storedIndex(m *model) func(name string) bool {
	stored := map[string]bool{}
	var vrrpItems []*item
	for _, tbl := range storedIfTables {
		for _, it := range m.tables[tbl] {
			if tbl == vrrpTable {
				vrrpItems = append(vrrpItems, it)
				continue
			}
			stored[it.props["name"]] = true
		}
	}
	// A PPPoE server binding is a link while its user's session is up:
	// its static addresses and routes apply then, as on RouterOS.
	for _, n := range pppServerIfaceNames(m) {
		delete(stored, n)
	}
	noFrames := map[string]bool{}
	for _, it := range m.tables[wireguardTable] {
		noFrames[it.props["name"]] = true
	}
	parent := map[string]string{}
	for _, v := range m.tables["interface vlan"] {
		if _, ok := parent[v.props["name"]]; !ok {
			parent[v.props["name"]] = v.props["interface"]
		}
	}
	lookup := func(name string, runVRRP map[string]bool) bool {
		for depth := 0; ; depth++ {
			if stored[name] || (depth > 0 && (noFrames[name] || runVRRP[name])) {
				return true
			}
			p, ok := parent[name]
			if !ok || depth > 8 {
				return false
			}
			name = p
		}
	}
	// The virtual routers rosemu runs are links of the kernel, those it
	// cannot run are stored (vrrpWhy); a VLAN on either is not built.
	runVRRP := map[string]bool{}
	for _, it := range vrrpItems {
		runVRRP[it.props["name"]] = true
	}
	for _, it := range vrrpItems {
		if vrrpWhy(m, it, func(p string) bool { return lookup(p, runVRRP) }) != "" {
			stored[it.props["name"]] = true
		}
	}
	return func(name string) bool { return lookup(name, runVRRP) }
}

// gatewayIface is the interface a gateway names: "wg0" or "10.0.0.1%wg0".
func gatewayIface(gw string) string {
	if _, ifc, ok := strings.Cut(gw, "%"); ok {
		return ifc
	}
	return gw
}

// dropStoredInterfaces removes from s the addresses on stored interfaces
// and the routes through them, the VLANs on them and their bridge ports
// (a container's veth in a bridge): the kernel has no such link.
func dropStoredInterfaces(m *model, s *kernel.State) {
	isStoredInterface := storedIndex(m)
	vlans := s.VLANs[:0]
	for _, v := range s.VLANs {
		if !isStoredInterface(v.Name) {
			vlans = append(vlans, v)
		}
	}
	s.VLANs = vlans
	for i := range s.Bridges {
		ports := s.Bridges[i].Ports[:0]
		for _, p := range s.Bridges[i].Ports {
			if !isStoredInterface(p.Interface) {
				ports = append(ports, p)
			}
		}
		s.Bridges[i].Ports = ports
	}
	addrs := s.Addresses[:0]
	for _, a := range s.Addresses {
		if !isStoredInterface(a.Interface) {
			addrs = append(addrs, a)
		}
	}
	s.Addresses = addrs
	arp := s.StaticARP[:0]
	for _, n := range s.StaticARP {
		if !isStoredInterface(n.Interface) {
			arp = append(arp, n)
		}
	}
	s.StaticARP = arp
	routes := s.Routes[:0]
	for _, r := range s.Routes {
		if !isStoredInterface(gatewayIface(r.Gateway)) {
			routes = append(routes, r)
		}
	}
	s.Routes = routes
}

// storedInterfaceUse counts the addresses and routes on stored interfaces
// for NotEnforced.
func storedInterfaceUse(m *model) []NotEnforcedItem {
	isStoredInterface := storedIndex(m)
	var out []NotEnforcedItem
	count := func(tbl, key string, iface func(string) string) {
		n := 0
		for _, it := range m.tables[tbl] {
			if isStoredInterface(iface(it.props[key])) {
				n++
			}
		}
		if n > 0 {
			out = append(out, NotEnforcedItem{Path: "/" + tbl, Property: key, Reason: storedIfReason, Count: n})
		}
	}
	count("ip address", "interface", func(s string) string { return s })
	count("ip route", "gateway", gatewayIface)
	return out
}
