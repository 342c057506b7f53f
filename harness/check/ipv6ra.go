package check

import "slices"

// raOnClient reports whether the router takes router advertisements on
// iface while it forwards: /ipv6 settings accept-router-advertisements=yes
// with accept-router-advertisements-on= an interface list that holds it
// ("all", the default, holds every interface; "none" none). The
// DHCPv6 client's add-default-route=no warning was kept for any list but
// "all", though the usual one is the WAN list that holds the client's
// interface (chk54).
func raOnClient(on, iface string, lists map[string][]string) bool {
	switch on {
	case "":
		return false
	case "all":
		return true
	}
	return slices.Contains(lists[on], iface)
}
