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
			iProp("vrid", "1", 1, 255),
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
			sProp("on-master", ""),
			sProp("on-backup", ""),
			sProp("on-fail", ""),
			comment, disabled,
		},
		check:   checkStoredIfName("interface vrrp"),
		columns: []string{"name", "interface", "vrid", "priority"},
	}
	vethMenu = &menu{
		path: "interface veth", nameProp: "name", notEnforced: vethReason,
		props: []*prop{
			{name: "name", parse: pIfName, required: true},
			withParse("address", "", pPrefixList46),
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
		path: "interface macvlan", nameProp: "name", notEnforced: macvlanReason,
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
		sProp("keepalive", "10s,10"),
		sProp("ipsec-secret", ""),
		withParse("dscp", "inherit", pIntOr("inherit", 0, 63)),
		eProp("clamp-tcp-mss", "yes", "yes", "no"),
	))
	// l2tpServerBindingMenu is /interface l2tp-server: a static interface
	// for one user's L2TP session, so that routes and rules can name it
	// before the user connects.
	l2tpServerBindingMenu = &menu{
		path: "interface l2tp-server", nameProp: "name", notEnforced: pppReason,
		props: []*prop{
			{name: "name", parse: pIfName, required: true},
			sProp("user", ""),
			comment, disabled,
		},
		check:   checkStoredIfName("interface l2tp-server"),
		columns: []string{"name", "user"},
	}
)

func init() {
	storedIfTables = append(storedIfTables,
		"interface vrrp", "interface veth", "interface macvlan", "interface 6to4", "interface l2tp-server")
	// Export order: veth pairs and MAC VLANs before the VLANs and bridge
	// ports that may sit on them; VRRP after the VLANs, since a virtual
	// router most often runs on a VLAN.
	insertMenus("interface ethernet", l2tpServerBindingMenu, sixToFourMenu, vethMenu, macvlanMenu)
	insertMenus("interface vlan", vrrpMenu)
}
