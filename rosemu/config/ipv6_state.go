package config

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// What rosemu enforces of /ipv6: addresses (those taken from a pool and
// those made from the MAC address too), static routes of the main table,
// /ipv6 settings forward and disable-ipv6, and the filter, nat and raw
// firewall with its address lists (kernel.IPv6); router advertisements
// (/ipv6 nd, ipv6_nd.go); the DHCPv6 client with its pools, addresses and
// routes (ipv6_dhcp.go). The DHCPv6 server, ND proxy and mangle are
// stored.

// The reasons rosemu gives for the parts of /ipv6 it stores.
const (
	ipv6Reason        = "rosemu stores this IPv6 setting without applying it (its IPv6 data plane is addresses, static routes of the main table, and the filter, nat and raw firewall)"
	ipv6NDProxyReason = "rosemu answers no neighbour solicitations for other hosts: the proxy entry is stored"
	ipv6DHCPReason    = "rosemu runs no DHCPv6 server: no address or prefix is leased or delegated to clients"
	ipv6MangleReason  = "rosemu does not apply /ipv6 firewall mangle: its rules are stored"
	ipv6RoutingReason = "rosemu applies no IPv6 routing rules or routing tables: the entry is stored"
)

// ipv6State builds kernel.IPv6 from the model; nil while the router has
// no IPv6 address or route (or IPv6 is disabled), so that its links carry
// no IPv6.
func ipv6State(t *tx) *kernel.IPv6 {
	settings := map[string]string{}
	if its := t.m.tables["ipv6 settings"]; len(its) > 0 {
		settings = its[0].props
	}
	if settings["disable-ipv6"] == "yes" {
		return nil
	}
	v6 := &kernel.IPv6{Forward: settings["forward"] != "no", AddressLists: map[string][]kernel.AddrEntry{}}
	stored := storedIndex(t.m)
	tunnelOf := runningTunnel(t.m)
	// A running tunnel is a link of the kernel (dropStoredInterfaces):
	// its IPv6 addresses and routes are the kernel's too.
	isStored := func(name string) bool { return stored(name) && tunnelOf(name) != name }
	pooled := t.fromPool()
	for _, a := range append(append([]*item(nil), t.m.tables["ipv6 address"]...), t.dhcp6Addresses()...) {
		ifc := a.props["interface"]
		invalid := t.addressInvalid(a)
		if tunnelOf(ifc) == ifc {
			invalid = t.isSlave(ifc)
		}
		if a.disabled() || ipv6AddressStored(a) != "" || invalid || isStored(ifc) {
			continue
		}
		p, ok := ipv6AddrPrefix(a, pooled)
		if !ok {
			continue
		}
		// eui-64=yes: the kernel makes the last 64 bits from the link's
		// MAC address when it applies the address (kernel.EUI64Prefix).
		v6.Addresses = append(v6.Addresses, kernel.Address{Prefix: p, Interface: kernelName(t.m, a.props["interface"]), EUI64: a.props["eui-64"] == "yes"})
	}
	for _, r := range append(append([]*item(nil), t.m.tables["ipv6 route"]...), t.dhcp6Routes()...) {
		if r.disabled() || ipv6RouteStored(r) != "" {
			continue
		}
		dst := r.props["dst-address"]
		if dst == "" {
			dst = "::/0"
		}
		p, err := netip.ParsePrefix(dst)
		if err != nil {
			continue
		}
		d := 1
		if v := r.props["distance"]; v != "" {
			d, _ = strconv.Atoi(v)
		}
		kr := kernel.Route{Dst: p, Distance: d}
		if r.props["blackhole"] == "yes" {
			kr.Type = "blackhole"
		} else {
			// Every gateway of an ECMP route (gateway=a,b) is a next hop
			// of one multipath route, as on IPv4; one on a stored
			// interface is left out, and a route with none left is
			// not installed.
			var gws []string
			for _, gw := range strings.Split(r.props["gateway"], ",") {
				if gw == "" || isStored(gatewayIface(gw)) {
					continue
				}
				if ip, ifc, ok := strings.Cut(gw, "%"); ok {
					gw = ip + "%" + kernelName(t.m, ifc)
				} else if _, err := netip.ParseAddr(gw); err != nil {
					gw = kernelName(t.m, gw)
				}
				gws = append(gws, gw)
			}
			if len(gws) == 0 {
				continue
			}
			kr.Gateway = strings.Join(gws, ",")
		}
		v6.Routes = append(v6.Routes, kr)
	}
	// IPv6 stays on while the configuration has any IPv6 address, route
	// or DHCPv6 client, assigned or not: a DHCPv6 client needs its
	// link-local address before it has anything to assign, and to send
	// its Release when disabled; the router's last advertisement needs
	// the LAN's when a delegated prefix goes. On RouterOS IPv6 is always
	// on; rosemu leaves it off only where the configuration has no IPv6
	// at all, so that IPv4 labs carry none.
	if len(v6.Addresses) == 0 && len(v6.Routes) == 0 && !ipv6Configured(t.m) {
		return nil
	}
	// The dynamic children of DNS-name entries (fqdn.go) are entries of
	// their list like the static ones.
	for _, e := range append(append([]*item(nil), t.m.tables[addressList6Table]...), t.fqdnChildren(addressList6Table)...) {
		list := e.props["list"]
		if _, ok := v6.AddressLists[list]; !ok {
			v6.AddressLists[list] = nil
		}
		if e.disabled() {
			continue
		}
		if ae, ok := addrEntry6(e.props["address"]); ok {
			v6.AddressLists[list] = append(v6.AddressLists[list], ae)
		}
	}
	for _, tbl := range []struct {
		name string
		dst  *[]kernel.Rule
	}{{"filter", &v6.Filter}, {"nat", &v6.NAT}, {"raw", &v6.Raw}} {
		for _, it := range t.m.tables["ipv6 firewall "+tbl.name] {
			props := map[string]string{}
			for k, v := range it.props {
				if k == "disabled" && v != "yes" {
					continue
				}
				if ifRefKeys[k] {
					neg := strings.HasPrefix(v, "!")
					v = kernelName(t.m, strings.TrimPrefix(v, "!"))
					if neg {
						v = "!" + v
					}
				}
				props[k] = v
			}
			// A rule rosemu cannot render never matches (reported by
			// ipv6Use and validate).
			if kernel.Unsupported6(tbl.name, props) != "" {
				continue
			}
			*tbl.dst = append(*tbl.dst, kernel.Rule{ID: it.ID(), Props: props})
		}
	}
	return v6
}

// ipv6AddressStored says why an /ipv6 address entry is stored and not
// assigned, "" when it is assigned. Every entry is assigned now (eui-64
// ones since forum30 D4); the hook stays for the callers that ask.
func ipv6AddressStored(*item) string {
	return ""
}

// ipv6RouteStored says why an /ipv6 route is stored and not installed.
func ipv6RouteStored(r *item) string {
	if tbl := r.props["routing-table"]; tbl != "" && tbl != "main" {
		return "routing-table: " + ipv6RoutingReason
	}
	return ""
}

// ipv6RuleStored says why an /ipv6 firewall rule of table (filter, nat,
// raw) is stored and never matches, "" when it is enforced.
func ipv6RuleStored(m *model, table string, it *item) string {
	if what := ipv6Unsupported(table, it); what != "" {
		return what + ": " + ipv6UnsupportedReason
	}
	return hookNeverWhy(m, table, true)(it)
}

const ipv6UnsupportedReason = "rosemu's IPv6 firewall does not model it: the rule is stored and never matches"

// ipv6Unsupported names what of an /ipv6 firewall rule of table rosemu's
// IPv6 firewall cannot render, which leaves the whole rule out; "" when
// it renders.
func ipv6Unsupported(table string, it *item) string {
	props := map[string]string{}
	for k, v := range it.props {
		if k == "disabled" && v != "yes" {
			continue
		}
		props[k] = v
	}
	return kernel.Unsupported6(table, props)
}

// ipv6Use counts, for NotEnforced, the IPv6 entries rosemu stores inside
// the menus it enforces.
func ipv6Use(m *model) []NotEnforcedItem {
	var out []NotEnforcedItem
	out = append(out, storedUse(m, "ipv6 address", "", ipv6AddressStored)...)
	out = append(out, storedUse(m, "ipv6 route", "", ipv6RouteStored)...)
	for _, tbl := range []string{"filter", "nat", "raw"} {
		out = append(out, storedUse(m, "ipv6 firewall "+tbl, "", func(it *item) string { return ipv6RuleStored(m, tbl, it) })...)
	}
	out = append(out, storedUse(m, "ipv6 dhcp-client", "", func(it *item) string { return dhcp6ClientStored(m, it) })...)
	return append(out, storedUse(m, "ipv6 firewall address-list", "", ipv6ListStored)...)
}

// dhcp6PPPoEReason is why a DHCPv6 client on a PPPoE client interface
// never binds on rosemu.
const dhcp6PPPoEReason = "rosemu's PPPoE and L2TP clients carry IPv4 only (IPV6CP is rejected), so a DHCPv6 client on it never gets an answer: no prefix, no pool, no default route; RouterOS runs it over the session"

// dhcp6ClientStored says why an /ipv6 dhcp-client entry cannot bind on
// rosemu, "" when it can: on a PPPoE client interface, the place home
// ISPs delegate over (forum55 D2: it stayed searching without a word).
func dhcp6ClientStored(m *model, it *item) string {
	if it.props["disabled"] == "yes" {
		return ""
	}
	for _, c := range pppClientItems(m) {
		if c.props["name"] == it.props["interface"] {
			return "interface: " + dhcp6PPPoEReason
		}
	}
	return ""
}

// ipv6ListStored says why an IPv6 address-list entry is stored: never
// since forum30 D5, when a DNS name is resolved into AAAA children as an
// IPv4 list's name is into A ones (fqdn.go). The hook stays for the
// callers that ask.
func ipv6ListStored(*item) string {
	return ""
}

// addrEntry6 converts a stored IPv6 address-list address (a prefix or an
// ascending from-to range, as pList6Address keeps them); a DNS name gives
// false.
func addrEntry6(v string) (kernel.AddrEntry, bool) {
	if p, err := netip.ParsePrefix(v); err == nil {
		return kernel.AddrEntry{Prefix: p}, true
	}
	if f, to, ok := strings.Cut(v, "-"); ok {
		from, err1 := netip.ParseAddr(f)
		end, err2 := netip.ParseAddr(to)
		if err1 == nil && err2 == nil && from.Is6() && end.Is6() && !end.Less(from) {
			return kernel.AddrEntry{From: from, To: end}, true
		}
	}
	return kernel.AddrEntry{}, false
}

// madeIPv6Stored says why the IPv6 entries the command made (ids from,
// to) are stored rather than applied, "" when they are applied.
func madeIPv6Stored(m *model, path string, from, to uint64) string {
	switch path {
	case "ipv6 address":
		return madeStored(m, path, from, to, ipv6AddressStored)
	case "ipv6 route":
		return madeStored(m, path, from, to, ipv6RouteStored)
	case "ipv6 firewall filter", "ipv6 firewall nat", "ipv6 firewall raw":
		tbl := strings.TrimPrefix(path, "ipv6 firewall ")
		return madeStored(m, path, from, to, func(it *item) string { return ipv6RuleStored(m, tbl, it) })
	case "ipv6 firewall address-list":
		return madeStored(m, path, from, to, ipv6ListStored)
	case "ipv6 dhcp-client":
		return madeStored(m, path, from, to, func(it *item) string { return dhcp6ClientStored(m, it) })
	}
	return ""
}

func init() {
	// What of /ipv6 settings, address and route the data plane does not
	// apply: the neighbour table's limits and timers, redirects and router
	// advertisements taken, the hash policy; a route's gateway check,
	// scopes and preferred source; an address without its link-local
	// companion.
	for _, m := range []struct {
		menu *menu
		keep []string
	}{
		{ipv6SettingsMenu, []string{"disable-ipv6", "forward"}},
		{ipv6RouteMenu, []string{"dst-address", "gateway", "distance", "routing-table", "blackhole", "comment", "disabled", "suppress-hw-offload"}},
		{ipv6AddressMenu, []string{"address", "from-pool", "interface", "eui-64", "advertise", "no-dad", "comment", "disabled"}},
	} {
		for _, p := range m.menu.props {
			if !slices.Contains(m.keep, p.name) && p.notEnforced == "" {
				p.notEnforced = ipv6Reason
			}
		}
	}
}
