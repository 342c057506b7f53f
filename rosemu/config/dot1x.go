package config

// /interface dot1x server and client: 802.1X port authentication. A
// 7.23.1 CRS328 export authenticates its access ports by MAC address
// ("/interface dot1x server add auth-types=mac-auth interface=ether1",
// with /radius service=dot1x); it was "bad command name dot1x". On
// RouterOS an authenticator port passes only EAPOL until its client is
// authenticated by the RADIUS server. rosemu runs no authenticator and
// sends no RADIUS request: the port forwards every frame, and the
// supplicant authenticates to nobody. Both are stored and reported.
// Names and defaults: the Dot1X page of the manual
// (https://help.mikrotik.com/docs/display/ROS/Dot1X#Dot1X-Dynamicsswitchruleconfiguration,
// as its translation in be-engineer/MikroTik-doc-cn gives it), whose
// guest, reject and server-fail VLANs and reauth-timeout came with 7.2.
// [verify] the first 6.x versions: the client 6.45, the server 6.46.

const (
	dot1xServerReason = "rosemu runs no 802.1X authenticator: the port forwards every frame without authentication and no RADIUS request is sent"
	dot1xClientReason = "rosemu runs no 802.1X supplicant: the port is used without authenticating to the switch"
)

var (
	dot1xServerMenu = &menu{
		path: "interface dot1x server", notEnforced: dot1xServerReason, since6: 46,
		props: []*prop{
			{name: "interface", parse: pIfOrListName, required: true},
			withParse("auth-types", "dot1x", pSet("dot1x", "mac-auth")),
			bProp("accounting", "yes"),
			withParse("auth-timeout", "1m", pTime),
			withParse("interim-update", "0s", pTime),
			eProp("mac-auth-mode", "mac-as-username", "mac-as-username", "mac-as-username-and-password"),
			eProp("radius-mac-format", "XX:XX:XX:XX:XX:XX", "XX-XX-XX-XX-XX-XX", "XX:XX:XX:XX:XX:XX", "XXXXXXXXXXXX",
				"xx-xx-xx-xx-xx-xx", "xx:xx:xx:xx:xx:xx", "xxxxxxxxxxxx"),
			withParse("retrans-timeout", "30s", pTime),
			onlyV7(&prop{name: "guest-vlan-id", parse: pInt(1, 4094), sinceMinor7: 2}),
			onlyV7(&prop{name: "reject-vlan-id", parse: pInt(1, 4094), sinceMinor7: 2}),
			onlyV7(&prop{name: "server-fail-vlan-id", parse: pInt(1, 4094), sinceMinor7: 2}),
			onlyV7(&prop{name: "reauth-timeout", parse: pTime, sinceMinor7: 2}),
			comment, disabled,
		},
		columns: []string{"interface", "auth-types"},
	}
	dot1xClientMenu = &menu{
		path: "interface dot1x client", notEnforced: dot1xClientReason, since6: 45,
		props: []*prop{
			{name: "interface", parse: pInterface, required: true},
			withParse("eap-methods", "", pSetOrEmpty("eap-tls", "eap-ttls", "eap-peap", "eap-mschapv2")),
			sProp("identity", ""),
			{name: "password", parse: pString, sensitive: true},
			sProp("anon-identity", ""),
			sProp("client-certificate", ""),
			comment, disabled,
		},
		columns: []string{"interface", "eap-methods", "identity"},
	}
)

// pIfOrListName is an interface or an interface list: a dot1x server may
// run on every port of a list.
func pIfOrListName(t *tx, name, v string) (string, error) {
	if t.ifaceExists(v) || t.findByName("interface list", v) != nil {
		return v, nil
	}
	return "", errNoMatch(name)
}

func init() {
	insertMenus("interface bridge vlan", dot1xServerMenu, dot1xClientMenu)
}
