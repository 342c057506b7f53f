package config

import (
	"strings"

	"github.com/chrlab/chrlab/rosemu/script"
	"github.com/chrlab/chrlab/rosemu/version"
)

// Properties of modelled menus that other files define, added here so
// that the menus keep one definition: /ip dhcp-client dhcp-options and
// the /ip dhcp-client option menu, /ip cloud ddns-enabled=auto, /system
// script owner.

const dhcpOptionsReason = "rosemu's DHCP client sends its own client identifier and host name"

// pDHCPOptions is a comma list of /ip dhcp-client option names; the
// built-in ones and any the configuration added.
func pDHCPOptions(t *tx, name, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	for _, o := range strings.Split(v, ",") {
		switch o {
		case "clientid", "clientid_duid", "hostname":
			continue
		}
		if t.findByName("ip dhcp-client option", o) == nil {
			return "", errNoMatch(name)
		}
	}
	return v, nil
}

var dhcpClientOptionMenu = &menu{
	path: "ip dhcp-client option", nameProp: "name", notEnforced: dhcpOptionsReason,
	props: []*prop{
		{name: "name", parse: pChain, required: true},
		{name: "code", parse: pInt(1, 254), required: true},
		sProp("value", ""),
	},
	check:   checkUniqueName("ip dhcp-client option", "option with such name already exists"),
	columns: []string{"name", "code", "value"},
	// The built-in options (6.43 and 7 alike), which verbose exports set again
	// ("set hostname code=12 name=hostname value=\"\$(HOSTNAME)\"").
	defaults: []map[string]string{
		{"name": "clientid_duid", "code": "61", "value": "0xff$(CLIENT_DUID)"},
		{"name": "clientid", "code": "61", "value": "0x01$(CLIENT_MAC)"},
		{"name": "hostname", "code": "12", "value": "$(HOSTNAME)"},
	},
	exportRef:   func(it *item) string { return it.props["name"] },
	readonly:    dhcpClientOptionRaw,
	maybeAbsent: []string{"raw-value"},
}

// consoleRootMenu is /console itself, for clear-history: provisioning and
// hardening scripts end with "/console clear-history" to drop the
// passwords they typed from the history (a 7.x hAP ac³ setup script, the
// HamWAN templates, public backup scripts). rosemu's console keeps no
// history a later session can read, so the command has nothing to clear.
// [verify] against the Console page of the manual
// (https://help.mikrotik.com/docs/spaces/ROS/pages/8978498/Console).
var consoleRootMenu = &menu{
	path: "console", readOnly: true,
	commands: map[string]menuCommand{
		"clear-history": {syntax: &script.Syntax{}, run: func(*tx, *request) (result, error) { return result{}, nil }},
	},
}

// consoleSettingsMenu is /console settings (RouterOS 7).
var consoleSettingsMenu = &menu{
	path: "console settings", single: true, notEnforced: "rosemu's console keeps its own behaviour: the settings are stored",
	props: []*prop{
		bProp("log-script-errors", "yes"),
		bProp("sanitize-names", "no"),
	},
}

// versionAtLeast reports whether RouterOS version v (7.16.2) is at least
// major.minor. A pre-release counts as the release it leads to (7.20rc3 has
// 7.20's menus): an export's header names the build as written, and
// reading "19rc1" as no minor number gated a 7.19rc1 router as 7.0
// (realcheck23 D1).
func versionAtLeast(v string, major, minor int) bool {
	return version.AtLeast(v, major, minor)
}

// pDDNSEnabled is yes or no, and from RouterOS 7.17 also auto: DDNS runs
// only while a service needs the cloud name (Back To Home, a WireGuard
// endpoint of the cloud). No lab service does, so auto registers nothing.
func pDDNSEnabled(t *tx, name, v string) (string, error) {
	if v == "auto" && t != nil && versionAtLeast(t.r.opts.Version, 7, 17) {
		return v, nil
	}
	return pBool(t, name, v)
}

func init() {
	insertMenus("certificate settings", consoleRootMenu, consoleSettingsMenu)
	insertMenus("ip dhcp-client", dhcpClientOptionMenu)
	dhcpClientMenu.props = append(dhcpClientMenu.props,
		onlyV7(&prop{name: "dhcp-options", parse: pDHCPOptions, def: "clientid_duid,hostname", show: true, notEnforced: dhcpOptionsReason}),
		onlyV6(&prop{name: "dhcp-options", parse: pDHCPOptions, def: "clientid,hostname", show: true, notEnforced: dhcpOptionsReason}),
		// The client's own gateway check and FORCERENEW came with 7.19,
		// its default route's tables with 7.18, and the DSCP and VLAN
		// priority of its packets with 7.20 (the community.routeros
		// Ansible collection's table of API paths, field by field). Taken
		// from 7.0 before, a 7.16 lab checked a DHCP gateway that the real
		// 7.16 refuses to configure (ver46 D2).
		&prop{name: "check-gateway", parse: pEnum("none", "arp", "ping"), def: "none", major: 7, sinceMinor7: 19},
		&prop{name: "allow-reconfigure", parse: pBool, def: "no", isBool: true, notEnforced: "rosemu's DHCP client ignores FORCERENEW", major: 7, sinceMinor7: 19},
		&prop{name: "dscp", parse: pInt(0, 63), def: "0", notEnforced: "rosemu's DHCP client sends its packets with DSCP 0", major: 7, sinceMinor7: 20},
		&prop{name: "vlan-priority", parse: pInt(0, 7), def: "0", notEnforced: "rosemu's DHCP client sends its packets without a VLAN priority", major: 7, sinceMinor7: 20},
	)
	// Seen in real 7.x exports: a DHCP client whose default route goes to
	// named tables, FORCERENEW on the server, a WireGuard peer's client
	// settings (for the generated client config) and the neighbour
	// table's lower bounds.
	dhcpClientMenu.props = append(dhcpClientMenu.props,
		&prop{name: "default-route-tables", parse: pDefaultRouteTables, def: "default", major: 7, sinceMinor7: 18})
	// A 7.23.2 hEX S export names its client: "add interface=ether1
	// name=ether1". [verify] the first 7.x (taken from 7.20 here); the
	// name is stored, the client is still found by its interface.
	dhcpClientMenu.props = append(dhcpClientMenu.props,
		&prop{name: "name", parse: pChain, major: 7, sinceMinor7: 20})
	dhcpServerMenu.props = append(dhcpServerMenu.props,
		// FORCERENEW on the server is 7.19 as on the client (the same table).
		&prop{name: "use-reconfigure", parse: pBool, def: "no", show: true, isBool: true, notEnforced: "rosemu's DHCP server sends no FORCERENEW", major: 7, sinceMinor7: 19})
	wireguardPeersMenu.props = append(wireguardPeersMenu.props,
		onlyV7(withParse("client-listen-port", "", pEmptyOr(pPortNum))),
		// The allowed addresses of the generated client configuration
		// (a 7.23.2 CRS309 export: client-allowed-address=0.0.0.0/0 on
		// each road-warrior peer).
		onlyV7(withParse("client-allowed-address", "", pPrefixList46)))
	cloudMenu.prop("ddns-enabled").parse = pDDNSEnabled
	// The owner is written in every export (realcheck34 D1), from 6.42
	// on: a 6.27 export has none, a 6.42.1 one names it ([verify] the
	// first 6.x).
	scriptMenu.props = append(scriptMenu.props, &prop{name: "owner", parse: pNonEmpty, def: "admin", show: true, writeDefault: true, writeDefaultSince: "6.42"})
}

// pEmptyOr accepts the empty value (the property unset) or what p accepts.
func pEmptyOr(p parser) parser {
	return func(t *tx, name, v string) (string, error) {
		if v == "" {
			return "", nil
		}
		return p(t, name, v)
	}
}
