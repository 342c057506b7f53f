package config

// Properties and menus of 7.2x exports read by helper h10's pass, stored
// without enforcing (docs/rosemu-menus.md has the rows and sources).

// proxyDirectMenu is /ip proxy direct: which requests the web proxy sends
// straight to the server instead of through a parent proxy (a 7.24.2
// campus export: "add action=deny dst-port=80,443"). The proxy does not
// run in rosemu. Source: the Web Proxy page of the manual,
// https://help.mikrotik.com/docs/display/ROS/Web+Proxy (direct access
// list) [verify] the property list.
var proxyDirectMenu = &menu{
	path: "ip proxy direct", notEnforced: proxyReason, addOnly: []string{"place-before"},
	props: []*prop{
		eProp("action", "allow", "allow", "deny"),
		sProp("src-address", ""),
		sProp("dst-address", ""),
		sProp("dst-host", ""),
		sProp("dst-port", ""),
		sProp("local-port", ""),
		sProp("method", ""),
		sProp("path", ""),
		comment, disabled,
	},
	columns: []string{"src-address", "dst-host", "dst-port", "action"},
}

func init() {
	insertMenus("ip proxy access", proxyDirectMenu)
	// A 7.24.2 export's bridge with DHCP snooping's option 82 strings:
	// dhcp-agent-circuit-id="\$(INTERFACE):\$(VID)"
	// dhcp-agent-remote-id="\$(BRIDGEMAC)". [verify] the first 7.x and the
	// defaults against the Bridging and Switching page of the manual.
	bridgeMenu.props = append(bridgeMenu.props,
		onlyV7(&prop{name: "dhcp-agent-circuit-id", parse: pString, notEnforced: bridgeDHCPSnoopReason}),
		onlyV7(&prop{name: "dhcp-agent-remote-id", parse: pString, notEnforced: bridgeDHCPSnoopReason}))
	// The queue a DHCP server puts its leases' dynamic simple queues under
	// (the same 7.24.2 export: "add ... name=dhcp0-LokalNU
	// parent-queue=Lokal-NU"; DHCP page of the manual,
	// https://help.mikrotik.com/docs/display/ROS/DHCP).
	dhcpServerMenu.props = append(dhcpServerMenu.props,
		onlyV7(&prop{name: "parent-queue", parse: pString, notEnforced: "rosemu makes no simple queue for a lease"}))
	// Kid control's rate-limited hours per day beside the allowed ones
	// ("tur-mon=0s-1d ... tur-sun=0s-1d" of the 7.24.2 export; the
	// wiki's Kid-control page names rate-limit and time-rate-limited).
	// [verify] the names' meaning against the Kid Control page.
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		kidControlMenu.props = append(kidControlMenu.props, onlyV7(withParse("tur-"+d, "", pDayRange)))
	}
}
