package agentcmd

import (
	"fmt"
	"net"

	"github.com/vishvananda/netlink"
)

// setDefaultGateway makes gw the only default route of its address family in the namespace of h.
// Docker gives every container a default route via its first network's gateway; a lab host must
// instead route through the router or the ISP, so the Docker route goes first.
//
// Equivalent to: ip route del default; ip route add default via GW
func setDefaultGateway(h *netlink.Handle, gw net.IP) error {
	family, zero := netlink.FAMILY_V4, &net.IPNet{IP: net.IPv4zero.To4(), Mask: net.CIDRMask(0, 32)}
	if gw.To4() == nil {
		family, zero = netlink.FAMILY_V6, &net.IPNet{IP: net.IPv6zero, Mask: net.CIDRMask(0, 128)}
	}
	routes, err := h.RouteList(nil, family)
	if err != nil {
		return fmt.Errorf("list routes to replace the default route via %s: %w", gw, err)
	}
	for _, r := range routes {
		if !isDefault(r.Dst) {
			continue
		}
		if err := h.RouteDel(&r); err != nil {
			return fmt.Errorf("delete default route via %s to make way for %s: %w", r.Gw, gw, err)
		}
	}
	if err := h.RouteAdd(&netlink.Route{Dst: zero, Gw: gw}); err != nil {
		return fmt.Errorf("add default route via %s: %w", gw, err)
	}
	return nil
}

// isDefault reports whether dst is a default destination; netlink lists it as nil or as a /0.
func isDefault(dst *net.IPNet) bool {
	if dst == nil {
		return true
	}
	ones, _ := dst.Mask.Size()
	return ones == 0
}
