package config

import (
	"strings"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// Stored interfaces: interfaces of menus rosemu stores without enforcing
// (/interface wireguard). They exist in the model, so that addresses,
// routes, list members and rules may name them as in a real export, but
// not in the kernel: their addresses and the routes through them are left
// out of the kernel's state and reported as not enforced. Rules and
// interface lists keep naming them; nftables matches interface names as
// text, so a rule for a missing interface matches nothing.

// storedIfTables are the tables whose items are stored interfaces.
var storedIfTables = []string{"interface wireguard"}

const storedIfReason = "the interface is stored only (no such link in the emulator): the address or route carries no packets"

func isStoredInterface(m *model, name string) bool {
	for _, tbl := range storedIfTables {
		for _, it := range m.tables[tbl] {
			if it.props["name"] == name {
				return true
			}
		}
	}
	return false
}

// gatewayIface is the interface a gateway names: "wg0" or "10.0.0.1%wg0".
func gatewayIface(gw string) string {
	if _, ifc, ok := strings.Cut(gw, "%"); ok {
		return ifc
	}
	return gw
}

// dropStoredInterfaces removes from s the addresses on stored interfaces
// and the routes through them.
func dropStoredInterfaces(m *model, s *kernel.State) {
	addrs := s.Addresses[:0]
	for _, a := range s.Addresses {
		if !isStoredInterface(m, a.Interface) {
			addrs = append(addrs, a)
		}
	}
	s.Addresses = addrs
	routes := s.Routes[:0]
	for _, r := range s.Routes {
		if !isStoredInterface(m, gatewayIface(r.Gateway)) {
			routes = append(routes, r)
		}
	}
	s.Routes = routes
}

// storedInterfaceUse counts the addresses and routes on stored interfaces
// for NotEnforced.
func storedInterfaceUse(m *model) []NotEnforcedItem {
	var out []NotEnforcedItem
	count := func(tbl, key string, iface func(string) string) {
		n := 0
		for _, it := range m.tables[tbl] {
			if isStoredInterface(m, iface(it.props[key])) {
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
