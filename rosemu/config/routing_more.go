package config

// The rest of the dynamic-routing menus real exports carry: OSPF area
// ranges, NBMA neighbors and virtual links, RouterOS 6's OSPFv3 and RIP,
// RouterOS 7's RIP and PIM-SM, the v7 routing filter's number and
// community lists and RouterOS 6's BFD interfaces. rosemu runs no dynamic
// routing: each is stored with RouterOS's property names, exported and
// reported, and changes no packet in the lab. Sources: the OSPF, RIP,
// PIM-SM, Route Selection and Filters and BFD pages of the manual
// (https://help.mikrotik.com/docs/display/ROS/OSPF, .../RIP, .../PIM-SM,
// .../Route+Selection+and+Filters, .../BFD) and the v6 manual's
// Routing pages.

const (
	ripReason = "rosemu runs no RIP: no routes are learnt or announced"
	pimReason = "rosemu runs no PIM: no multicast is routed"
)

// storedList is a list menu of stored properties (all strings but the
// required first one) with comment and disabled.
func storedList(path, reason, required string, props ...*prop) *menu {
	ps := append([]*prop{{name: required, parse: pNonEmpty, required: true}}, props...)
	return &menu{path: path, notEnforced: reason, props: append(ps, comment, disabled), columns: []string{required}}
}

// sProps are stored string properties with empty defaults.
func sProps(names ...string) []*prop {
	ps := make([]*prop, 0, len(names))
	for _, n := range names {
		ps = append(ps, sProp(n, ""))
	}
	return ps
}

var (
	// ospfAreaRangeMenu summarises an area's routes: prefix= in 7,
	// range= in 6 ("add area=area1 range=10.0.0.0/16 advertise=yes").
	ospfAreaRangeMenu = &menu{
		path: "routing ospf area range", notEnforced: ospfRangeReason,
		props: []*prop{
			{name: "area", parse: pNamed("routing ospf area"), required: true},
			onlyV7(withParse("prefix", "", pPrefixList46)),
			onlyV6(withParse("range", "", pPrefixList46)),
			bProp("advertise", "yes"),
			withParse("cost", "calculated", pIntOr("calculated", 0, 1<<24)),
			comment, disabled,
		},
		columns: []string{"area", "prefix", "range", "advertise"},
	}
	ospfNBMANeighborMenu = &menu{
		path: "routing ospf nbma-neighbor", notEnforced: ospfNBMAReason, major: 6,
		props: []*prop{
			{name: "address", parse: pAnyIP, required: true},
			namedDefault("instance", "default", "routing ospf instance"),
			withParse("poll-interval", "2m", pTime),
			iProp("priority", "0", 0, 255),
			comment, disabled,
		},
		columns: []string{"address", "instance"},
	}
	ospfVirtualLinkMenu = &menu{
		path: "routing ospf virtual-link", notEnforced: ospfVLinkReason, major: 6,
		props: []*prop{
			{name: "neighbor-id", parse: pAnyIP, required: true},
			{name: "transit-area", parse: pNamed("routing ospf area"), required: true},
			eProp("authentication", "none", "none", "simple", "md5"),
			{name: "authentication-key", parse: pString, sensitive: true},
			iProp("authentication-key-id", "1", 0, 255),
			comment, disabled,
		},
		columns: []string{"neighbor-id", "transit-area"},
	}
	// RouterOS 6's OSPFv3: its own instance "default" and area
	// "backbone", interfaces and area ranges.
	ospfV3InstanceMenu = &menu{
		path: "routing ospf-v3 instance", nameProp: "name", notEnforced: ospfV3Reason, major: 6,
		props: append([]*prop{
			{name: "name", parse: pChain, required: true},
			sProp("router-id", "0.0.0.0"),
			sProp("distribute-default", "never"),
			sProp("metric-default", "1"),
			sProp("redistribute-connected", "no"),
			sProp("redistribute-static", "no"),
			sProp("redistribute-ospf", "no"),
			sProp("redistribute-bgp", "no"),
			sProp("redistribute-rip", "no"),
			sProp("metric-connected", "20"),
			sProp("metric-static", "20"),
			sProp("metric-bgp", "auto"),
			sProp("metric-rip", "20"),
			sProp("routing-table", ""),
		}, comment, disabled),
		defaults: []map[string]string{{"name": "default"}},
		readonly: defaultFlag,
		check:    checkUniqueName("routing ospf-v3 instance", "entry with such name already exists"),
		columns:  []string{"name", "router-id"},
	}
	ospfV3AreaMenu = &menu{
		path: "routing ospf-v3 area", nameProp: "name", notEnforced: ospfV3Reason, major: 6,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			namedDefault("instance", "default", "routing ospf-v3 instance"),
			withParse("area-id", "0.0.0.0", pAnyIP),
			eProp("type", "default", "default", "stub", "nssa"),
			iProp("default-cost", "1", 0, 1<<24),
			bProp("inject-summary-lsas", "yes"),
			comment, disabled,
		},
		defaults: []map[string]string{{"name": "backbone"}},
		readonly: defaultFlag,
		check:    checkUniqueName("routing ospf-v3 area", "entry with such name already exists"),
		columns:  []string{"name", "instance", "area-id"},
	}
	ospfV3InterfaceMenu = &menu{
		path: "routing ospf-v3 interface", notEnforced: ospfV3Reason, major: 6,
		props: []*prop{
			{name: "interface", parse: pIfOrAll, required: true},
			namedDefault("area", "backbone", "routing ospf-v3 area"),
			iProp("cost", "10", 1, 65535),
			iProp("priority", "1", 0, 255),
			bProp("passive", "no"),
			eProp("network-type", "default", "default", "broadcast", "nbma", "point-to-point", "ptmp"),
			withParse("hello-interval", "10s", pTime),
			withParse("dead-interval", "40s", pTime),
			withParse("retransmit-interval", "5s", pTime),
			withParse("transmit-delay", "1s", pTime),
			bProp("use-bfd", "no"),
			comment, disabled,
		},
		columns: []string{"interface", "area", "cost"},
	}
	ospfV3AreaRangeMenu = &menu{
		path: "routing ospf-v3 area range", notEnforced: ospfV3Reason, major: 6,
		props: []*prop{
			{name: "area", parse: pNamed("routing ospf-v3 area"), required: true},
			withParse("range", "", pPrefixList46),
			bProp("advertise", "yes"),
			withParse("cost", "calculated", pIntOr("calculated", 0, 1<<24)),
			comment, disabled,
		},
		columns: []string{"area", "range"},
	}
	// RouterOS 6's RIP: settings, interfaces, networks, neighbors, keys.
	ripV6Menu = &menu{
		path: "routing rip", single: true, notEnforced: ripReason, major: 6,
		props: []*prop{
			sProp("distribute-default", "never"),
			bProp("redistribute-static", "no"),
			bProp("redistribute-connected", "no"),
			bProp("redistribute-ospf", "no"),
			bProp("redistribute-bgp", "no"),
			iProp("metric-default", "1", 0, 16),
			iProp("metric-static", "1", 0, 16),
			iProp("metric-connected", "1", 0, 16),
			iProp("metric-ospf", "1", 0, 16),
			iProp("metric-bgp", "1", 0, 16),
			withParse("update-timer", "30s", pTime),
			withParse("timeout-timer", "3m", pTime),
			withParse("garbage-timer", "2m", pTime),
			sProp("routing-table", "main"),
		},
	}
	ripV6InterfaceMenu = &menu{
		path: "routing rip interface", notEnforced: ripReason, major: 6,
		props: []*prop{
			// "all" unless named: a 6.x export writes an entry for every
			// interface as "/routing rip interface add send=v1-2", the
			// interface at its default (refused before as "interface not
			// specified").
			withParse("interface", "all", pIfOrAll),
			eProp("send", "v2", "v1", "v1-2", "v2"),
			eProp("receive", "v2", "v1", "v1-2", "v2"),
			eProp("authentication", "none", "none", "simple", "md5"),
			{name: "authentication-key", parse: pString, sensitive: true},
			sProp("key-chain", ""),
			sProp("in-prefix-list", ""),
			sProp("out-prefix-list", ""),
			bProp("passive", "no"),
			comment, disabled,
		},
		columns: []string{"interface", "send", "receive"},
	}
	ripV6NetworkMenu = &menu{
		path: "routing rip network", notEnforced: ripReason, major: 6,
		props:   []*prop{{name: "network", parse: pPrefix, required: true}, comment, disabled},
		columns: []string{"network"},
	}
	ripV6NeighborMenu = &menu{
		path: "routing rip neighbor", notEnforced: ripReason, major: 6,
		props:   []*prop{{name: "address", parse: pAnyIP, required: true}, comment, disabled},
		columns: []string{"address"},
	}
	ripKeysMenu = storedList("routing rip keys", ripReason, "chain", sProps("key", "key-id", "from", "till", "auth")...)
	// RouterOS 7's RIP.
	ripInstanceMenu = &menu{
		path: "routing rip instance", nameProp: "name", notEnforced: ripReason, major: 7,
		props: append(append([]*prop{{name: "name", parse: pChain, required: true}},
			sProps("afi", "vrf", "routing-table", "originate-default", "redistribute", "in-filter-chain", "out-filter-chain", "out-filter-select",
				"route-timeout", "route-gc-timeout", "update-interval")...), comment, disabled),
		check:   checkUniqueName("routing rip instance", "entry with such name already exists"),
		columns: []string{"name", "afi", "redistribute"},
	}
	ripTemplateMenu = storedList("routing rip interface-template", ripReason, "instance",
		append([]*prop{withParse("interfaces", "", pIfsOrLists)}, sProps("mode", "cost", "key-chain", "password", "split-horizon", "poison-reverse", "source-addresses")...)...)
	ripStaticNeighborMenu = storedList("routing rip static-neighbor", ripReason, "address", sProp("instance", ""))
	// RouterOS 7's PIM-SM.
	pimsmInstanceMenu = &menu{
		path: "routing pimsm instance", nameProp: "name", notEnforced: pimReason, major: 7,
		props: append(append([]*prop{{name: "name", parse: pChain, required: true}},
			sProps("afi", "vrf", "bsm-forward-back", "crp-advertise-contained", "rp-hash-mask-length", "rp-static-override", "ssm-range", "switch-to-spt",
				"switch-to-spt-bytes", "switch-to-spt-interval")...), comment, disabled),
		check:   checkUniqueName("routing pimsm instance", "entry with such name already exists"),
		columns: []string{"name", "afi"},
	}
	pimsmTemplateMenu = storedList("routing pimsm interface-template", pimReason, "instance",
		append([]*prop{withParse("interfaces", "", pIfsOrLists)}, sProps("source-addresses", "hello-delay", "hello-period", "join-prune-period",
			"join-tracking-support", "override-interval", "priority", "propagation-delay")...)...)
	pimsmStaticRPMenu = storedList("routing pimsm static-rp", pimReason, "address", sProps("instance", "group")...)
	// RouterOS 7's routing filter lists, which rules name
	// ("if (bgp-input-remote-as in asn-list)").
	numListMenu           = storedList("routing filter num-list", filterReason, "list", sProp("range", ""))
	communityListMenu     = storedList("routing filter community-list", filterReason, "list", sProps("communities", "regexp")...)
	communityExtListMenu  = storedList("routing filter community-ext-list", filterReason, "list", sProps("communities", "regexp")...)
	communityLargeMenu    = storedList("routing filter community-large-list", filterReason, "list", sProps("communities", "regexp")...)
	routingSelectRuleMenu = storedList("routing filter select-rule", filterReason, "chain",
		sProps("do-group-num", "do-group-prfx", "do-select-num", "do-select-prfx", "do-take", "do-where")...)
	// RouterOS 6's BFD interfaces: the built-in entry for all interfaces
	// ("set [ find default=yes ] interval=0.2s") and one per interface.
	bfdInterfaceV6Menu = &menu{
		path: "routing bfd interface", notEnforced: bfdReason, major: 6,
		props: []*prop{
			{name: "interface", parse: pIfOrAll, required: true},
			withParse("interval", "200ms", pTime),
			withParse("min-rx", "200ms", pTime),
			iProp("multiplier", "5", 1, 255),
			comment, disabled,
		},
		defaults: []map[string]string{{"interface": "all"}},
		readonly: defaultFlag,
		columns:  []string{"interface", "interval", "min-rx", "multiplier"},
	}
)

func init() {
	for _, m := range []*menu{ripKeysMenu, ripInstanceMenu, ripTemplateMenu, ripStaticNeighborMenu, pimsmInstanceMenu, pimsmTemplateMenu,
		pimsmStaticRPMenu, numListMenu, communityListMenu, communityExtListMenu, communityLargeMenu, routingSelectRuleMenu} {
		if m.major == 0 && m != ripKeysMenu {
			m.major = 7
		}
	}
	ospfV3InstanceMenu.defaultsV6Only, ospfV3AreaMenu.defaultsV6Only, bfdInterfaceV6Menu.defaultsV6Only = true, true, true
	// After the OSPF areas (a range names its area) and before the
	// routes, as RouterOS exports the routing menus.
	insertMenus("routing ospf area", ospfAreaRangeMenu, ospfV3InstanceMenu, ospfV3AreaMenu, ospfV3AreaRangeMenu,
		ripInstanceMenu, pimsmInstanceMenu, numListMenu, communityListMenu, communityExtListMenu, communityLargeMenu)
	insertMenus("ip route", ospfNBMANeighborMenu, ospfVirtualLinkMenu, ospfV3InterfaceMenu, ripV6Menu, ripV6InterfaceMenu,
		ripV6NetworkMenu, ripV6NeighborMenu, ripKeysMenu, ripTemplateMenu, ripStaticNeighborMenu, pimsmTemplateMenu, pimsmStaticRPMenu,
		routingSelectRuleMenu, bfdInterfaceV6Menu)
}

// vplsMenu is /interface vpls: an MPLS pseudowire to a peer, on ISP and
// CCR exports with LDP. rosemu does no MPLS, so it is a stored interface
// like the tunnels; 6 names the peer remote-peer (and cisco-style-id), 7
// peer (and cisco-id). Source: the VPLS page of the manual
// (https://help.mikrotik.com/docs/display/ROS/VPLS).
var vplsMenu = tunnelMenu("interface vpls", tunnelCommon(
	onlyV6(withParse("remote-peer", "", pAnyIP)),
	onlyV6(bProp("cisco-style", "no")),
	onlyV6(iProp("cisco-style-id", "0", 0, 1<<32-1)),
	onlyV7(withParse("peer", "", pAnyIP)),
	onlyV7(sProp("cisco-id", "")),
	sProp("vpls-id", ""),
	withParse("mac-address", "", pMAC),
	sProp("l2mtu", "1500"),
	sProp("advertised-l2mtu", "1500"),
	sProp("pw-type", "raw-ethernet"),
	sProp("pw-l2mtu", "1500"),
	sProp("pw-control-word", "default"),
	bProp("disable-running-check", "no"),
	sProp("arp", "enabled"),
	sProp("arp-timeout", "auto"),
	sProp("bridge", ""),
	sProp("bridge-horizon", "none"),
	sProp("bridge-cost", "50"),
	sProp("bridge-path-cost", "50"),
	sProp("use-control-word", "default"),
))

func init() {
	vplsMenu.notEnforced = "rosemu does no MPLS: the VPLS pseudowire is stored and carries no packets"
	storedIfTables = append(storedIfTables, "interface vpls")
	insertMenus("interface eoip", vplsMenu)
}

// l2tpEtherMenu is RouterOS 7's /interface l2tp-ether: an L2TPv3
// Ethernet pseudowire (a 7.20 CCR1036 export: "add connect-to=...
// l2tp-proto-version=l2tpv3-udp name=l2tp-ether-DC use-ipsec=no"). A
// stored interface like the other tunnels. Source: the L2TP page of the
// manual (https://help.mikrotik.com/docs/display/ROS/L2TP) and that
// export.
var l2tpEtherMenu = tunnelMenu("interface l2tp-ether", tunnelCommon(
	sProp("connect-to", ""),
	withParse("src-address", "0.0.0.0", pAnyIP),
	bProp("allow-fast-path", "no"),
	sProp("circuit-id", ""),
	sProp("cookie-length", "0"),
	sProp("digest-hash", "md5"),
	sProp("ipsec-secret", ""),
	sProp("use-ipsec", "no"),
	sProp("l2tp-proto-version", "l2tpv3-udp"),
	bProp("use-l2-specific-sublayer", "no"),
	withParse("mac-address", "", pMAC),
	sProp("arp", "enabled"),
	sProp("arp-timeout", "auto"),
	sProp("keepalive-timeout", "60"),
	sProp("local-cookie", ""),
	sProp("remote-cookie", ""),
	sProp("unmanaged-mode", "no"),
))

func init() {
	l2tpEtherMenu.major = 7
	storedIfTables = append(storedIfTables, "interface l2tp-ether")
	insertMenus("interface eoip", l2tpEtherMenu)
}
