package config

// Menus of the seventh export pass (helper h17), stored without enforcing.

const macsecReason = "rosemu builds no MACsec: the setting is stored and secures no link"

// macsecProfileMenu is /interface macsec profile (RouterOS 7): the
// MKA profiles MACsec interfaces use, with one built-in entry that a
// 7.19.6 verbose export writes as "set [ find default-name=default ]
// name=default server-priority=10". Source: MACsec page of the manual
// (https://help.mikrotik.com/docs/display/ROS/MACsec). [verify] the first
// 7.x with profiles and their other properties.
var macsecProfileMenu = &menu{
	path: "interface macsec profile", nameProp: "name", major: 7, notEnforced: macsecReason,
	props: []*prop{
		{name: "name", parse: pChain, required: true},
		sProp("default-name", ""),
		iProp("server-priority", "10", 0, 255),
		comment,
	},
	defaults: []map[string]string{{"name": "default", "default-name": "default"}},
	check:    checkUniqueName("interface macsec profile", "entry with such name already exists"),
	columns:  []string{"name", "server-priority"},
}

func init() {
	insertMenus("interface macvlan", macsecProfileMenu)
}

const trafficGenReason = "rosemu generates no test traffic: the template is stored"

// The traffic generator's templates, ports and streams (RouterOS 6 and 7):
// a 7.14alpha CCR2216 export writes "/tool traffic-generator
// packet-template add ip-dst=1.0.0.1-9.9.9.9 ip-gateway=172.16.20.1
// ip-protocol=udp ip-src=10.1.2.100 name=pt0", a 6.x HamWAN export
// "add header-stack=raw name=hamwan-id raw-header=k". Source: Traffic
// Generator page of the manual
// (https://help.mikrotik.com/docs/display/ROS/Traffic+Generator:
// port add interface=ether2 name=port0; packet-template add
// header-stack=mac,ip,udp ip-dst= ip-gateway= ip-src= name= port=).
// Values are kept as written. [verify] the full property list.
var (
	trafficGenTemplateMenu = &menu{
		path: "tool traffic-generator packet-template", nameProp: "name", notEnforced: trafficGenReason,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			sProp("header-stack", "mac,ip,udp"),
			sProp("interface", ""),
			sProp("port", ""),
			sProp("mac-src", ""), sProp("mac-dst", ""), sProp("mac-protocol", ""),
			sProp("vlan-id", ""), sProp("vlan-priority", ""), sProp("vlan-protocol", ""),
			sProp("ip-src", ""), sProp("ip-dst", ""), sProp("ip-gateway", ""),
			sProp("ip-protocol", ""), sProp("ip-dscp", ""), sProp("ip-ttl", ""),
			sProp("ipv6-src", ""), sProp("ipv6-dst", ""), sProp("ipv6-gateway", ""),
			sProp("udp-src-port", ""), sProp("udp-dst-port", ""),
			sProp("raw-header", ""), sProp("data", ""), sProp("data-byte", ""),
			sProp("random-ranges", ""), sProp("special-footer", ""), sProp("assumed-mtu", ""),
			comment,
		},
		check:   checkUniqueName("tool traffic-generator packet-template", "entry with such name already exists"),
		columns: []string{"name", "header-stack", "ip-dst"},
	}
	trafficGenPortMenu = &menu{
		path: "tool traffic-generator port", nameProp: "name", notEnforced: trafficGenReason,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			{name: "interface", parse: pInterface, required: true},
			comment, disabled,
		},
		columns: []string{"name", "interface"},
	}
	trafficGenStreamMenu = &menu{
		path: "tool traffic-generator stream", nameProp: "name", notEnforced: trafficGenReason,
		props: []*prop{
			sProp("name", ""),
			sProp("tx-template", ""),
			sProp("port", ""),
			sProp("id", ""),
			sProp("pps", ""),
			sProp("mbps", ""),
			sProp("packet-size", ""),
			comment, disabled,
		},
		columns: []string{"name", "port", "tx-template"},
	}
)

func init() {
	insertMenus("tool traffic-generator", trafficGenTemplateMenu, trafficGenPortMenu, trafficGenStreamMenu)
}

// bridgeMLAGMenu is /interface bridge mlag (RouterOS 7, CRS3xx/CRS5xx and
// CCR2116/2216): the bridge and peer port of a multi-chassis LAG and the
// peer's priority. A 7.17 CRS317 export writes "/interface bridge mlag
// set priority=127", a 7.19 verbose export "# disabled" then "set
// bridge=none heartbeat=5s peer-port=none priority=128"; both were "bad
// command name mlag". Source: Multi-chassis Link Aggregation Group page
// of the manual
// (https://help.mikrotik.com/docs/display/ROS/Multi-chassis+Link+Aggregation+Group:
// bridge, peer-port, priority, heartbeat). rosemu runs no MLAG: stored.
// [verify] the priority range and heartbeat's default.
var bridgeMLAGMenu = &menu{
	path: "interface bridge mlag", single: true, major: 7,
	notEnforced: "rosemu runs no MLAG: the peer settings are stored and no peer is sought",
	props: []*prop{
		withParse("bridge", "none", pIfaceOrNone),
		withParse("peer-port", "none", pIfaceOrNone),
		iProp("priority", "128", 0, 255),
		sProp("heartbeat", "5s"),
	},
}

// pIfaceOrNone is an existing interface or none.
func pIfaceOrNone(t *tx, name, v string) (string, error) {
	if v == "none" || v == "" {
		return "none", nil
	}
	if !t.ifaceExists(v) {
		return "", errNoMatch(name)
	}
	return v, nil
}

func init() {
	insertMenus("interface bridge settings", bridgeMLAGMenu)
}
