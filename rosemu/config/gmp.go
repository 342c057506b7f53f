package config

// /routing gmp (RouterOS 7.4+): an interface joins multicast groups as a
// receiver would, by IGMP or MLD, to test multicast routing and
// switching (a 7.x lab: "/routing gmp add disabled=no groups=239.0.0.1
// interfaces=vlan201 sources=10.2.1.2"). It was "bad command name gmp".
// rosemu sends no IGMP or MLD report: the joins are stored and reported.
// Source: the Group Management Protocol page of the manual
// (https://help.mikrotik.com/docs/spaces/ROS/pages/131366949/Group+Management+Protocol):
// groups, interfaces (interfaces and lists), sources, and exclude, a bare
// word.
var gmpMenu = &menu{
	path: "routing gmp", notEnforced: "rosemu sends no IGMP or MLD membership report: the interface joins no group",
	props: []*prop{
		{name: "groups", parse: pAddrs46, required: true},
		{name: "interfaces", parse: pIfsOrLists, required: true},
		withParse("sources", "", pAddrs46),
		bProp("exclude", "no"),
		comment, disabled,
	},
	columns: []string{"groups", "interfaces", "sources"},
}

func init() {
	gmpMenu.since7 = 4
	insertMenus("ip route", gmpMenu)
	flagProps(gmpMenu, "exclude")
}
