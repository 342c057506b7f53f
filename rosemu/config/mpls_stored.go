package config

// MPLS menus of ISP exports, stored without enforcing: RouterOS 6's
// /mpls and /mpls ldp settings ("set enabled=yes lsr-id=10.0.0.1
// transport-address=10.0.0.1"), RouterOS 7's /mpls settings and /mpls
// ldp list ("add afi=ip lsr-id=10.0.0.1 transport-addresses=10.0.0.1"),
// the LDP interfaces and /mpls interface of both. Names and defaults
// follow the MPLS and LDP pages of the manual.

const mplsReason = "rosemu does no MPLS: no labels are distributed or switched"

var (
	mplsV6Menu = &menu{
		path: "mpls", single: true, major: 6, notEnforced: mplsReason,
		props: []*prop{
			sProp("dynamic-label-range", "16-1048575"),
			bProp("propagate-ttl", "yes"),
		},
	}
	mplsSettingsMenu = &menu{
		path: "mpls settings", single: true, major: 7, notEnforced: mplsReason,
		props: []*prop{
			sProp("dynamic-label-range", "16-1048575"),
			bProp("propagate-ttl", "yes"),
			bProp("allow-fast-path", "yes"),
		},
	}
	mplsLdpV6Menu = &menu{
		path: "mpls ldp", single: true, major: 6, notEnforced: mplsReason,
		props: []*prop{
			bProp("enabled", "no"),
			withParse("lsr-id", "0.0.0.0", pIP),
			withParse("transport-address", "0.0.0.0", pIP),
			iProp("path-vector-limit", "255", 1, 255),
			iProp("hop-limit", "255", 1, 255),
			bProp("loop-detect", "no"),
			bProp("use-explicit-null", "no"),
			bProp("distribute-for-default-route", "no"),
		},
	}
	mplsLdpV7Menu = &menu{
		path: "mpls ldp", table: "mpls ldp v7", major: 7, notEnforced: mplsReason,
		props: []*prop{
			eProp("afi", "ip", "ip", "ipv6", "ip,ipv6"),
			withParse("lsr-id", "0.0.0.0", pIP),
			sProp("transport-addresses", ""),
			sProp("vrf", "main"),
			bProp("distribute-for-default", "no"),
			iProp("hop-limit", "255", 1, 255),
			bProp("loop-detect", "no"),
			iProp("path-vector-limit", "255", 1, 255),
			eProp("preferred-afi", "ipv4", "ipv4", "ipv6"),
			bProp("use-explicit-null", "no"),
			comment, disabled,
		},
		columns: []string{"afi", "lsr-id", "transport-addresses"},
	}
	mplsLdpIfaceMenu = &menu{
		path: "mpls ldp interface", notEnforced: mplsReason,
		props: []*prop{
			{name: "interface", parse: pIfOrAll, required: true},
			withParse("hello-interval", "5s", pTime),
			withParse("hold-time", "15s", pTime),
			bProp("accept-dynamic-neighbors", "yes"),
			onlyV6(withParse("transport-address", "0.0.0.0", pIP)),
			onlyV7(sProp("transport-addresses", "")),
			onlyV7(eProp("afi", "ip", "ip", "ipv6", "ip,ipv6")),
			comment, disabled,
		},
		columns: []string{"interface", "hello-interval", "hold-time"},
	}
	mplsIfaceMenu = &menu{
		path: "mpls interface", notEnforced: mplsReason,
		props: []*prop{
			{name: "interface", parse: pIfOrAll, required: true},
			onlyV6(iProp("mpls-mtu", "1508", 512, 65535)),
			onlyV7(iProp("mpls-mtu", "1500", 512, 65535)),
			onlyV7(bProp("input", "yes")),
			comment, disabled,
		},
		columns: []string{"interface", "mpls-mtu"},
	}
)

func init() {
	insertMenus("ip route", mplsV6Menu, mplsSettingsMenu, mplsIfaceMenu, mplsLdpV6Menu, mplsLdpV7Menu, mplsLdpIfaceMenu)
}
