package config

// packingReason says why /ip packing is stored only.
const packingReason = "rosemu does not pack or compress IP packets: the rule is stored"

// ipPackingMenu is /ip packing: packet aggregation and compression on an
// interface, as a 7.1 export carries it for an EoIP tunnel ("add
// disabled=yes interface=eoip-mesh packing=compress-all
// unpacking=compress-all"); it was refused as "bad command name
// packing". The properties and defaults are those of the IP Packing page
// of the manual, https://help.mikrotik.com/docs/display/ROS/IP+Packing.
var ipPackingMenu = &menu{
	path: "ip packing", notEnforced: packingReason,
	props: []*prop{
		{name: "interface", parse: pInterface, required: true},
		withParse("packing", "simple", pEnum("none", "simple", "compress-headers", "compress-all")),
		withParse("unpacking", "simple", pEnum("none", "simple", "compress-headers", "compress-all")),
		iProp("aggregated-size", "1500", 64, 65535),
		comment, disabled,
	},
	columns: []string{"interface", "packing", "unpacking", "aggregated-size"},
}

// /ip packing comes between the firewall and the routes in an export.
func init() {
	anchor := ""
	for i, m := range menus {
		if m.path == "ip route" && i > 0 {
			anchor = menus[i-1].path
			break
		}
	}
	insertMenus(anchor, ipPackingMenu)
}
