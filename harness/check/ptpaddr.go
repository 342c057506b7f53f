package check

import (
	"net/netip"

	"github.com/chrlab/chrlab/harness/export"
)

// subnetElsewhere reports whether an address written without a prefix
// length (a /32 on RouterOS) is no LAN address that lost its subnet
// (rc30 C3): its network= names another address, the far end of a
// point-to-point link as RouterOS prints a /32 with a peer
// (address=172.16.22.254 network=172.16.22.253 on a management VLAN), or
// the router holds the same address with a subnet on another interface
// (the LAN's own VLAN has 172.16.22.254/24), where the DHCP network
// around it has its neighbour.
func subnetElsewhere(ac *export.Command, a netip.Addr, addrs []*export.Command) bool {
	if nw := ac.Value("network"); nw != "" && nw != a.String() {
		return true
	}
	for _, o := range addrs {
		if o == ac || o.Value("interface") == ac.Value("interface") {
			continue
		}
		if pf, err := netip.ParsePrefix(o.Value("address")); err == nil && pf.Bits() < 32 && pf.Addr() == a {
			return true
		}
	}
	return false
}
