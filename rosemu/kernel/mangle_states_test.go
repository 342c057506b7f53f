package kernel

import "net/netip"

// dualWANState is a dual-WAN office router with a PCC split: LAN
// connections to the internet go out through ether1 or ether3 by a hash of
// both addresses, answers to connections that came in on a WAN go back out
// through it, and traffic to the router or between local subnets is left
// alone (dst-address-type=!local, connected networks).
func dualWANState() *State {
	st := baseState()
	st.Ports = []string{"ether1", "ether2", "ether3"}
	st.Addresses = append(st.Addresses, Address{Prefix: netip.MustParsePrefix("198.18.0.2/24"), Interface: "ether3"})
	st.InterfaceLists["WAN"] = []string{"ether1", "ether3"}
	st.RoutingTables = []RoutingTable{{Name: "to_ISP1", ID: 1}, {Name: "to_ISP2", ID: 2}}
	st.Routes = []Route{
		{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "203.0.113.1", Distance: 1},
		{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "198.18.0.1", Distance: 2},
		{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "203.0.113.1@main", Distance: 1, Table: "to_ISP1"},
		{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "198.18.0.1@main", Distance: 1, Table: "to_ISP2"},
	}
	st.AddressLists["connected"] = []AddrEntry{prefix("192.168.88.0/24"), prefix("203.0.113.0/24"), prefix("198.18.0.0/24")}
	st.Mangle = []Rule{
		rule("*10", "chain=prerouting", "action=accept", "dst-address-list=connected", "in-interface-list=LAN", "comment=connected networks stay on main"),
		rule("*11", "chain=prerouting", "action=mark-connection", "new-connection-mark=ISP1_conn", "passthrough=yes", "in-interface=ether1", "connection-mark=no-mark"),
		rule("*12", "chain=prerouting", "action=mark-connection", "new-connection-mark=ISP2_conn", "passthrough=yes", "in-interface=ether3", "connection-mark=no-mark"),
		rule("*13", "chain=prerouting", "action=mark-connection", "new-connection-mark=ISP1_conn", "passthrough=yes", "in-interface-list=LAN", "dst-address-type=!local", "connection-mark=no-mark", "per-connection-classifier=both-addresses:2/0"),
		rule("*14", "chain=prerouting", "action=mark-connection", "new-connection-mark=ISP2_conn", "passthrough=yes", "in-interface-list=LAN", "dst-address-type=!local", "connection-mark=no-mark", "per-connection-classifier=both-addresses:2/1"),
		rule("*15", "chain=prerouting", "action=mark-routing", "new-routing-mark=to_ISP1", "passthrough=no", "in-interface-list=LAN", "connection-mark=ISP1_conn"),
		rule("*16", "chain=prerouting", "action=mark-routing", "new-routing-mark=to_ISP2", "passthrough=no", "in-interface-list=LAN", "connection-mark=ISP2_conn"),
		rule("*17", "chain=output", "action=mark-routing", "new-routing-mark=to_ISP1", "connection-mark=ISP1_conn"),
		rule("*18", "chain=output", "action=mark-routing", "new-routing-mark=to_ISP2", "connection-mark=ISP2_conn"),
		rule("*19", "chain=forward", "action=change-mss", "new-mss=clamp-to-pmtu", "protocol=tcp", "tcp-flags=syn", "out-interface-list=WAN"),
		rule("*1A", "chain=prerouting", "action=mark-packet", "new-packet-mark=voip", "protocol=udp", "dst-port=5060", "passthrough=no"),
		rule("*1B", "chain=forward", "action=jump", "jump-target=qos"),
		rule("*1C", "chain=qos", "action=change-dscp", "new-dscp=46", "packet-mark=voip"),
		rule("*1D", "chain=qos", "action=change-ttl", "new-ttl=set:64", "packet-mark=!voip", "routing-mark=to_ISP2"),
		rule("*1E", "chain=qos", "action=return"),
		rule("*1F", "chain=postrouting", "action=change-mss", "new-mss=1360", "protocol=tcp", "tcp-flags=syn,!rst", "tcp-mss=1361-65535"),
	}
	st.NAT = []Rule{rule("*20", "chain=srcnat", "action=masquerade", "out-interface-list=WAN")}
	return st
}

// rawState uses the raw table and the matchers of the less common kinds.
func rawState() *State {
	st := baseState()
	st.AddressLists["bogons"] = []AddrEntry{prefix("0.0.0.0/8"), prefix("127.0.0.0/8")}
	st.Raw = []Rule{
		rule("*30", "chain=prerouting", "action=drop", "src-address-list=bogons", "in-interface-list=WAN"),
		rule("*31", "chain=prerouting", "action=notrack", "src-address=192.168.88.0/24", "dst-address=192.168.88.0/24"),
		rule("*32", "chain=prerouting", "action=jump", "jump-target=icmp-check", "protocol=icmp"),
		rule("*33", "chain=icmp-check", "action=accept", "protocol=icmp", "icmp-options=8:0", "limit=5/1s,10:packet"),
		rule("*34", "chain=icmp-check", "action=drop", "protocol=icmp", "icmp-options=8"),
		rule("*35", "chain=output", "action=accept", "packet-size=0-1500", "ttl=greater-than:1", "dscp=!46"),
		rule("*36", "chain=prerouting", "action=log", "log-prefix=frag", "fragment=yes"),
		rule("*37", "chain=prerouting", "action=passthrough", "random=10"),
		rule("*38", "chain=prerouting", "action=passthrough", "nth=3,1", "src-mac-address=02:00:00:00:00:01"),
	}
	// Port knocking: the first knock puts the source on a list for 30 s,
	// the second only counts when it comes from a listed source.
	st.Filter = append(st.Filter,
		rule("*40", "chain=input", "action=add-src-to-address-list", "address-list=knock1", "address-list-timeout=30s", "protocol=tcp", "dst-port=1111"),
		rule("*41", "chain=input", "action=add-src-to-address-list", "address-list=trusted", "address-list-timeout=1h", "protocol=tcp", "dst-port=2222", "src-address-list=knock1"),
		rule("*42", "chain=input", "action=accept", "protocol=tcp", "dst-port=22", "src-address-list=trusted"),
		rule("*43", "chain=input", "action=drop", "protocol=tcp", "port=22", "src-address-list=!trusted"),
		rule("*44", "chain=forward", "action=accept", "connection-bytes=0-500000", "time=8h-17h,mon,tue,wed,thu,fri"),
		rule("*45", "chain=forward", "action=add-dst-to-address-list", "address-list=seen", "address-list-timeout=none-dynamic"),
		rule("*46", "chain=forward", "action=drop", "protocol=tcp", "tcp-flags=syn", "connection-limit=100,24"),
		rule("*47", "chain=input", "action=accept", "protocol=icmp", "dst-limit=10/1s,5,src-address/1m"),
		rule("*48", "chain=input", "action=accept", "protocol=tcp", "dst-limit=50,20,dst-address-and-port"),
	)
	st.AddressLists["trusted"] = []AddrEntry{host("192.168.88.20")}
	return st
}

func mangleGoldenStates() map[string]*State {
	return map[string]*State{"mangle-pcc": dualWANState(), "raw-knock": rawState()}
}
