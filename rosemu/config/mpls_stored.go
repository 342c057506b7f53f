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
			// A 6.49.7 verbose export: "set allow-fast-path=yes
			// dynamic-label-range=16-1048575 propagate-ttl=yes".
			bProp("allow-fast-path", "yes"),
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

// RouterOS 6's MPLS traffic engineering (RSVP-TE), on the PE and P
// routers of ISP exports (a 6.49.4 MPLS lab: "/mpls traffic-eng
// tunnel-path add name=To-PE2 record-route=yes", "/interface traffic-eng
// add bandwidth=100kbps disabled=no name=To-PE2 primary-path=To-PE2
// record-route=yes to-address=10.1.1.8", "/mpls traffic-eng interface add
// bandwidth=1Mbps interface=vlan1009-to-P1"). The TE tunnel is an
// interface: a stored one, like the other tunnels. A TE tunnel is
// disabled until disabled=no, as that export writes it. Names and
// defaults: the v6 wiki's Manual:MPLS/Traffic-eng
// (https://wiki.mikrotik.com/index.php?title=Manual:MPLS/Traffic-eng&printable=yes)
// and Manual:Interface/Traffic Engineering
// (https://wiki.mikrotik.com/index.php?oldid=16554&title=Manual%3AInterface%2FTraffic_Engineering).
// RouterOS 7 rewrote RSVP-TE; its menus are not modelled [verify].
const mplsTEReason = "rosemu does no MPLS: no RSVP-TE tunnel is signalled and no bandwidth is reserved"

var (
	mplsTEInterfaceMenu = &menu{
		path: "mpls traffic-eng interface", major: 6, notEnforced: mplsTEReason,
		props: []*prop{
			{name: "interface", parse: pIfOrAll, required: true},
			sProp("bandwidth", "0bps"),
			iProp("blockade-k-factor", "3", 0, 1<<16),
			sProp("down-flood-thresholds", "15,30,45,60,75,80,85,90,95,97,98,99,100"),
			withParse("igp-flood-period", "3m", pTime),
			iProp("k-factor", "3", 0, 1<<16),
			withParse("refresh-time", "30s", pTime),
			sProp("resource-class", "0"),
			iProp("te-metric", "1", 0, 1<<31-1),
			sProp("up-flood-thresholds", "15,30,45,60,75,80,85,90,95,97,98,99,100"),
			bProp("use-udp", "no"),
			comment, disabled,
		},
		columns: []string{"interface", "bandwidth"},
	}
	mplsTEPathMenu = &menu{
		path: "mpls traffic-eng tunnel-path", nameProp: "name", major: 6, notEnforced: mplsTEReason,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			sProp("affinity-exclude", ""),
			sProp("affinity-include-all", ""),
			sProp("affinity-include-any", ""),
			sProp("hops", ""),
			sProp("holding-priority", ""),
			bProp("record-route", "no"),
			sProp("reoptimize-interval", ""),
			sProp("setup-priority", ""),
			bProp("use-cspf", "no"),
			comment, disabled,
		},
		check:   checkUniqueName("mpls traffic-eng tunnel-path", "entry with such name already exists"),
		columns: []string{"name", "use-cspf"},
	}
	trafficEngMenu = &menu{
		path: "interface traffic-eng", nameProp: "name", major: 6, notEnforced: mplsTEReason,
		props: []*prop{
			{name: "name", parse: pIfName, required: true},
			withParse("mtu", "auto", pIntOr("auto", 0, 65535)),
			sProp("affinity-exclude", ""),
			sProp("affinity-include-all", ""),
			sProp("affinity-include-any", ""),
			withParse("auto-bandwidth-avg-interval", "5m", pTime),
			sProp("auto-bandwidth-range", "0bps"),
			sProp("auto-bandwidth-reserve", "0%"),
			withParse("auto-bandwidth-update-interval", "1h", pTime),
			sProp("bandwidth", "0bps"),
			sProp("bandwidth-limit", "disabled"),
			bProp("disable-running-check", "no"),
			sProp("from-address", "auto"),
			sProp("holding-priority", ""),
			{name: "primary-path", parse: pNamed("mpls traffic-eng tunnel-path")},
			sProp("primary-retry-interval", ""),
			bProp("record-route", "no"),
			sProp("reoptimize-interval", ""),
			sProp("secondary-paths", ""),
			sProp("setup-priority", ""),
			withParse("to-address", "", pAnyIP),
			comment,
			bProp("disabled", "yes"),
		},
		check: func(t *tx, it *item) error {
			if _, ok := it.props["disabled"]; !ok {
				it.props["disabled"] = "yes"
			}
			return checkStoredIfName("interface traffic-eng")(t, it)
		},
		columns: []string{"name", "to-address", "bandwidth"},
	}
)

func init() {
	storedIfTables = append(storedIfTables, "interface traffic-eng")
	// Export order: a TE tunnel names its path, which comes first, as
	// in RouterOS's export; the TE interfaces follow the LDP ones.
	insertMenus("interface vlan", mplsTEPathMenu, trafficEngMenu)
	insertMenus("mpls ldp interface", mplsTEInterfaceMenu)
}
