package config

// More interfaces real exports carry that rosemu does not build: VRRP,
// container veth pairs, MAC VLANs, 6to4 tunnels and the static L2TP
// server bindings. Like the tunnels (tunnels.go) they are stored
// interfaces: addresses, routes, lists, bridge ports and rules may name
// them, and what goes through them is reported as not enforced.

const (
	vrrpReason    = "rosemu runs no VRRP: the virtual router is stored, never master, and carries no packets"
	vethReason    = "rosemu runs no containers: the veth interface is stored and carries no packets"
	macvlanReason = "rosemu builds no MAC VLAN: the interface is stored and carries no packets"
)

var (
	vrrpMenu = &menu{
		path: "interface vrrp", nameProp: "name", notEnforced: vrrpReason,
		props: []*prop{
			{name: "name", parse: pIfName, required: true},
			{name: "interface", parse: pInterface, required: true},
			// 0 too: a 6.49.19 CCR export and its 7.20.8 peer's both
			// print vrid=0 for the virtual router they share.
			iProp("vrid", "1", 0, 255),
			iProp("priority", "100", 1, 254),
			withParse("interval", "1s", pDuration(10e6, 255e9)),
			bProp("preemption-mode", "yes"),
			eProp("authentication", "none", "none", "simple", "ah"),
			sProp("password", ""),
			eProp("version", "3", "2", "3"),
			eProp("v3-protocol", "ipv4", "ipv4", "ipv6"),
			withParse("mtu", "1500", pInt(0, 65535)),
			eProp("arp", "enabled", "enabled", "disabled", "proxy-arp", "reply-only"),
			sProp("arp-timeout", "auto"),
			withParse("remote-address", "", pAnyIP),
			bProp("sync-connection-tracking", "no"),
			sProp("group-authority", "none"),
			// group-master: the name group-authority had in the first
			// 7.x releases (a 7.7 CCR2004's export writes it on every VRRP
			// interface, naming the group's master, which the export may
			// add only later in the same section). Stored as written.
			sProp("group-master", ""),
			// Connection tracking sync between VRRP groups (VRRP page:
			// "connection-tracking-mode=active-active
			// connection-tracking-port=8275 ... sync-connection-tracking=yes";
			// 7.24rc2 lab exports write the mode; print shows
			// passive-active by default, and v3-checksum-as-v2=no).
			onlyV7(eProp("connection-tracking-mode", "passive-active", "passive-active", "active-active")),
			onlyV7(withParse("connection-tracking-port", "", pIntOr("", 1, 65535))),
			onlyV7(bProp("v3-checksum-as-v2", "no")),
			sProp("on-master", ""),
			sProp("on-backup", ""),
			sProp("on-fail", ""),
			comment, disabled,
		},
		check:   checkStoredIfName("interface vrrp"),
		columns: []string{"name", "interface", "vrid", "priority"},
	}
	vethMenu = &menu{
		path: "interface veth", nameProp: "name", notEnforced: vethReason, since7: 4,
		props: []*prop{
			{name: "name", parse: pIfName, required: true},
			withParse("address", "", pIfAddressList46),
			withParse("gateway", "", pAnyIP),
			withParse("gateway6", "", pAnyIP),
			withParse("mac-address", "", pMAC),
			withParse("container-mac-address", "", pMAC),
			bProp("dhcp", "no"),
			comment, disabled,
		},
		check:   checkStoredIfName("interface veth"),
		columns: []string{"name", "address", "gateway"},
	}
	macvlanMenu = &menu{
		path: "interface macvlan", nameProp: "name", notEnforced: macvlanReason, major: 7,
		props: []*prop{
			{name: "name", parse: pIfName, required: true},
			{name: "interface", parse: pInterface, required: true},
			eProp("mode", "bridge", "bridge", "private"),
			withParse("mac-address", "", pMAC),
			withParse("mtu", "1500", pInt(0, 65535)),
			eProp("arp", "enabled", "enabled", "disabled", "proxy-arp", "reply-only"),
			sProp("arp-timeout", "auto"),
			comment, disabled,
		},
		check:   checkStoredIfName("interface macvlan"),
		columns: []string{"name", "interface", "mode"},
	}
	sixToFourMenu = tunnelMenu("interface 6to4", tunnelCommon(
		withParse("remote-address", "", pAnyIP),
		withParse("local-address", "", pAnyIP),
		keepaliveProp(),
		sProp("ipsec-secret", ""),
		withParse("dscp", "inherit", pIntOr("inherit", 0, 63)),
		eProp("clamp-tcp-mss", "yes", "yes", "no"),
	))
	// l2tpServerBindingMenu is /interface l2tp-server: a static interface
	// for one user's L2TP session, so that routes and rules can name it
	// before the user connects. The other PPP servers have the same
	// static bindings (pptpServerBindingMenu and the rest): the PPTP, SSTP
	// and OpenVPN pages of the manual ("add name=pptp-in1 user=ex") and
	// PPPoE's, which also names the service.
	l2tpServerBindingMenu  = serverBindingMenu("interface l2tp-server")
	pptpServerBindingMenu  = serverBindingMenu("interface pptp-server")
	sstpServerBindingMenu  = serverBindingMenu("interface sstp-server")
	ovpnServerBindingMenu  = serverBindingMenu("interface ovpn-server")
	pppoeServerBindingMenu = serverBindingMenu("interface pppoe-server", sProp("service", ""))
)

// serverBindingMenu is a PPP server's list of static interfaces, one per
// user (name, user, and extra properties such as PPPoE's service).
func serverBindingMenu(path string, extra ...*prop) *menu {
	props := []*prop{{name: "name", parse: pIfName, required: true}, sProp("user", "")}
	props = append(append(props, extra...), comment, disabled)
	why := pppBindingReason
	if path == pppoeBindTable || path == l2tpBindTable || path == sstpBindTable || path == ovpnBindTable {
		why = "" // the PPPoE, L2TP, SSTP and OpenVPN servers' sessions take the bindings' names
	}
	return &menu{
		path: path, nameProp: "name", notEnforced: why,
		props:   props,
		check:   checkStoredIfName(path),
		columns: []string{"name", "user"},
	}
}

// pppoeServerMenu is /interface pppoe-server server: the router as a
// PPPoE access concentrator, in many ISP and forum configurations, run by
// rosemu's PPPoE server (pppoe_server.go, rosemu/service/pppoeserver). A
// new service is disabled unless the line says otherwise, which is why
// exports write disabled=no.
var pppoeServerMenu = &menu{
	path: "interface pppoe-server server",
	props: []*prop{
		{name: "interface", parse: pInterface, required: true},
		sProp("service-name", ""),
		namedDefault("default-profile", "default", "ppp profile"),
		withParse("authentication", "pap,chap,mschap1,mschap2", pppAuth),
		withParse("keepalive-timeout", "10", pIntOr("disabled", 0, 1<<30)),
		bProp("one-session-per-host", "no"),
		withParse("max-sessions", "unlimited", pIntOr("unlimited", 0, 65535)),
		withParse("max-mtu", "auto", pIntOr("auto", 64, 65535)),
		withParse("max-mru", "auto", pIntOr("auto", 64, 65535)),
		sProp("mrru", "disabled"),
		withParse("pado-delay", "0", pInt(0, 1<<30)),
		onlyV7(bProp("accept-empty-service", "yes")),
		comment,
		bProp("disabled", "yes"),
	},
	// The default is stored so that print, get and the disabled flag
	// agree with it.
	check: func(_ *tx, it *item) error {
		if _, ok := it.props["disabled"]; !ok {
			it.props["disabled"] = "yes"
		}
		return nil
	},
	columns: []string{"service-name", "interface", "max-mtu", "default-profile"},
}

func init() {
	insertMenus("interface sstp-server server", pppoeServerMenu)
	storedIfTables = append(storedIfTables,
		"interface vrrp", "interface veth", "interface macvlan", "interface 6to4", "interface l2tp-server",
		"interface pptp-server", "interface sstp-server", "interface ovpn-server", "interface pppoe-server")
	// Export order: veth pairs and MAC VLANs before the VLANs and bridge
	// ports that may sit on them; VRRP after the VLANs, since a virtual
	// router most often runs on a VLAN.
	insertMenus("interface ethernet", l2tpServerBindingMenu, pptpServerBindingMenu, sstpServerBindingMenu,
		ovpnServerBindingMenu, pppoeServerBindingMenu, sixToFourMenu, vethMenu, macvlanMenu)
	insertMenus("interface vlan", vrrpMenu)
}

// portMenu is /port: a CHR has the serial ports of its virtual machine,
// serial0 and serial1 (the x86 COM1 and COM2), and real CHR exports carry
// "/port set 0 name=serial0" and, where the hypervisor gives two, "set 1
// name=serial1" (as do RB4011 exports). Their settings are stored; rosemu
// has no serial console. Further ports (usb1, usb2 of RouterBOARDs with
// LTE modems) do not exist, so "set 2 ..." is refused with "no such item".
var portMenu = &menu{
	path: "port", nameProp: "name", noAdd: true, renamable: true, notEnforced: "rosemu has no serial port: its settings are stored",
	props: []*prop{
		{name: "name", parse: pIfName, required: true},
		withParse("baud-rate", "auto", pIntOr("auto", 50, 4000000)),
		eProp("data-bits", "8", "5", "6", "7", "8"),
		eProp("parity", "none", "none", "even", "odd"),
		eProp("stop-bits", "1", "1", "2"),
		eProp("flow-control", "none", "none", "hardware", "xon-xoff"),
		comment,
	},
	defaults: []map[string]string{{"name": "serial0"}, {"name": "serial1"}},
	columns:  []string{"name", "baud-rate"},
}

// portRemoteAccessMenu is /port remote-access: a serial port reached
// over TCP ("add disabled=yes port=serial0" of a 6.x ltAP export). The
// lab has no serial device: stored. Source: the Serial Port page of the
// manual (https://help.mikrotik.com/docs/display/ROS/Serial+Port+Usage).
var portRemoteAccessMenu = &menu{
	path: "port remote-access", notEnforced: "rosemu has no serial port: remote access to it is stored",
	props: []*prop{
		{name: "port", parse: pNamed("port"), required: true},
		withParse("tcp-port", "0", pInt(0, 65535)),
		eProp("protocol", "rfc2217", "raw", "rfc2217"),
		withParse("allowed-addresses", "0.0.0.0/0", pPrefixList46),
		withParse("local-address", "0.0.0.0", pAnyIP),
		iProp("channel", "0", 0, 255),
		sProp("log-file", ""),
		comment, disabled,
	},
	columns: []string{"port", "tcp-port", "protocol"},
}

func init() {
	portMenu.exportRef = defaultIndex(portMenu)
	insertMenus("system logging action", portMenu, portRemoteAccessMenu)
}

// securityProfilesMenu is /interface wireless security-profiles as a CHR
// has it in RouterOS 6 and in 7 before 7.13, when the wireless package
// was part of every installation: no radios, but the default profile,
// which real CHR exports of those versions change with "set [ find
// default=yes ] supplicant-identity=MikroTik". From 7.13 the menu word is
// refused, as on a CHR without the package.
var securityProfilesMenu = &menu{
	path: "interface wireless security-profiles", nameProp: "name", before7: 13,
	notEnforced: "rosemu has no wireless interfaces: the profile is stored",
	props: []*prop{
		{name: "name", parse: pChain, required: true},
		eProp("mode", "none", "none", "static-keys-required", "static-keys-optional", "dynamic-keys"),
		withParse("authentication-types", "", pSetOrEmpty("wpa-psk", "wpa2-psk", "wpa-eap", "wpa2-eap")),
		withParse("unicast-ciphers", "aes-ccm", pSetOrEmpty("tkip", "aes-ccm")),
		withParse("group-ciphers", "aes-ccm", pSetOrEmpty("tkip", "aes-ccm")),
		{name: "wpa-pre-shared-key", parse: pString, sensitive: true},
		{name: "wpa2-pre-shared-key", parse: pString, sensitive: true},
		sProp("supplicant-identity", ""),
		sProp("eap-methods", "passthrough"),
		sProp("tls-mode", "no-certificates"),
		sProp("tls-certificate", "none"),
		sProp("mschapv2-username", ""),
		{name: "mschapv2-password", parse: pString, sensitive: true},
		sProp("management-protection", "disabled"),
		sProp("group-key-update", "5m"),
		sProp("radius-mac-authentication", "no"),
		comment,
	},
	defaults: []map[string]string{{"name": "default"}},
	readonly: defaultFlag,
	check:    checkUniqueName("interface wireless security-profiles", "profile with such name already exists"),
	columns:  []string{"name", "mode", "authentication-types"},
}

func init() {
	insertMenus("interface list", securityProfilesMenu)
}
