package kernel

import (
	"fmt"
	"net/netip"
	"strings"
)

// rule builds a Rule from "name=value" pairs.
func rule(id string, kv ...string) Rule {
	r := Rule{ID: id, Props: map[string]string{}}
	for _, p := range kv {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			panic(fmt.Sprintf("rule %s: %q is not name=value", id, p))
		}
		r.Props[k] = v
	}
	return r
}

func host(s string) AddrEntry {
	a := netip.MustParseAddr(s)
	return AddrEntry{Prefix: netip.PrefixFrom(a, 32)}
}

func prefix(s string) AddrEntry { return AddrEntry{Prefix: netip.MustParsePrefix(s)} }

func span(from, to string) AddrEntry {
	return AddrEntry{From: netip.MustParseAddr(from), To: netip.MustParseAddr(to)}
}

// baseState is labs/hairpin.rsc as the configuration engine resolves it:
// the lab's addressing and the RouterOS v7 defconf firewall.
func baseState() *State {
	return &State{
		Ports: []string{"ether1", "ether2"},
		Addresses: []Address{
			{Prefix: netip.MustParsePrefix("203.0.113.2/24"), Interface: "ether1"},
			{Prefix: netip.MustParsePrefix("192.168.88.1/24"), Interface: "ether2"},
		},
		Routes: []Route{{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "203.0.113.1", Distance: 1}},
		InterfaceLists: map[string][]string{
			"all": {"ether1", "ether2"}, "none": nil, "dynamic": nil, "static": {"ether1", "ether2"},
			"WAN": {"ether1"}, "LAN": {"ether2"},
		},
		AddressLists: map[string][]AddrEntry{},
		Filter: []Rule{
			rule("*1", "chain=input", "action=accept", "connection-state=established,related,untracked", "comment=defconf: accept established,related,untracked"),
			rule("*2", "chain=input", "action=drop", "connection-state=invalid", "comment=defconf: drop invalid"),
			rule("*3", "chain=input", "action=accept", "protocol=icmp", "comment=defconf: accept ICMP"),
			rule("*4", "chain=input", "action=accept", "dst-address=127.0.0.1", "comment=defconf: accept to local loopback (for CAPsMAN)"),
			rule("*5", "chain=input", "action=drop", "in-interface-list=!LAN", "comment=defconf: drop all not coming from LAN"),
			rule("*6", "chain=forward", "action=accept", "ipsec-policy=in,ipsec", "comment=defconf: accept in ipsec policy"),
			rule("*7", "chain=forward", "action=accept", "ipsec-policy=out,ipsec", "comment=defconf: accept out ipsec policy"),
			rule("*8", "chain=forward", "action=fasttrack-connection", "connection-state=established,related", "comment=defconf: fasttrack"),
			rule("*9", "chain=forward", "action=accept", "connection-state=established,related,untracked", "comment=defconf: accept established,related, untracked"),
			rule("*A", "chain=forward", "action=drop", "connection-state=invalid", "comment=defconf: drop invalid"),
			rule("*B", "chain=forward", "action=drop", "connection-nat-state=!dstnat", "connection-state=new", "in-interface-list=WAN", "comment=defconf: drop all from WAN not DSTNATed"),
		},
		NAT: []Rule{
			rule("*1", "chain=srcnat", "action=masquerade", "ipsec-policy=out,none", "out-interface-list=WAN", "comment=defconf: masquerade"),
		},
	}
}

// The rules of the forum post's methods (seed/), with the lab's addresses:
// server 192.168.88.10 port 12566, LAN 192.168.88.0/24, WAN 203.0.113.2.

// hairpinMasq is method 2's generic src-nat rule, placed before defconf's.
func hairpinMasq(id string) Rule {
	return rule(id, "chain=srcnat", "action=masquerade", "src-address=192.168.88.0/24", "dst-address=192.168.88.0/24", "comment=hairpin")
}

// portForward is method 3's static dst-nat rule.
func portForward(id string) Rule {
	return rule(id, "chain=dstnat", "action=dst-nat", "dst-address=203.0.113.2", "protocol=tcp", "dst-port=12566", "to-addresses=192.168.88.10", "comment=port forward")
}

func withNAT(st *State, rules ...Rule) *State {
	st.NAT = append(rules, st.NAT...)
	return st
}

// goldenStates are the states rendered to testdata/<name>.golden.
func goldenStates() map[string]*State {
	m := map[string]*State{
		"base": baseState(),
		// Method 1: DNS; LAN clients are forced to the router's resolver.
		"method1-dns": withNAT(baseState(),
			rule("*2", "chain=dstnat", "action=redirect", "protocol=tcp", "dst-port=53", "src-address=192.168.88.0/24", "comment=Force Users to Router for DNS - TCP"),
			rule("*3", "chain=dstnat", "action=redirect", "protocol=udp", "dst-port=53", "src-address=192.168.88.0/24", "comment=Force Users to Router for DNS - UDP")),
		// Method 2: the src-nat rule alone, generic and precise forms.
		"method2-srcnat": withNAT(baseState(), hairpinMasq("*2"),
			rule("*3", "chain=srcnat", "action=masquerade", "src-address=192.168.88.0/24", "dst-address=192.168.88.10", "protocol=tcp", "dst-port=12566", "out-interface-list=LAN", "comment=hairpin precise")),
		// Method 3: static WAN address.
		"method3-static": withNAT(baseState(), portForward("*2"), hairpinMasq("*3")),
		// Method 4: dynamic WAN through dst-address-type=local, and the
		// variant with an address list of all subnets.
		"method4-local": withNAT(baseState(),
			rule("*2", "chain=dstnat", "action=dst-nat", "dst-address-type=local", "dst-address=!192.168.88.1", "protocol=tcp", "dst-port=12566", "to-addresses=192.168.88.10"),
			hairpinMasq("*3")),
		"method4-allsubnets": func() *State {
			st := withNAT(baseState(),
				rule("*2", "chain=dstnat", "action=dst-nat", "dst-address-type=local", "dst-address-list=!allsubnets", "protocol=tcp", "dst-port=12566", "to-addresses=192.168.88.10"),
				hairpinMasq("*3"))
			st.AddressLists["allsubnets"] = []AddrEntry{prefix("192.168.88.0/24"), prefix("192.168.89.0/24"), prefix("10.10.0.0/16")}
			return st
		}(),
		// Method 5: IP cloud keeps the WAN address in a list.
		"method5-ipcloud": func() *State {
			st := withNAT(baseState(),
				rule("*2", "chain=dstnat", "action=dst-nat", "dst-address-list=updatedCloudIP", "protocol=tcp", "dst-port=12566", "to-addresses=192.168.88.10"),
				hairpinMasq("*3"))
			st.AddressLists["updatedCloudIP"] = []AddrEntry{host("203.0.113.2")}
			return st
		}(),
		// Method 6: the DHCP script's list before the first lease: its one
		// entry is disabled, so the list is empty and matches nothing.
		"method6-dhcp": func() *State {
			st := withNAT(baseState(),
				rule("*2", "chain=dstnat", "action=dst-nat", "dst-address-list=external_wan", "protocol=tcp", "dst-port=12566", "to-addresses=192.168.88.10"),
				hairpinMasq("*3"))
			st.AddressLists["external_wan"] = nil
			return st
		}(),
		"matchers": matchersState(),
	}
	for k, v := range mangleGoldenStates() {
		m[k] = v
	}
	return m
}

// matchersState exercises every matcher and action with negations, ranges,
// lists and awkward names.
func matchersState() *State {
	st := baseState()
	st.AddressLists = map[string][]AddrEntry{
		// Overlapping and adjacent entries, as RouterOS allows.
		"trusted": {prefix("10.0.0.0/8"), prefix("10.1.0.0/16"), span("192.168.1.10", "192.168.1.20"), host("192.168.1.21"), span("192.168.2.0", "192.168.2.255")},
		"empty":   nil,
	}
	st.Filter = []Rule{
		rule("*1", "chain=input", "action=drop", "src-address=10.0.0.1-10.0.0.9", "dst-address=!192.168.88.0/24", "protocol=!udp", "log=yes", "log-prefix=bad"),
		rule("*2", "chain=input", "action=reject", "reject-with=tcp-reset", "protocol=tcp", "src-port=1024-65535", "dst-port=!22,8291,8728-8729"),
		rule("*3", "chain=forward", "action=passthrough", "protocol=udp", "port=53,5353", "in-interface=ether2", "out-interface=!ether1"),
		rule("*4", "chain=forward", "action=jump", "jump-target=my chain/1", "protocol=tcp", "port=!80"),
		rule("*5", "chain=my chain/1", "action=log", "log-prefix=say \"hi\"", "src-address-list=!trusted", "src-address-type=!unicast"),
		rule("*6", "chain=my chain/1", "action=return", "connection-nat-state=srcnat,dstnat", "dst-address-list=empty"),
		rule("*7", "chain=forward", "action=reject", "reject-with=icmp-admin-prohibited", "connection-state=!established,related"),
		rule("*8", "chain=forward", "action=accept", "protocol=47", "comment=GRE \"tunnel\" \\ ok\tdone"),
		rule("*9", "chain=output", "action=accept", "dst-address-type=broadcast", "disabled=yes"),
		rule("*A", "chain=forward", "action=jump", "jump-target=empty-chain"),
		rule("*B", "chain=input", "action=accept", "ipsec-policy=in,none", "protocol=ipsec-esp"),
		rule("*C", "chain=forward", "action=reject"),
		rule("*D", "chain=output", "action=drop", "dst-address-type=multicast", "out-interface-list=all", "connection-nat-state=!srcnat"),
	}
	st.NAT = []Rule{
		rule("*1", "chain=dstnat", "action=netmap", "dst-address=203.0.113.0/24", "to-addresses=192.168.100.0/24"),
		rule("*2", "chain=srcnat", "action=netmap", "src-address=192.168.100.0/24", "to-addresses=203.0.113.0/24"),
		rule("*3", "chain=dstnat", "action=dst-nat", "protocol=tcp", "dst-port=80", "to-addresses=192.168.88.10-192.168.88.12", "to-ports=8000-8010"),
		rule("*4", "chain=srcnat", "action=src-nat", "src-address=192.168.88.0/24", "out-interface-list=WAN", "to-addresses=203.0.113.2"),
		rule("*5", "chain=srcnat", "action=masquerade", "protocol=udp", "to-ports=10000-20000"),
		rule("*6", "chain=dstnat", "action=redirect", "protocol=tcp", "dst-port=8080", "to-ports=80", "in-interface-list=!WAN"),
		rule("*7", "chain=output", "action=dst-nat", "protocol=tcp", "dst-port=1", "to-addresses=127.0.0.1"),
		rule("*8", "chain=input", "action=src-nat", "protocol=tcp", "dst-port=22", "to-addresses=192.168.88.1"),
		rule("*9", "chain=srcnat", "action=jump", "jump-target=hairpin"),
		rule("*A", "chain=hairpin", "action=masquerade", "src-address=192.168.88.0/24", "dst-address=192.168.88.0/24"),
		rule("*B", "chain=hairpin", "action=passthrough", "protocol=udp", "src-port=!53"),
		rule("*C", "chain=dstnat", "action=accept", "src-address-type=local"),
	}
	return st
}
