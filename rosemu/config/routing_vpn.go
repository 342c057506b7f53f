package config

// Menus of MPLS provider-edge exports, stored without enforcing (helper
// h10's pass over real exports): RouterOS 7's LDP label-binding filters
// (/mpls ldp accept-filter and advertise-filter, which a 7.x tower
// router's export writes by the hundred), BGP/MPLS VPNs (/routing bgp
// vpn: a VRF's route distinguisher and route targets), and IS-IS
// (/routing isis instance and interface-template of a 7.21 PE). None of
// them is run: rosemu does no MPLS, BGP or IS-IS.

const isisReason = "rosemu runs no IS-IS: no adjacencies form and no routes are learnt or announced"

var (
	// Sources: the LDP page of the manual
	// (https://help.mikrotik.com/docs/display/ROS/LDP, label binding
	// filtering) and a 7.x export ("add accept=no disabled=no
	// prefix=10.2.0.14/32"). RouterOS 6 has the same menus
	// (wiki.mikrotik.com Manual:MPLS/LDP) without vrf.
	mplsLdpAcceptFilterMenu = &menu{
		path: "mpls ldp accept-filter", notEnforced: mplsReason,
		props: []*prop{
			withParse("prefix", "", pPrefixList46),
			bProp("accept", "yes"),
			sProp("neighbor", ""),
			onlyV7(sProp("vrf", "main")),
			comment, disabled,
		},
		columns: []string{"prefix", "accept", "neighbor"},
	}
	mplsLdpAdvertiseFilterMenu = &menu{
		path: "mpls ldp advertise-filter", notEnforced: mplsReason,
		props: []*prop{
			withParse("prefix", "", pPrefixList46),
			bProp("advertise", "yes"),
			sProp("neighbor", ""),
			onlyV7(sProp("vrf", "main")),
			comment, disabled,
		},
		columns: []string{"prefix", "advertise", "neighbor"},
	}
	// /routing bgp vpn: the VPNv4 side of a VRF (RFC 4364, on the BGP
	// page of the manual, https://help.mikrotik.com/docs/display/ROS/BGP):
	// "add export.redistribute=connected .route-targets=65000:100
	// import.route-targets=65000:100 label-allocation-policy=per-vrf
	// name=bgp-mpls-vpn-1 route-distinguisher=65000:100 vrf=CE1" of a 7.16
	// export; a 7.21 one adds instance=.
	bgpVPNMenu = &menu{
		path: "routing bgp vpn", nameProp: "name", major: 7, notEnforced: bgpReason,
		props: []*prop{
			{name: "name", parse: pChain},
			{name: "vrf", parse: pNamed("ip vrf"), required: true},
			sProp("route-distinguisher", ""),
			eProp("label-allocation-policy", "per-prefix", "per-prefix", "per-vrf"),
			sProp("instance", ""),
			sProp("export.redistribute", ""),
			sProp("export.route-targets", ""),
			sProp("export.filter-chain", ""),
			sProp("export.filter-select", ""),
			sProp("import.route-targets", ""),
			sProp("import.router-id", ""),
			sProp("import.filter-chain", ""),
			comment, disabled,
		},
		columns: []string{"name", "vrf", "route-distinguisher"},
	}
	// /routing bgp evpn (7.20 exports of an EVPN/VXLAN leaf: "add
	// disabled=no export.route-targets=1104:1104
	// import.route-targets=1104:1104 instance=bgp-instance-1
	// name=bgp-evpn-1 vni=1010"): the EVPN instance a VXLAN's VNI is
	// announced in, on the BGP page of the manual
	// (https://help.mikrotik.com/docs/display/ROS/BGP, /routing bgp evpn:
	// name, instance, export and import route targets). [verify] the
	// first 7.x and the remaining export/import properties.
	bgpEVPNMenu = &menu{
		path: "routing bgp evpn", nameProp: "name", major: 7, notEnforced: bgpReason,
		props: []*prop{
			{name: "name", parse: pChain},
			sProp("instance", ""),
			iProp("vni", "", 1, 16777215),
			sProp("route-distinguisher", ""),
			sProp("export.route-targets", ""),
			sProp("export.filter-chain", ""),
			sProp("import.route-targets", ""),
			sProp("import.filter-chain", ""),
			comment, disabled,
		},
		columns: []string{"name", "instance", "vni"},
	}
	// /routing isis (RouterOS 7): "add areas=49.0001 name=CORE
	// system-id=0000.0AFF.0003" and "add instance=CORE
	// interfaces=ether1,ether4 levels=l2 ptp" of a 7.21.4 PE export.
	// [verify] names and defaults against the manual's IS-IS page, which
	// the search tool did not show (an unofficial copy:
	// https://mikrotikdocs.fyi/routing/is-is).
	isisInstanceMenu = &menu{
		path: "routing isis instance", nameProp: "name", major: 7, notEnforced: isisReason,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			sProp("areas", ""),
			sProp("system-id", ""),
			sProp("vrf", "main"),
			sProp("afi", "ip,ipv6"),
			sProp("levels", "l1,l2"),
			sProp("l1.originate-default", ""),
			sProp("l2.originate-default", ""),
			sProp("l1.redistribute", ""),
			sProp("l2.redistribute", ""),
			sProp("l1.in-filter-chain", ""),
			sProp("l2.in-filter-chain", ""),
			sProp("l1.out-filter-chain", ""),
			sProp("l2.out-filter-chain", ""),
			comment, disabled,
		},
		check:   checkUniqueName("routing isis instance", "entry with such name already exists"),
		columns: []string{"name", "areas", "system-id"},
	}
	isisTemplateMenu = &menu{
		path: "routing isis interface-template", major: 7, notEnforced: isisReason,
		props: []*prop{
			{name: "instance", parse: pNamed("routing isis instance"), required: true},
			withParse("interfaces", "", pIfsOrLists),
			sProp("levels", "l1,l2"),
			bProp("ptp", "no"),
			bProp("passive", "no"),
			sProp("l1.metric", ""),
			sProp("l2.metric", ""),
			sProp("l1.priority", ""),
			sProp("l2.priority", ""),
			sProp("l1.hello-interval", ""),
			sProp("l2.hello-interval", ""),
			comment, disabled,
		},
		columns: []string{"instance", "interfaces", "levels"},
	}
)

func init() {
	insertMenus("mpls ldp interface", mplsLdpAcceptFilterMenu, mplsLdpAdvertiseFilterMenu)
	insertMenus("routing bgp connection", bgpVPNMenu, bgpEVPNMenu)
	insertMenus("routing id", isisInstanceMenu)
	insertMenus("routing ospf interface-template", isisTemplateMenu)
	flagProps(isisTemplateMenu, "ptp", "passive")
	bareFlags(isisTemplateMenu, "ptp", "passive")
	// A 7.16 tower router's pseudowires: "add ... cisco-static-id=1247
	// peer=10.254.247.3 pw-type=raw-ethernet" (the VPLS page of the manual,
	// https://help.mikrotik.com/docs/display/ROS/VPLS). [verify] the
	// remote id's name.
	vplsMenu.props = append(vplsMenu.props, onlyV7(sProp("cisco-static-id", "")), onlyV7(sProp("cisco-static-remote-id", "")))
	// The LACP key a 7.x bond writes ("add lacp-user-key=1 mode=802.3ad
	// ..."; Bonding page of the manual). [verify] the first 7.x.
	bondingMenu.props = append(bondingMenu.props, onlyV7(iProp("lacp-user-key", "0", 0, 1023)))
}

// RouterOS 6's BGP side of MPLS VPNs, on the PE routers of a 6.49.4 ISP
// lab: "/routing bgp instance vrf add redistribute-other-bgp=yes
// routing-mark=\"Client office 1\"" (which routes of a VRF, named by its
// routing mark of /ip route vrf, a BGP instance sends as VPNv4) and
// "/interface vpls bgp-vpls add bridge=bridge-vpls bridge-horizon=101
// export-route-targets=1:2 import-route-targets=1:2 name=vpls
// route-distinguisher=1:2" (VPLS pseudowires signalled by BGP, RFC 4761).
// RouterOS 7 has /routing bgp vpn for the first and no bgp-vpls menu
// [verify]. Sources: the v6 wiki's Manual:Virtual Routing and Forwarding
// (https://wiki.mikrotik.com/Manual:Virtual_Routing_and_Forwarding) and
// Manual:Interface/VPLS
// (https://wiki.mikrotik.com/index.php?title=Manual:Interface/VPLS&oldid=21654);
// the defaults not in the excerpts are [verify].
var (
	bgpInstanceVrfMenu = &menu{
		path: "routing bgp instance vrf", major: 6, notEnforced: bgpReason,
		props: []*prop{
			sProp("instance", "default"),
			{name: "routing-mark", parse: pString, required: true},
			bProp("redistribute-connected", "no"),
			bProp("redistribute-static", "no"),
			bProp("redistribute-rip", "no"),
			bProp("redistribute-ospf", "no"),
			bProp("redistribute-other-bgp", "no"),
			sProp("in-filter", ""),
			sProp("out-filter", ""),
			comment, disabled,
		},
		columns: []string{"instance", "routing-mark"},
	}
	bgpVplsMenu = &menu{
		path: "interface vpls bgp-vpls", nameProp: "name", major: 6,
		notEnforced: "rosemu does no MPLS or BGP: no VPLS pseudowire is signalled",
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			sProp("bridge", ""),
			sProp("bridge-cost", "50"),
			sProp("bridge-horizon", "none"),
			sProp("control-word", "default"),
			sProp("export-route-targets", ""),
			sProp("import-route-targets", ""),
			sProp("pw-l2mtu", "1500"),
			sProp("pw-type", "raw-ethernet"),
			sProp("route-distinguisher", ""),
			sProp("site-id", ""),
			comment, disabled,
		},
		check:   checkUniqueName("interface vpls bgp-vpls", "entry with such name already exists"),
		columns: []string{"name", "bridge", "route-distinguisher"},
	}
)

func init() {
	insertMenus("interface vpls", bgpVplsMenu)
	insertMenus("routing bgp instance", bgpInstanceVrfMenu)
}
