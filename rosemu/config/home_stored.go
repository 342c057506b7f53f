package config

import "strings"

// Menus of home and small-business exports that rosemu stores without
// enforcing: parental control (kid-control), DNS forwarders of 7.17+,
// DHCP server matchers, and the hotspot's servers, users, bindings and
// walled garden (the profiles are in misc_stored.go). fasttrack's
// hw-offload, in the default configuration of 7.x routers with a switch
// chip, is stored on the firewall's fasttrack rules.

const (
	kidReason       = "rosemu enforces no kid-control schedules or rate limits"
	forwarderReason = "rosemu's DNS service does not use DoH: a FWD entry that names this forwarder asks its dns-servers only (the router's own servers when it has none)"
	matcherReason   = "rosemu's DHCP server does not match options: every client gets the server's own pool"
	hwOffloadReason = "rosemu has no switch chip: fasttracked connections are handled by the kernel"
)

// pDayRange is a kid-control day: a time range "0s-1d" or empty.
func pDayRange(t *tx, name, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	from, to, ok := cutDash(v)
	if !ok {
		return "", errInvalid(name)
	}
	if _, err := pTime(t, name, from); err != nil {
		return "", err
	}
	if _, err := pTime(t, name, to); err != nil {
		return "", err
	}
	return v, nil
}

func cutDash(v string) (string, string, bool) {
	for i := 1; i < len(v); i++ {
		if v[i] == '-' {
			return v[:i], v[i+1:], i+1 < len(v)
		}
	}
	return "", "", false
}

func kidDays() []*prop {
	var ps []*prop
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		ps = append(ps, withParse(d, "", pDayRange))
	}
	return ps
}

var (
	kidControlMenu = &menu{
		path: "ip kid-control", nameProp: "name", notEnforced: kidReason,
		props: append([]*prop{
			{name: "name", parse: pChain, required: true},
			sProp("rate-limit", ""),
			comment, disabled,
		}, kidDays()...),
		check:   checkUniqueName("ip kid-control", "entry with such name already exists"),
		columns: []string{"name", "rate-limit"},
	}
	kidDeviceMenu = &menu{
		path: "ip kid-control device", nameProp: "name", notEnforced: kidReason,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			{name: "user", parse: pNamed("ip kid-control"), required: true},
			withParse("mac-address", "", pMAC),
			comment, disabled,
		},
		columns: []string{"name", "user", "mac-address"},
	}
	// dnsForwardersMenu is RouterOS 7.17's named forwarders, which a FWD
	// static entry names in forward-to (pForwardTo); the DNS service asks
	// their dns-servers (forwarderAddrs), so only doh-servers is stored
	// without being enforced: the entry itself is, and it was reported as
	// not enforced while a run used it (forum28 D6). Versions before 7.17
	// have no such menu and refuse the word (bad command name forwarders).
	// [verify] the first 7.x with the menu.
	dnsForwardersMenu = &menu{
		path: "ip dns forwarders", nameProp: "name", since7: 17,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			withParse("dns-servers", "", pServers),
			notEnforcedProp(sProp("doh-servers", ""), forwarderReason),
			bProp("verify-doh-cert", "yes"),
			comment, disabled,
		},
		check:   checkUniqueName("ip dns forwarders", "entry with such name already exists"),
		columns: []string{"name", "dns-servers", "doh-servers"},
	}
	// dnsAdlistMenu came with RouterOS 7.15 (the DNS page's Adlist
	// section; lists for it say "minimal v7.15"): 6.x and 7.0-7.14 refuse
	// the word, as forwarders before 7.17 (forum40 D1). [verify] the
	// first 7.x on a router. A file= list is loaded and enforced
	// (dns_adlist.go); a url= list is stored: the lab reaches no
	// outside address to fetch it from.
	dnsAdlistMenu = &menu{
		path: "ip dns adlist", since7: 15,
		props: []*prop{
			// A disabled entry is not fetched on RouterOS either: it asks
			// nothing (realcheck29 N10: a 7.23.1 export's disabled list).
			{name: "url", parse: pString, show: true, notEnforced: adlistURLReason, inert: func(p map[string]string) bool { return p["disabled"] == "yes" }},
			{name: "file", parse: pString, show: true},
			bProp("ssl-verify", "yes"),
			comment, disabled,
		},
		check:    checkAdlist,
		readonly: adlistStats,
		columns:  []string{"url", "file"},
	}
	dhcpMatcherMenu = &menu{
		path: "ip dhcp-server matcher", nameProp: "name", notEnforced: matcherReason,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			{name: "server", parse: pIfOrAllServer, required: true},
			{name: "address-pool", parse: pNamed("ip pool"), required: true},
			{name: "code", parse: pInt(1, 254), required: true},
			sProp("value", ""),
			eProp("matching-type", "exact", "exact", "substring"),
			sProp("option-set", ""),
			comment, disabled,
		},
		columns: []string{"name", "server", "code", "value", "address-pool"},
	}
	// dhcpVendorClassV6Menu is RouterOS 6's DHCP vendor class matcher
	// (the "Vendor Classes" part of the v6 manual's DHCP page, since
	// 6.45): a client whose option 60 is vid gets its lease from
	// address-pool. RouterOS 7 has the generic matcher above instead. A
	// 6.48.4 RB4011 export writes "/ip dhcp-server vendor-class-id add
	// address-pool=pool-vendor name=vendor-mikrotik-caps server=main-dhcp-server
	// vid=mikrotik-cap". [verify] whether early 7.x kept the menu.
	dhcpVendorClassV6Menu = &menu{
		path: "ip dhcp-server vendor-class-id", nameProp: "name", notEnforced: matcherReason,
		since6: 45, before7: 1,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			{name: "server", parse: pIfOrAllServer, required: true},
			// Optional: a 6.49.8 export writes disabled classes without
			// one ("add disabled=yes name=\"Android 4.2\" server=dhcp1
			// vid=dhcpcd-5.5.6").
			withParse("address-pool", "", pPoolOrStaticOnly),
			{name: "vid", parse: pString, required: true},
			comment, disabled,
		},
		columns: []string{"name", "server", "vid", "address-pool"},
	}
	hotspotMenu = &menu{
		path: "ip hotspot", nameProp: "name", notEnforced: hotspotReason,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			{name: "interface", parse: pInterface, required: true},
			withParse("address-pool", "none", pPoolOrNone),
			namedDefault("profile", "default", "ip hotspot profile"),
			sProp("addresses-per-mac", "2"),
			sProp("idle-timeout", "5m"),
			sProp("keepalive-timeout", "none"),
			sProp("login-timeout", "none"),
			// Written at no too: every real export of an enabled
			// hotspot server writes disabled=no (6.23 to 7.20.6), the
			// 7.x ones beside DHCP servers that write none
			// (realcheck36 D1).
			comment, writtenAlways(copyProp(disabled)),
		},
		columns: []string{"name", "interface", "address-pool", "profile"},
	}
	hotspotUserMenu = &menu{
		path: "ip hotspot user", nameProp: "name", notEnforced: hotspotReason,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			{name: "password", parse: pString, sensitive: true},
			sProp("server", "all"),
			namedDefault("profile", "default", "ip hotspot user profile"),
			withParse("address", "0.0.0.0", pAnyIP),
			withParse("mac-address", "", pMAC),
			sProp("limit-uptime", ""),
			sProp("limit-bytes-in", ""),
			sProp("limit-bytes-out", ""),
			sProp("limit-bytes-total", ""),
			sProp("routes", ""),
			sProp("email", ""),
			comment, disabled,
		},
		columns: []string{"server", "name", "address", "profile"},
	}
	hotspotBindingMenu = &menu{
		path: "ip hotspot ip-binding", notEnforced: hotspotReason,
		// Ordered lists, taken top to bottom (the hotspot pages of the
		// manual): add takes place-before as the firewall tables do.
		addOnly: []string{"place-before"},
		props: []*prop{
			withParse("mac-address", "", pMAC),
			withParse("address", "", pHostOrPrefix),
			withParse("to-address", "", pAnyIP),
			sProp("server", "all"),
			eProp("type", "regular", "regular", "bypassed", "blocked"),
			comment, disabled,
		},
		columns: []string{"mac-address", "address", "to-address", "type"},
	}
	hotspotGardenMenu = &menu{
		path: "ip hotspot walled-garden", notEnforced: hotspotReason,
		// Ordered lists, taken top to bottom (the hotspot pages of the
		// manual): add takes place-before as the firewall tables do.
		addOnly: []string{"place-before"},
		props: []*prop{
			sProp("dst-host", ""),
			sProp("dst-port", ""),
			sProp("dst-address", ""),
			sProp("src-address", ""),
			sProp("path", ""),
			sProp("method", ""),
			sProp("server", ""),
			eProp("action", "allow", "allow", "deny"),
			comment, disabled,
		},
		columns: []string{"action", "dst-host", "server"},
	}
	hotspotGardenIPMenu = &menu{
		path: "ip hotspot walled-garden ip", notEnforced: hotspotReason, addUnsetAll: true,
		// Ordered lists, taken top to bottom (the hotspot pages of the
		// manual): add takes place-before as the firewall tables do.
		addOnly: []string{"place-before"},
		props: []*prop{
			sProp("dst-host", ""),
			sProp("dst-address", ""),
			sProp("dst-address-list", ""),
			sProp("dst-port", ""),
			sProp("src-address", ""),
			sProp("src-address-list", ""),
			sProp("protocol", ""),
			sProp("server", ""),
			eProp("action", "accept", "accept", "drop", "reject"),
			comment, disabled,
		},
		columns: []string{"action", "dst-address", "dst-host"},
	}
)

// pForwardTo is a static FWD entry's forward-to: addresses, or the name
// of an /ip dns forwarders entry (RouterOS 7.17 and later).
func pForwardTo(t *tx, name, v string) (string, error) {
	if v != "" && !strings.ContainsAny(v, ",:") && t.findByName("ip dns forwarders", v) != nil {
		return v, nil
	}
	// localhost: the router's own servers, so that the entry only adds
	// the answers to its address-list (the allow-domains lists of
	// selective routing: "add address-list=allow-domains forward-to=
	// localhost match-subdomain=yes name=example.ru type=FWD", a 7.21
	// export). The DNS service then asks the servers of /ip dns, as for
	// an empty forward-to. [verify] the first 7.x that takes it.
	if v == "localhost" && t != nil && t.r != nil && !t.v6() {
		return v, nil
	}
	return pServers(t, name, v)
}

// forwarderAddrs replaces a forwarder's name in forward-to with its
// dns-servers, which the DNS service then asks as it asks addresses.
func forwarderAddrs(m *model, v string) string {
	for _, it := range m.tables["ip dns forwarders"] {
		if it.props["name"] == v && !it.disabled() {
			return it.props["dns-servers"]
		}
	}
	return v
}

// pIfOrAllServer is a DHCP server's name or all.
func pIfOrAllServer(t *tx, name, v string) (string, error) {
	if v == "all" || t.findByName("ip dhcp-server", v) != nil {
		return v, nil
	}
	return "", errNoMatch(name)
}

// pPoolOrStaticOnly is an /ip pool name or static-only (the v6 vendor
// class: the client gets only a lease made for it).
func pPoolOrStaticOnly(t *tx, name, v string) (string, error) {
	if v == "static-only" || t.findByName("ip pool", v) != nil {
		return v, nil
	}
	return "", errNoMatch(name)
}

// pPoolOrNone is an /ip pool name or none.
func pPoolOrNone(t *tx, name, v string) (string, error) {
	if v == "none" || t.findByName("ip pool", v) != nil {
		return v, nil
	}
	return "", errNoMatch(name)
}

func init() {
	// The CAPsMAN address a DHCP network hands out (option 138), in the
	// default configuration of CAPsMAN controllers.
	n := menuByPath("ip dhcp-server network")
	n.props = append(n.props, &prop{name: "caps-manager", parse: pAddrList4, notEnforced: "rosemu's DHCP server sends no CAPsMAN option (138)"})
	dnsStaticMenu.prop("forward-to").parse = pForwardTo
	// address-list came with RouterOS 7.5, with match-subdomain (7.5
	// changelog: "dns - added "address-list" parameter for static DNS
	// entries").
	// The DNS service adds the answers' addresses to the list
	// (dnslist.go).
	dnsStaticMenu.props = append(dnsStaticMenu.props, &prop{name: "address-list", parse: pString, major: 7, sinceMinor7: 5})
	m := menuByPath("ip firewall filter")
	m.props = append(m.props, onlyV7(&prop{name: "hw-offload", parse: pBool, def: "no", isBool: true, notEnforced: hwOffloadReason}))
	insertMenus("ip dhcp-server", hotspotMenu, dhcpMatcherMenu, dhcpVendorClassV6Menu)
	// Forwarders before the static entries whose forward-to names them.
	insertMenus("ip dns", dnsForwardersMenu, dnsAdlistMenu)
	insertMenus("ip route", kidControlMenu, kidDeviceMenu, hotspotUserMenu, hotspotBindingMenu, hotspotGardenMenu, hotspotGardenIPMenu)
}
