package config

import "strings"

// Properties of a 7.24.4 verbose export (a hAP ac² with WireGuard road
// warriors, an OpenVPN server, DNS ad lists and FWD entries) that rosemu
// refused as bad parameters: RouterOS writes every property of a menu in
// a verbose export, so each new property of a release is refused in all
// of them. They are stored (and reported) in the menus rosemu models, as
// their menus' other settings are; a property whose value matters for
// rosemu's data plane is not among them. Sources: the export itself, and
// for each menu the manual's page cited in docs/rosemu-menus.md (Bridging
// and Switching, DHCP, IP Settings, IPv6 Settings, Neighbor discovery,
// Log, Certificates, WireGuard, OpenVPN, PPP AAA, Queues, MACsec,
// Detect Internet). [verify] the first 7.x of each and the defaults, taken
// from what the verbose export writes. This file's name sorts last so
// that every menu it extends is registered before its init runs.

const storedV724 = "stored from a 7.2x export; rosemu does not model it"

// extendMenu adds stored properties to a registered menu; in a menu
// rosemu models, each is reported as not enforced.
func extendMenu(path string, ps ...*prop) {
	m := menuByPath(path)
	if m == nil {
		panic("extendMenu: no menu " + path)
	}
	for _, p := range ps {
		if m.prop(p.name) != nil {
			continue
		}
		if m.notEnforced == "" && p.notEnforced == "" {
			p.notEnforced = storedV724
		}
		m.props = append(m.props, onlyV7(p))
	}
}

// pRateBps is a rate as verbose exports of 7.2x write it: a number with
// k, M or G and "bps" ("cake-bandwidth=0bps"), or without the unit.
func pRateBps(t *tx, name, v string) (string, error) {
	return pRatePair(t, name, strings.ReplaceAll(v, "bps", ""))
}

func init() {
	extendMenu("interface macsec profile", sProp("ciphers", "aes-gcm-128"))
	extendMenu("ip ipsec profile", sProp("ppk", "no"))
	extendMenu("system logging action", bProp("add-topics-string", "no"))
	extendMenu("certificate settings", sProp("builtin-trust-store", "default"))
	extendMenu("console settings", sProp("tab-width", ""))
	const snoop6 = "rosemu does no DHCPv6 snooping or RA guard: the setting is stored"
	extendMenu("interface bridge",
		&prop{name: "dhcpv6-agent-circuit-id", parse: pString, notEnforced: snoop6},
		&prop{name: "dhcpv6-agent-remote-id", parse: pString, notEnforced: snoop6},
		&prop{name: "dhcpv6-snooping", parse: pBool, def: "no", show: true, isBool: true, notEnforced: snoop6},
		&prop{name: "ra-guard", parse: pBool, def: "no", show: true, isBool: true, notEnforced: snoop6},
		// 7.24 writes the MLAG settings on the bridge itself.
		&prop{name: "mlag-heartbeat", parse: pString, def: "5s", show: true, notEnforced: "rosemu runs no MLAG"},
		&prop{name: "mlag-peer-port", parse: pString, def: "none", show: true, notEnforced: "rosemu runs no MLAG"},
		&prop{name: "mlag-priority", parse: pString, def: "128", show: true, notEnforced: "rosemu runs no MLAG"})
	extendMenu("interface bridge port",
		&prop{name: "trusted-dhcpv6", parse: pBool, def: "no", show: true, isBool: true, notEnforced: snoop6},
		&prop{name: "trusted-ra", parse: pBool, def: "no", show: true, isBool: true, notEnforced: snoop6})
	extendMenu("ip neighbor discovery-settings",
		bProp("add-dns-entries", "no"), sProp("add-dns-entries-suffix", ""), bProp("dying-gasp", "no"), bProp("lldp-med", "yes"))
	extendMenu("ip settings", sProp("ipv4-fragment-time", ""), sProp("ipv4-high-fragment-thresh", ""), sProp("ipv4-low-fragment-thresh", ""))
	extendMenu("ipv6 settings", sProp("accept-router-advertisements-on", "all"))
	extendMenu("interface detect-internet", sProp("request-interval", ""))
	extendMenu("interface ovpn-server server", sProp("push-routes-ipv6", ""))
	// use-broadcast is 7.20 and later (the community.routeros Ansible
	// collection's table of API paths; ver46 D2).
	extendMenu("ip dhcp-client", &prop{name: "use-broadcast", parse: pString, show: true, sinceMinor7: 20})
	extendMenu("ip dhcp-server",
		sProp("add-dns-entries-suffix", ""), sProp("dynamic-lease-identifiers", ""), bProp("support-broadband-tr101", "no"))
	extendMenu("ip dhcp-server lease", sProp("agent-circuit-id", ""), sProp("agent-remote-id", ""))
	// The server's own allow-dual-stack-queue (one simple queue for a
	// client's IPv4 and IPv6 leases; DHCP page of the manual, DHCP Server
	// properties), as a hand-kept 7.6 configuration writes it
	// ("add add-arp=no address-pool=dhcp-guest allow-dual-stack-queue=no
	// always-broadcast=no authoritative=yes ...").
	extendMenu("ip dhcp-server", &prop{name: "allow-dual-stack-queue", parse: pBool, def: "yes", show: true, isBool: true,
		notEnforced: leaseQueueServerStored},
		// and its client-mac-limit (the leases one MAC may hold;
		// unlimited by default, the same page).
		&prop{name: "client-mac-limit", parse: pIntOr("unlimited", 1, 1<<30), def: "unlimited", show: true,
			notEnforced: "rosemu's DHCP server does not limit the leases of one MAC"})
	extendMenu("ppp profile", sProp("dhcpv6-lease-time", ""), sProp("remote-ipv6-prefix-reuse", ""))
	// A verbose export adds a profile with every unset property as
	// "!name" ("add address-list=\"\" !bridge ... !dhcpv6-use-radius
	// dns-server=... name=ovpn-profile ..."), a boolean among them.
	menuByPath("ppp profile").addUnsetAll = true
	// And a bridge with its unset DHCP option 82 strings
	// ("!dhcp-agent-circuit-id !dhcp-agent-remote-id
	// !dhcpv6-agent-circuit-id !dhcpv6-agent-remote-id").
	for _, n := range []string{"dhcp-agent-circuit-id", "dhcp-agent-remote-id", "dhcpv6-agent-circuit-id", "dhcpv6-agent-remote-id"} {
		if p := menuByPath("interface bridge").prop(n); p != nil {
			p.unsetMark = true
		}
	}
	// A peer of a road warrior has no endpoint and, for some, no client
	// addresses: a verbose export writes endpoint-address="" and
	// client-allowed-address="".
	peers := menuByPath("interface wireguard peers")
	if p := peers.prop("endpoint-address"); p != nil {
		p.parse = pEmptyOr(p.parse)
	}
	if p := peers.prop("client-allowed-address"); p != nil {
		p.parse = pEmptyOr(p.parse)
	}
	if p := menuByPath("queue type").prop("cake-bandwidth"); p != nil {
		p.parse = pRateBps
	}
	insertMenus("ipv6 dhcp-relay", ipv6RelayOptionMenu)
	// The tail of the same export: the IPv6 firewall's unset
	// connection-nat-state and tos on every rule, an RA with "!dns" and
	// "!pref64" added, the default prefix's dhcp6-pd-preferred, a PPP
	// secret and a simple queue added with unset properties, the routing
	// process's check-gateway pings and rule order, the package
	// updater's transport.
	for _, t := range []string{"filter", "mangle", "nat", "raw"} {
		extendMenu("ipv6 firewall "+t, &prop{name: "connection-nat-state", parse: pEmptyOr(pNeg(pSet("srcnat", "dstnat")))}, &prop{name: "tos", parse: pString},
			&prop{name: "nth", parse: pString})
		// The IPv6 firewall renders connection-nat-state (kernel.Render6:
		// ct status dnat/snat), so a rule that sets it is enforced, not
		// stored; tos and nth leave their rule out (Unsupported6), which
		// reports it.
		menuByPath("ipv6 firewall " + t).prop("connection-nat-state").notEnforced = ""
	}
	menuByPath("ipv6 nd").addUnsetAll = true
	extendMenu("ipv6 nd prefix default", bProp("dhcp6-pd-preferred", "no"))
	menuByPath("ppp secret").addUnsetAll = true
	extendMenu("queue simple", &prop{name: "time", parse: pString})
	menuByPath("queue simple").prop("time").unsetMark = true
	extendMenu("routing settings",
		sProp("check-gateway-ping-count", "2"), sProp("check-gateway-ping-interval", "10s"),
		sProp("check-gateway-ping-timeout", "1s"), sProp("policy-rules", ""))
	extendMenu("system package update", bProp("check-certificate", "yes"), sProp("ip-version", "auto"), sProp("mode", "https"))
	// A 6.48.1 verbose export (RB952, AWS VPC IPsec peers, an SSTP client)
	// writes "/ip ipsec mode-config set [ find default=yes ]
	// name=request-only responder=no use-responder-dns=exclusively" and
	// an SSTP client's "authentication=pap,chap,mschap1,mschap2": both
	// were taken as 7-only and refused as bad parameters. [verify] the
	// first 6.x of each (IPsec and SSTP pages of the v6 manual).
	menuByPath("ip ipsec mode-config").prop("use-responder-dns").major = 0
	menuByPath("interface sstp-client").prop("authentication").major = 0
	insertMenus("ipv6 nd prefix default", ipv6NDSettingsMenu)
	insertMenus("system resource usb settings", usbHardwareSettingsMenu)
}

// ipv6NDSettingsMenu is /ipv6 nd settings of a 7.24.4 verbose export
// ("set router-advertisement-ignored-options=\"\"
// router-advertisement-route-distance=1"): how received RAs are taken.
// IPv6 is stored. [verify] against the IPv6 ND page of the manual
// (https://help.mikrotik.com/docs/display/ROS/IPv6+Neighbor+Discovery).
var ipv6NDSettingsMenu = &menu{
	path: "ipv6 nd settings", single: true, major: 7, notEnforced: ipv6Reason,
	props: []*prop{
		sProp("router-advertisement-ignored-options", ""),
		sProp("router-advertisement-route-distance", "1"),
	},
}

// usbHardwareSettingsMenu is the 7.24 place of /system resource usb
// settings ("/system resource hardware usb-settings set
// authorization=no" of the same export). A lab router has no USB.
var usbHardwareSettingsMenu = &menu{
	path: "system resource hardware usb-settings", single: true, major: 7, notEnforced: "a lab router has no USB ports",
	props: []*prop{bProp("authorization", "no")},
}

// ipv6RelayOptionMenu is /ipv6 dhcp-relay option: the options a DHCPv6
// relay adds, with one built-in entry that the 7.24.4 verbose export sets
// again ("set client_mac code=79 name=client_mac only-if-mac-available=yes
// value=\"0x0001\$(CLIENT_MAC)\""; DHCP page of the manual,
// https://help.mikrotik.com/docs/display/ROS/DHCP). Stored.
var ipv6RelayOptionMenu = &menu{
	path: "ipv6 dhcp-relay option", nameProp: "name", major: 7, notEnforced: relayReason,
	props: []*prop{
		{name: "name", parse: pChain, required: true},
		{name: "code", parse: pInt(1, 65535), required: true},
		sProp("value", ""),
		bProp("only-if-mac-available", "no"),
		comment,
	},
	defaults:  []map[string]string{{"name": "client_mac", "code": "79", "value": "0x0001$(CLIENT_MAC)", "only-if-mac-available": "yes"}},
	exportRef: func(it *item) string { return it.props["name"] },
	columns:   []string{"name", "code", "value"},
}
