package config

// /routing igmp-proxy and /routing igmp-proxy interface: the IGMP proxy
// that IPTV home and ISP exports carry ("add alternative-subnets=0.0.0.0/0
// interface=ether1 upstream=yes" and a downstream "add interface=bridge").
// RouterOS 7 has it in the system package, RouterOS 6 in the multicast
// package (IGMP Proxy page of the manual,
// https://help.mikrotik.com/docs/x/NgDDBw). rosemu forwards no multicast:
// the settings are stored and reported.

const igmpProxyReason = "rosemu runs no IGMP proxy: no multicast is forwarded between the interfaces"

var (
	igmpProxyMenu = &menu{
		path: "routing igmp-proxy", single: true, notEnforced: igmpProxyReason,
		props: []*prop{
			withParse("query-interval", "2m5s", pTime),
			withParse("query-response-interval", "10s", pTime),
			bProp("quick-leave", "no"),
		},
	}
	igmpProxyIfMenu = &menu{
		path: "routing igmp-proxy interface", notEnforced: igmpProxyReason,
		props: []*prop{
			withParse("interface", "all", pIfOrAll),
			withParse("alternative-subnets", "", pPrefixList46),
			withParse("threshold", "1", pInt(0, 1<<31-1)),
			bProp("upstream", "no"),
			comment, disabled,
		},
		columns: []string{"interface", "upstream", "threshold", "alternative-subnets"},
	}
)

// Both menus are placed by routing.go's init, before /routing rule.
