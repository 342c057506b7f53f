package config

import "net/netip"

// More list menus of real exports: a bridge's MSTP instances, static
// hosts and multicast entries, RPKI servers of BGP routers, the IPv6 DHCP
// relay and static bindings, L2TPv3 secrets and SOCKS users. rosemu
// stores them with RouterOS's property names and reports them; none
// changes a packet in the lab. Sources: the manual's Bridging and
// Switching (MSTP, static hosts, MDB), RPKI, DHCP, L2TP and SOCKS pages
// (https://help.mikrotik.com/docs/spaces/ROS/pages/328068/Bridging+and+Switching,
// .../RPKI, .../DHCP, .../L2TP, .../SOCKS).

// The Controlling Bridge and Port Extender (IEEE 802.1BR) of a CRS3xx
// switch chip: a 6.49.7 hAP lite verbose export writes both,
// unused ("/interface bridge port-controller # disabled set bridge=none
// cascade-ports=\"\" switch=none", "/interface bridge port-extender #
// disabled set control-ports=\"\" excluded-ports=\"\" switch=none"); both
// were "bad command name". The manual's Controlling Bridge and Port
// Extender page gives the properties (bridge, cascade-ports and switch of
// /interface bridge port-controller; RouterOS 7's manual, so 7 has them
// too). rosemu has no switch chip: stored. [verify] the first 6.x.
const portExtenderReason = "rosemu has no switch chip: no port extender is controlled"

var (
	bridgePortControllerMenu = &menu{
		path: "interface bridge port-controller", single: true, notEnforced: portExtenderReason,
		props: []*prop{
			withParse("bridge", "none", pIfaceOrNone),
			sProp("cascade-ports", ""),
			sProp("switch", "none"),
		},
	}
	bridgePortExtenderMenu = &menu{
		path: "interface bridge port-extender", single: true, notEnforced: portExtenderReason,
		props: []*prop{
			sProp("control-ports", ""),
			sProp("excluded-ports", ""),
			sProp("switch", "none"),
		},
	}
)

var (
	bridgeMSTIMenu = &menu{
		path: "interface bridge msti", notEnforced: "rosemu runs no MSTP: the instance is stored",
		props: []*prop{
			{name: "bridge", parse: pBridge, required: true},
			{name: "identifier", parse: pInt(1, 31), required: true},
			withParse("vlan-mapping", "", pVLANIDs),
			sProp("priority", "0x8000"),
			comment, disabled,
		},
		columns: []string{"bridge", "identifier", "vlan-mapping"},
	}
	bridgeHostMenu = &menu{
		// Installed in the bridge's forwarding table (kernel.syncBridgeHosts).
		path: "interface bridge host",
		props: []*prop{
			{name: "bridge", parse: pBridge, required: true},
			{name: "mac-address", parse: pMAC, required: true},
			withParse("interface", "", pInterface),
			withParse("vid", "", pInt(1, 4094)),
			comment, disabled,
		},
		columns: []string{"mac-address", "interface", "bridge", "vid"},
	}
	bridgeMDBMenu = &menu{
		path: "interface bridge mdb", notEnforced: "rosemu does no multicast snooping: the entry is stored",
		props: []*prop{
			{name: "bridge", parse: pBridge, required: true},
			{name: "group", parse: pAnyIP, required: true},
			withParse("ports", "", pIfaceList),
			withParse("vid", "", pInt(1, 4094)),
			comment, disabled,
		},
		columns: []string{"group", "ports", "bridge", "vid"},
	}
	rpkiMenu = &menu{
		path: "routing rpki", major: 7, notEnforced: bgpReason,
		props: []*prop{
			{name: "address", parse: pNonEmpty, required: true},
			withParse("port", "323", pPortNum),
			sProp("group", ""),
			sProp("refresh-interval", "20"),
			sProp("expire-interval", "7200"),
			sProp("retry-interval", "600"),
			sProp("vrf", "main"),
			comment, disabled,
		},
		columns: []string{"address", "port", "group"},
	}
	ipv6DHCPRelayMenu = &menu{
		path: "ipv6 dhcp-relay", nameProp: "name", notEnforced: relayReason,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			{name: "interface", parse: pInterface, required: true},
			withParse("dhcp-server", "", pAddrs46),
			withParse("dhcp-server-interface", "", pEmptyOr(pInterface)),
			withParse("link-address", "", pAnyIP),
			withParse("delay-threshold", "none", pTimeOr("none")),
			comment, disabled,
		},
		check:   checkUniqueName("ipv6 dhcp-relay", "relay with such name already exists"),
		columns: []string{"name", "interface", "dhcp-server"},
	}
	ipv6DHCPBindingMenu = &menu{
		path: "ipv6 dhcp-server binding", notEnforced: "rosemu's IPv6 DHCP server is stored, not run: the binding is kept",
		props: []*prop{
			{name: "address", parse: pPrefix6, required: true},
			sProp("duid", ""),
			sProp("iaid", "0"),
			sProp("server", "all"),
			sProp("life-time", "3d"),
			sProp("prefix-pool", ""),
			// A 7.19.6 verbose export writes a binding whole:
			// "add address=fd00:1::36/128 address-lists=\"\"
			// !allow-dual-stack-queue dhcp-option=\"\" ... ia-type=na
			// !insert-queue-before ... !parent-queue ... !queue-type"
			// (DHCPv6 Server page of the manual,
			// https://help.mikrotik.com/docs/display/ROS/DHCP: bindings
			// have the queue settings of IPv4 leases). [verify] the
			// first 7.x of each and the ia-type values.
			onlyV7(sProp("address-lists", "")),
			onlyV7(sProp("dhcp-option", "")),
			onlyV7(sProp("ia-type", "")),
			onlyV7(sProp("rate-limit", "")),
			onlyV7(sProp("insert-queue-before", "")),
			onlyV7(sProp("parent-queue", "")),
			onlyV7(sProp("queue-type", "")),
			onlyV7(bProp("allow-dual-stack-queue", "yes")),
			comment, disabled,
		},
		addUnsetAll: true,
		columns:     []string{"address", "duid", "server"},
	}
	l2tpSecretMenu = &menu{
		path: "ppp l2tp-secret", notEnforced: pppReason,
		props: []*prop{
			withParse("address", "0.0.0.0/0", pPrefixList46),
			{name: "secret", parse: pString, sensitive: true},
			comment,
		},
		columns: []string{"address"},
	}
	socksUsersMenu = &menu{
		path: "ip socks users", nameProp: "name", notEnforced: "rosemu runs no SOCKS server",
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			{name: "password", parse: pString, sensitive: true},
			sProp("rate-limit", ""),
			comment, disabled,
		},
		columns: []string{"name"},
	}
)

// pAddrs46 is a comma list of IPv4 or IPv6 addresses (a relay's DHCP
// servers), kept as written.
func pAddrs46(_ *tx, name, v string) (string, error) {
	for _, a := range splitList(v) {
		if _, err := netip.ParseAddr(a); err != nil {
			return "", errInvalid(name)
		}
	}
	return v, nil
}

func init() {
	insertMenus("interface bridge port", bridgeMSTIMenu, bridgeHostMenu, bridgeMDBMenu, bridgePortControllerMenu, bridgePortExtenderMenu)
	insertMenus("ip route", rpkiMenu, ipv6DHCPRelayMenu, ipv6DHCPBindingMenu, l2tpSecretMenu, socksUsersMenu)
}
