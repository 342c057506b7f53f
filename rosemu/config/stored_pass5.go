package config

// Properties and menus of 7.2x exports read by helper h10's pass, stored
// without enforcing (docs/rosemu-menus.md has the rows and sources).

// proxyDirectMenu is /ip proxy direct: which requests the web proxy sends
// straight to the server instead of through a parent proxy (a 7.24.2
// campus export: "add action=deny dst-port=80,443"). The proxy does not
// run in rosemu. Source: the Proxy page of the manual,
// https://help.mikrotik.com/docs/spaces/ROS/pages/132350000/Proxy ("Direct
// Access List - to specify which resources should be accessed directly,
// and which - through another proxy server") [verify] the property list.
var proxyDirectMenu = &menu{
	path: "ip proxy direct", notEnforced: proxyReason, addOnly: []string{"place-before"},
	props:   append(append([]*prop{eProp("action", "allow", "allow", "deny")}, proxyMatchers()...), comment, disabled),
	columns: []string{"src-address", "dst-host", "dst-port", "action"},
}

func init() {
	insertMenus("ip proxy access", proxyDirectMenu)
	// A 7.24.2 export's bridge with DHCP snooping's option 82 strings:
	// dhcp-agent-circuit-id="\$(INTERFACE):\$(VID)"
	// dhcp-agent-remote-id="\$(BRIDGEMAC)". [verify] the first 7.x and the
	// defaults against the Bridging and Switching page of the manual.
	bridgeMenu.props = append(bridgeMenu.props,
		onlyV7(&prop{name: "dhcp-agent-circuit-id", parse: pString, notEnforced: bridgeOption82Reason}),
		onlyV7(&prop{name: "dhcp-agent-remote-id", parse: pString, notEnforced: bridgeOption82Reason}))
	// The queue a DHCP server puts its leases' dynamic simple queues under
	// (the same 7.24.2 export: "add ... name=dhcp0-LokalNU
	// parent-queue=Lokal-NU"; DHCP page of the manual,
	// https://help.mikrotik.com/docs/display/ROS/DHCP). RouterOS 6 has
	// it too: 6.48.6 and 6.49.8 exports of an ISP's routers write
	// parent-queue="--------ALL TRAFIK--------" beside insert-queue-before.
	dhcpServerMenu.props = append(dhcpServerMenu.props,
		&prop{name: "parent-queue", parse: pString, notEnforced: leaseQueueServerStored})
	// Kid control's rate-limited hours per day beside the allowed ones
	// ("tur-mon=0s-1d ... tur-sun=0s-1d" of the 7.24.2 export; the
	// wiki's Kid-control page names rate-limit and time-rate-limited).
	// [verify] the names' meaning against the Kid Control page.
	// RouterOS 6 has them too: 6.48.6 and 6.49 exports write the same
	// built-in "system-dummy" entry with tur-mon ... tur-sun (h22).
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		kidControlMenu.props = append(kidControlMenu.props, withParse("tur-"+d, "", pDayRange))
	}
}

// /system keymat-provider (RouterOS 7.24): a key provider for IPsec, which
// a 7.24.4 export writes as "add disabled=yes key-size=0 name=default
// qkd-cache-size=0 qkd-certificate=*0 type=qkd" (a verbose one adds
// hkdf-hash=sha256 qkd-address="" qkd-kme-id="" qkd-peer-sae-id=""); a
// public tool's notes say RouterOS 7.24.4 added the line to /export and
// dropped it again on its own. Stored; rosemu fetches no keys. [verify]
// against the manual, which the search tool did not show.
var keymatProviderMenu = &menu{
	path: "system keymat-provider", nameProp: "name", major: 7,
	notEnforced: "rosemu fetches no keys from a key provider",
	props: []*prop{
		{name: "name", parse: pChain, required: true},
		sProp("type", "qkd"),
		sProp("key-size", ""),
		sProp("hkdf-hash", "sha256"),
		sProp("qkd-address", ""),
		sProp("qkd-cache-size", ""),
		sProp("qkd-certificate", "none"),
		sProp("qkd-kme-id", ""),
		sProp("qkd-peer-sae-id", ""),
		comment, disabled,
	},
	columns: []string{"name", "type", "key-size"},
}

// /ipv6 dhcp-server option: DHCPv6 options by code and value, as
// /ip dhcp-server option has them for DHCPv4 ("add code=23
// name=option23-dnsserver value=\"'fd00::1'\"" of home-router
// configurations, "add code=59 name=prov-url-v6 ..." of a VoIP one).
// Source: the DHCP page of the manual
// (https://help.mikrotik.com/docs/display/ROS/DHCP) [verify] the code
// range.
var ipv6DHCPOptionMenu = &menu{
	path: "ipv6 dhcp-server option", nameProp: "name", notEnforced: ipv6DHCPReason,
	props: []*prop{
		{name: "name", parse: pItemName, required: true},
		{name: "code", parse: pInt(1, 65535), required: true},
		{name: "value", parse: pString},
		comment,
	},
	check:   checkUniqueName("ipv6 dhcp-server option", "option with such name already exists"),
	columns: []string{"name", "code", "value"},
}

// /ipv6 nd proxy (RouterOS 7): the router answers neighbor solicitations
// for one address on an interface ("add address=2001:db8:971f:1f00::
// comment=\"missing DUID\" interface=\"PPOE 1\"" of a home router's
// configuration). Source: the manual's CLI reference for ipv6/nd
// (https://manual.mikrotik.com/docs/cli-reference/ipv6/nd) [verify]
// the first 7.x.
var ipv6NDProxyMenu = &menu{
	path: "ipv6 nd proxy", major: 7, notEnforced: ipv6NDProxyReason,
	props: []*prop{
		{name: "address", parse: pString, required: true},
		{name: "interface", parse: pInterface, required: true},
		comment, disabled,
	},
	columns: []string{"address", "interface"},
}

func init() {
	insertMenus("system identity", keymatProviderMenu)
	insertMenus("ipv6 dhcp-server", ipv6DHCPOptionMenu)
	insertMenus("ipv6 nd", ipv6NDProxyMenu)
}

// RouterOS 6.28 had RoMON at /romon and /romon port; later versions moved
// it to /tool romon (the wiki's Manual:Tools/RoMON: "RoMON feature is
// configured in /romon menu at version 6.28 and under /tool romon menu
// after version 6.28"). A 6.28 export writes "/romon port add
// disabled=no", the port entry for all interfaces. Both are stored like
// /tool romon; rosemu takes them on every 6.x.
var (
	romon628Menu = &menu{
		path: "romon", single: true, major: 6, notEnforced: romonReason,
		props: []*prop{
			bProp("enabled", "no"),
			withParse("id", "00:00:00:00:00:00", pMAC),
		},
	}
	romon628PortMenu = &menu{
		path: "romon port", major: 6, notEnforced: romonReason,
		props: []*prop{
			withParse("interface", "all", pIfOrAll),
			bProp("forbid", "no"),
			iProp("cost", "100", 1, 65535),
			comment, disabled,
		},
		columns: []string{"interface", "forbid", "cost"},
	}
)

func init() { insertMenus("tool romon port", romon628Menu, romon628PortMenu) }
