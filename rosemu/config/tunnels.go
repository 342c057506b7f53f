package config

// Tunnel and bonding interfaces rosemu does not build: GRE, IPIP, EoIP,
// the L2TP, SSTP, OpenVPN and PPTP clients, the PPTP server, and bonds.
// They are stored interfaces (stored_iface.go): addresses, routes, lists
// and rules may name them as in a real export, and what goes through them
// is reported as not enforced.

const (
	tunnelReason = "rosemu builds no tunnel: the interface is stored and carries no packets"
	// runningTunnelReason is the stateless tunnels' (GRE, IPIP, EoIP):
	// RouterOS keeps them running, so what is routed into them is lost
	// when nothing answers at the far end (stored_iface.go).
	runningTunnelReason = "rosemu builds no tunnel: the interface stays running, and what is routed into it is dropped, as in a tunnel whose far end never answers"
	bondReason          = "rosemu builds no bond: the slave ports stay independent"
)

// tunnelCommon are the properties every tunnel interface has.
func tunnelCommon(extra ...*prop) []*prop {
	ps := []*prop{
		{name: "name", parse: pIfName, required: true},
		withParse("mtu", "auto", pIntOr("auto", 0, 65535)),
	}
	ps = append(ps, extra...)
	return append(ps, comment, disabled)
}

// ipTunnelProps are GRE's and IPIP's.
func ipTunnelProps(extra ...*prop) []*prop {
	return tunnelCommon(append([]*prop{
		{name: "remote-address", parse: pAnyIP, required: true},
		withParse("local-address", "0.0.0.0", pAnyIP),
		keepaliveProp(),
		sProp("ipsec-secret", ""),
		withParse("dscp", "inherit", pIntOr("inherit", 0, 63)),
		eProp("clamp-tcp-mss", "yes", "yes", "no"),
		bProp("allow-fast-path", "yes"),
		eProp("dont-fragment", "no", "no", "inherit"),
	}, extra...)...)
}

// pppClientProps are the properties of the PPP clients (l2tp, sstp,
// ovpn, pptp).
func pppClientProps(extra ...*prop) []*prop {
	return tunnelCommon(append([]*prop{
		{name: "connect-to", parse: pHost, required: true},
		sProp("user", ""),
		sProp("password", ""),
		sProp("profile", "default-encryption"),
		bProp("add-default-route", "no"),
		iProp("default-route-distance", "1", 0, 255),
		bProp("dial-on-demand", "no"),
		withParse("allow", "pap,chap,mschap1,mschap2", pppAuth),
		// A 7.24.5 export's SSTP client names its methods
		// authentication=mschap2, as the PPP servers do. [verify] the
		// first 7.x and whether allow stays.
		onlyV7(withParse("authentication", "pap,chap,mschap1,mschap2", pppAuth)),
		sProp("keepalive-timeout", "60"),
		sProp("max-mru", "1450"),
		sProp("max-mtu", "1450"),
		sProp("mrru", "disabled"),
	}, extra...)...)
}

func tunnelMenu(path string, props []*prop) *menu {
	return &menu{
		path: path, nameProp: "name", notEnforced: tunnelReason,
		props:   props,
		check:   checkStoredIfName(path),
		columns: []string{"name", "mtu"},
	}
}

// runningTunnelMenu is a stateless tunnel's menu.
func runningTunnelMenu(path string, props []*prop) *menu {
	m := tunnelMenu(path, props)
	m.notEnforced = runningTunnelReason
	return m
}

var (
	greMenu  = runningTunnelMenu("interface gre", ipTunnelProps())
	ipipMenu = runningTunnelMenu("interface ipip", ipTunnelProps())
	eoipMenu = runningTunnelMenu("interface eoip", ipTunnelProps(
		iProp("tunnel-id", "0", 0, 65535),
		withParse("mac-address", "", pMAC),
		sProp("arp", "enabled"),
		sProp("loop-protect", "default"),
	))
	l2tpClientMenu = tunnelMenu("interface l2tp-client", pppClientProps(
		eProp("use-ipsec", "no", "no", "yes"),
		sProp("ipsec-secret", ""),
		withParse("use-peer-dns", "no", pEnum("yes", "no", "exclusively")),
		withParse("src-address", "0.0.0.0", pAnyIP),
		onlyV7(eProp("l2tp-proto-version", "l2tpv2", "l2tpv2", "l2tpv3-udp", "l2tpv3-ip")),
		// A 7.19 verbose export's l2tp-client line.
		onlyV7(bProp("allow-fast-path", "no")),
		onlyV7(bProp("random-source-port", "no")),
		onlyV7(eProp("l2tpv3-digest-hash", "md5", "md5", "none", "sha1")),
	))
	sstpClientMenu = tunnelMenu("interface sstp-client", pppClientProps(
		withParse("port", "443", pPortNum),
		sProp("certificate", "none"),
		bProp("verify-server-certificate", "no"),
		bProp("verify-server-address-from-certificate", "yes"),
		sProp("tls-version", "any"),
		withParse("pfs", "no", pSSTPPFS),
		sProp("http-proxy", "::"),
		withParse("use-peer-dns", "no", pEnum("yes", "no", "exclusively")),
		onlyV7(sProp("ciphers", "aes256-sha")),
	))
	ovpnClientMenu = tunnelMenu("interface ovpn-client", pppClientProps(
		withParse("port", "1194", pPortNum),
		eProp("mode", "ip", "ip", "ethernet"),
		sProp("certificate", "none"),
		sProp("auth", "sha1"),
		sProp("cipher", "blowfish128"),
		bProp("verify-server-certificate", "no"),
		onlyV7(eProp("protocol", "tcp", "tcp", "udp")),
		onlyV7(sProp("route-nopull", "no")),
		// RouterOS 6 has it too: 6.47.10, 6.48.6 and 6.49.8 exports of an
		// ISP's routers write "use-peer-dns=no" on their OVPN clients.
		// [verify] its first 6.x version. "exclusively" as on the L2TP and
		// SSTP clients.
		withParse("use-peer-dns", "yes", pEnum("yes", "no", "exclusively")),
		onlyV7(sProp("tls-version", "any")),
		withParse("mac-address", "", pMAC),
	))
	pptpClientMenu = tunnelMenu("interface pptp-client", pppClientProps())
	pptpServerMenu = &menu{
		path: "interface pptp-server server", single: true, notEnforced: pppReason,
		props: []*prop{
			bProp("enabled", "no"),
			withParse("authentication", "mschap1,mschap2", pppAuth),
			namedDefault("default-profile", "default-encryption", "ppp profile"),
			iProp("max-mtu", "1450", 64, 65535),
			iProp("max-mru", "1450", 64, 65535),
			sProp("mrru", "disabled"),
			withParse("keepalive-timeout", "30", pIntOr("disabled", 1, 1<<30)),
		},
	}
	bondingMenu = &menu{
		path: "interface bonding", nameProp: "name", notEnforced: bondReason,
		props: []*prop{
			{name: "name", parse: pIfName, required: true},
			{name: "slaves", parse: pIfNames, required: true},
			eProp("mode", "balance-rr", "802.3ad", "active-backup", "balance-alb", "balance-rr", "balance-tlb", "balance-xor", "broadcast"),
			eProp("transmit-hash-policy", "layer-2", "layer-2", "layer-2-and-3", "layer-3-and-4"),
			eProp("link-monitoring", "mii", "mii", "arp", "none"),
			sProp("mii-interval", "100ms"),
			eProp("lacp-rate", "30secs", "1sec", "30secs"),
			sProp("primary", "none"),
			withParse("mtu", "1500", pInt(0, 65535)),
			// The bond's MAC address (none: the first slave's), ARP
			// monitoring and the slaves' up and down delays; a CRS317's
			// export writes forced-mac-address=00:00:00:00:00:00.
			sProp("forced-mac-address", "none"),
			eProp("arp", "enabled", "disabled", "enabled", "local-proxy-arp", "proxy-arp", "reply-only"),
			sProp("arp-interval", "100ms"),
			// How long the bond keeps ARP entries; 7.19 exports of
			// 802.3ad LAGs write "arp-timeout=4h" (as VLANs and bridges
			// do).
			sProp("arp-timeout", "auto"),
			sProp("arp-ip-targets", ""),
			sProp("down-delay", "0ms"),
			sProp("up-delay", "0ms"),
			iProp("min-links", "0", 0, 1024),
			// The MLAG a bond is part of (7.x; the same id on both
			// peers: "/interface bonding add mlag-id=10 mode=802.3ad
			// name=bond1 slaves=ether1", Multi-chassis Link Aggregation
			// Group page of the manual,
			// https://help.mikrotik.com/docs/display/ROS/Multi-chassis+Link+Aggregation+Group).
			// It was refused as "bad parameter mlag-id". [verify] the
			// range.
			onlyV7(withParse("mlag-id", "", pIntOr("", 0, 4294967295))),
			comment, disabled,
		},
		check:   checkStoredIfName("interface bonding"),
		columns: []string{"name", "slaves", "mode"},
	}
)

// pIfNames is a comma list of existing interfaces (bonding slaves).
func pIfNames(t *tx, name, v string) (string, error) {
	for _, ifc := range splitList(v) {
		if !t.ifaceExists(ifc) {
			return "", errNoMatch(name)
		}
	}
	if v == "" {
		return "", errInvalid(name)
	}
	return v, nil
}

// checkStoredIfName refuses a name another interface has.
func checkStoredIfName(table string) func(t *tx, it *item) error {
	return func(t *tx, it *item) error {
		n := it.props["name"]
		if t.findByName("interface ethernet", n) != nil {
			return errFailure("name", "already have interface with such name")
		}
		for _, tbl := range append([]string{wireguardTable}, storedIfTables...) {
			for _, x := range t.m.tables[tbl] {
				if x.id != it.id && x.props["name"] == n {
					return errFailure("name", "already have interface with such name")
				}
			}
		}
		return nil
	}
}

func init() {
	storedIfTables = append(storedIfTables,
		// The L2TP, SSTP and OpenVPN clients are not here: they are links
		// of the kernel while their session is up, as a PPPoE client is
		// (ifaceTables).
		"interface gre", "interface ipip", "interface eoip",
		"interface pptp-client", "interface bonding")
}

// The IPv6-transport tunnels: /interface gre6, ipipv6 and eoipv6 (GRE,
// IP-in-IPv6 and EoIP over IPv6; a 6.47 CCR1036 ISP export carries
// "/interface gre6 add keepalive=5s local-address=... name=gre6-tunnel1
// remote-address=..."). Stored interfaces like the IPv4 tunnels. Source:
// the GRE, IPIP and EoIP pages of the manual
// (https://help.mikrotik.com/docs/display/ROS/GRE, .../IPIP, .../EoIP).
var (
	gre6Menu   = runningTunnelMenu("interface gre6", ipTunnelProps())
	ipipv6Menu = runningTunnelMenu("interface ipipv6", ipTunnelProps())
	eoipv6Menu = runningTunnelMenu("interface eoipv6", ipTunnelProps(
		iProp("tunnel-id", "0", 0, 65535),
		withParse("mac-address", "", pMAC),
		sProp("arp", "enabled"),
		sProp("loop-protect", "default"),
	))
)

func init() {
	for _, m := range []*menu{gre6Menu, ipipv6Menu, eoipv6Menu} {
		m.prop("local-address").def = "::"
	}
	storedIfTables = append(storedIfTables, "interface gre6", "interface ipipv6", "interface eoipv6")
	insertMenus("interface eoip", gre6Menu, ipipv6Menu, eoipv6Menu)
}
