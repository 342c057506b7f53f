package config

// Menus of ISP and data-centre exports: VRFs, VXLAN tunnels and their
// VTEPs (both built: docs/vxlan.md and vxlan.go), and, stored without
// enforcing, DHCP relays, a hotspot's service ports and DHCP server
// alerts. Property names and
// defaults follow the RouterOS manual's pages (VRF, VXLAN, DHCP,
// HotSpot); each keeps them so that an export is accepted, printed and
// exported again.

const (
	// vrfReason is for what of VRFs rosemu does not build: RouterOS 6's
	// /ip route vrf, a route's vrf-interface, a DNS server's vrf. RouterOS
	// 7's /ip vrf is modelled by routing rules and tables (docs/vrf.md).
	vrfReason   = "rosemu models only RouterOS 7's /ip vrf (by routing tables and rules): this is stored, not enforced"
	relayReason = "rosemu runs no DHCP relay: requests on the interface are not forwarded"
	alertReason = "rosemu watches for no rogue DHCP servers"
)

var (
	// vrfMenu is /ip vrf (RouterOS 7): "add interfaces=ether5 name=mgmt".
	// RouterOS 6 has its VRFs under /ip route vrf and refuses the word
	// (ver46 D6: 6.49 stored it).
	vrfMenu = &menu{
		// Enforced by routing rules and tables (vrfState, docs/vrf.md).
		path: "ip vrf", nameProp: "name", major: 7,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			{name: "interfaces", parse: pIfsOrLists, required: true},
			comment, disabled,
		},
		check:   checkVRF,
		columns: []string{"name", "interfaces"},
	}
	// routeVrfV6Menu is RouterOS 6's /ip route vrf: "add interfaces=ether5
	// routing-mark=vrf1 route-distinguisher=1:1".
	routeVrfV6Menu = &menu{
		// A 6.43 verbose export writes "add !bgp-nexthop ... !routing-mark
		// interfaces=wlan1": every property may be written unset, the
		// routing mark too.
		path: "ip route vrf", before7: 1, notEnforced: vrfReason, addUnsetAll: true,
		props: []*prop{
			{name: "interfaces", parse: pIfsOrLists, required: true},
			{name: "routing-mark", parse: pChain},
			sProp("bgp-nexthop", ""),
			sProp("route-distinguisher", ""),
			sProp("export-route-targets", ""),
			sProp("import-route-targets", ""),
			comment, disabled,
		},
		columns: []string{"routing-mark", "interfaces", "route-distinguisher"},
	}
	// vxlanMenu is /interface vxlan (RouterOS 7).
	vxlanMenu = &menu{
		// Built by the kernel's vxlan driver (vxlan.go); the settings it
		// does not model are reported (vxlanNotEnforced).
		path: "interface vxlan", nameProp: "name", major: 7,
		props: []*prop{
			{name: "name", parse: pIfName, required: true},
			{name: "vni", parse: pInt(1, 16777215), required: true},
			withParse("port", "8472", pInt(1, 65535)),
			withParse("mtu", "1500", pInt(0, 65535)),
			sProp("local-address", ""),
			sProp("interface", ""),
			sProp("group", ""),
			sProp("vrf", "main"),
			eProp("vteps-ip-version", "ipv4", "ipv4", "ipv6"),
			bProp("learning", "yes"),
			bProp("allow-fast-path", "yes"),
			eProp("dont-fragment", "auto", "auto", "disabled", "enabled", "inherit"),
			eProp("arp", "enabled", "disabled", "enabled", "local-proxy-arp", "proxy-arp", "reply-only"),
			sProp("arp-timeout", "auto"),
			sProp("mac-address", ""),
			sProp("max-fdb-size", "4096"),
			bProp("hw", "yes"),
			sProp("bridge", ""),
			sProp("bridge-pvid", "1"),
			// The outer UDP checksum, remote checksum offload, the
			// outer TTL and the VTEPs' VRF (VXLAN page of the manual,
			// https://help.mikrotik.com/docs/display/ROS/VXLAN:
			// checksum no, rem-csum none, ttl auto, vtep-vrf main;
			// vtep-vrf since 7.7). A 7.18 hardware-offloaded VXLAN
			// leaf writes "checksum=no rem-csum=none ttl=auto"; it was
			// refused as "bad parameter checksum". [verify] the first
			// 7.x of checksum, rem-csum and ttl.
			onlyV7(bProp("checksum", "no")),
			onlyV7(eProp("rem-csum", "none", "both", "none", "rx", "tx")),
			onlyV7(withParse("ttl", "auto", pIntOr("auto", 0, 255))),
			onlyV7(sProp("vtep-vrf", "main")),
			comment, disabled,
		},
		check:   checkStoredIfName("interface vxlan"),
		columns: []string{"name", "vni", "port"},
	}
	vxlanVtepsMenu = &menu{
		path: "interface vxlan vteps", major: 7,
		props: []*prop{
			{name: "interface", parse: pNamed("interface vxlan"), required: true},
			{name: "remote-ip", parse: pAnyIP, required: true},
			withParse("port", "8472", pInt(1, 65535)),
			comment,
		},
		columns: []string{"interface", "remote-ip", "port"},
	}
	// dhcpRelayMenu is /ip dhcp-relay: a relay exported as "add
	// dhcp-server=10.0.0.1 disabled=no interface=vlan20 name=relay1".
	dhcpRelayMenu = &menu{
		path: "ip dhcp-relay", nameProp: "name", notEnforced: relayReason,
		props: []*prop{
			{name: "name", parse: pItemName, required: true},
			{name: "interface", parse: pInterface, required: true},
			{name: "dhcp-server", parse: pAddrList, required: true},
			withParse("local-address", "0.0.0.0", pIP),
			sProp("delay-threshold", "none"),
			bProp("add-relay-info", "no"),
			sProp("relay-info-remote-id", ""),
			onlyV7(bProp("local-address-as-src-ip", "no")),
			onlyV7(sProp("dhcp-server-vrf", "main")),
			comment, disabled,
		},
		check:   checkUniqueName("ip dhcp-relay", "relay with such name already exists"),
		columns: []string{"name", "interface", "dhcp-server"},
	}
	// hotspotServicePortMenu is /ip hotspot service-port: the hotspot's
	// FTP helper, changed with "set ftp disabled=yes".
	hotspotServicePortMenu = &menu{
		path: "ip hotspot service-port", nameProp: "name", noAdd: true, notEnforced: hotspotReason,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			sProp("ports", "21"),
			disabled,
		},
		defaults:  []map[string]string{{"name": "ftp"}},
		exportRef: func(it *item) string { return it.props["name"] },
		columns:   []string{"name", "ports"},
	}
	// dhcpAlertMenu is /ip dhcp-server alert: rogue DHCP server detection.
	dhcpAlertMenu = &menu{
		path: "ip dhcp-server alert", notEnforced: alertReason,
		props: []*prop{
			{name: "interface", parse: pInterface, required: true},
			sProp("valid-server", ""),
			withParse("alert-timeout", "1h", pTime),
			sProp("on-alert", ""),
			comment, disabled,
		},
		columns: []string{"interface", "valid-server"},
	}
)

func init() {
	// A VRF is an interface too in RouterOS 7 (a firewall rule's
	// in-interface=vrf-mgmt, as a CCR2004 export writes it).
	storedIfTables = append(storedIfTables, "interface vxlan", "ip vrf")
	insertMenus("interface ethernet", vxlanMenu)
	// /ip vrf comes before the bridge ports and list members, which may
	// name the VRF interface (RouterOS exports it before them too, a 7.19
	// CCR2004 export).
	insertMenus("interface list", vrfMenu)
	insertMenus("interface list member", routeVrfV6Menu)
	insertMenus("ip address", vxlanVtepsMenu)
	insertMenus("ip dhcp-server network", dhcpRelayMenu, dhcpAlertMenu)
	insertMenus("ip hotspot walled-garden ip", hotspotServicePortMenu)
}
