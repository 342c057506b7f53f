package config

import (
	"context"
	"strings"
	"testing"
)

// versionCase is one source run on one RouterOS version: wantErr is the
// refusal in RouterOS's words with its position, "" when the version
// takes the source.
type versionCase struct{ ver, src, wantErr string }

// checkVersionCases runs each case on a fresh router of its version.
func checkVersionCases(t *testing.T, cases []versionCase) {
	t.Helper()
	for _, c := range cases {
		r := New(Options{Ports: []string{"ether1", "ether2"}, Version: c.ver})
		_, err := r.Run(context.Background(), c.src)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.wantErr {
			t.Errorf("%s %q: err %q, want %q", c.ver, c.src, got, c.wantErr)
		}
	}
}

// TestDHCPClientPropsByVersion: the DHCP client's check-gateway and
// allow-reconfigure are 7.19+, default-route-tables 7.18+, dscp,
// vlan-priority and use-broadcast 7.20+ (the community.routeros Ansible
// collection's table of API paths); the server's use-reconfigure is 7.19+.
// Each version before refuses the name at its position (ver46 D2).
func TestDHCPClientPropsByVersion(t *testing.T) {
	checkVersionCases(t, []versionCase{
		{"7.18.2", "/ip dhcp-client add interface=ether1 check-gateway=ping", "expected end of command (line 1 column 38)"},
		{"7.16.2", "/ip dhcp-client add interface=ether1 check-gateway=ping", "expected end of command (line 1 column 38)"},
		{"6.49.18", "/ip dhcp-client add interface=ether1 check-gateway=ping", "expected end of command (line 1 column 38)"},
		{"7.19", "/ip dhcp-client add interface=ether1 check-gateway=ping", ""},
		{"7.18.2", "/ip dhcp-client add interface=ether1 allow-reconfigure=yes", "expected end of command (line 1 column 38)"},
		{"7.19.4", "/ip dhcp-client add interface=ether1 allow-reconfigure=yes", ""},
		{"7.17.2", "/ip dhcp-client add interface=ether1 default-route-tables=main", "expected end of command (line 1 column 38)"},
		{"7.18", "/ip dhcp-client add interface=ether1 default-route-tables=main", ""},
		{"7.19.6", "/ip dhcp-client add interface=ether1 dscp=10", "expected end of command (line 1 column 38)"},
		{"7.20.8", "/ip dhcp-client add interface=ether1 dscp=10", ""},
		{"7.20.8", "/ip dhcp-client add interface=ether1 dscp=64", "invalid value for argument dscp (line 1 column 38)"},
		{"7.19.6", "/ip dhcp-client add interface=ether1 vlan-priority=3", "expected end of command (line 1 column 38)"},
		{"7.20.8", "/ip dhcp-client add interface=ether1 vlan-priority=3", ""},
		{"7.16.2", "/ip dhcp-client add interface=ether1 use-broadcast=never", "expected end of command (line 1 column 38)"},
		{"7.20.8", "/ip dhcp-client add interface=ether1 use-broadcast=never", ""},
		{"7.18.2", "/ip pool add name=p ranges=10.0.0.2-10.0.0.9\n/ip dhcp-server add address-pool=p interface=ether2 use-reconfigure=yes", "expected end of command (line 2 column 53)"},
		{"7.19", "/ip pool add name=p ranges=10.0.0.2-10.0.0.9\n/ip dhcp-server add address-pool=p interface=ether2 use-reconfigure=yes", ""},
	})
}

// TestNetwatchPropsByVersion: netwatch's ttl, accept-icmp-time-exceeded,
// dns-server and record-type are 7.16+, ignore-initial-up/-down 7.17+,
// early-failure-detection and early-success-detection 7.20+ (the
// community.routeros Ansible collection's table of API paths); the
// version before refuses each at its position (ver46 D3).
func TestNetwatchPropsByVersion(t *testing.T) {
	const add = "/tool netwatch add host=192.0.2.1 "
	checkVersionCases(t, []versionCase{
		{"7.16.2", add + "ignore-initial-up=yes", "expected end of command (line 1 column 35)"},
		{"7.16.2", add + "ignore-initial-down=yes", "expected end of command (line 1 column 35)"},
		{"7.4", add + "ignore-initial-up=yes", "expected end of command (line 1 column 35)"},
		{"7.17", add + "ignore-initial-up=yes ignore-initial-down=yes", ""},
		{"7.15.3", add + "type=icmp ttl=64", "expected end of command (line 1 column 45)"},
		{"7.15.3", add + "type=icmp accept-icmp-time-exceeded=yes", "expected end of command (line 1 column 45)"},
		{"7.16", add + "type=icmp ttl=64 accept-icmp-time-exceeded=yes", ""},
		{"7.15.3", add + "type=dns dns-server=192.0.2.53", "expected end of command (line 1 column 44)"},
		{"7.15.3", add + "type=dns record-type=A", "expected end of command (line 1 column 44)"},
		{"7.16.2", add + "type=dns dns-server=192.0.2.53 record-type=A", ""},
		{"7.19.6", add + "type=icmp early-failure-detection=yes", "expected end of command (line 1 column 45)"},
		{"7.19.6", add + "type=icmp early-success-detection=yes", "expected end of command (line 1 column 45)"},
		{"7.20.8", add + "type=icmp early-failure-detection=yes early-success-detection=yes", ""},
	})
}

// TestBackToHomeUsersByVersion: Back To Home's user list is
// back-to-home-users on 7.14-7.17 (Back To Home page: "Since RouterOS
// 7.14") and back-to-home-user from 7.18 (the Ansible table); a version
// without the menu refuses its word at its position (ver46 D4).
func TestBackToHomeUsersByVersion(t *testing.T) {
	const users = "/ip cloud back-to-home-users add name=u1 allow-lan=yes"
	const user = "/ip cloud back-to-home-user add name=u1 allow-lan=yes"
	checkVersionCases(t, []versionCase{
		{"7.14", users, ""},
		{"7.16.2", users, ""},
		{"7.17.2", users, ""},
		{"7.13.5", users, "bad command name back-to-home-users (line 1 column 11)"},
		{"7.18", users, "bad command name back-to-home-users (line 1 column 11)"},
		{"6.49.18", users, "bad command name back-to-home-users (line 1 column 11)"},
		{"7.18", user, ""},
		{"7.20.8", user, ""},
		{"6.49.18", user, "bad command name back-to-home-user (line 1 column 11)"},
		{"7.13.5", user, "bad command name back-to-home-user (line 1 column 11)"},
	})
}

// TestBGPInstanceByVersion: /routing bgp instance is RouterOS 6's and
// 7.20's; 7.1-7.19 refuse the menu word (the Ansible table: "Not
// supported from 7.15 until reintroduced in 7.20"), where 7.16 answered
// a v6 "set default" with "no such item" (ver46 D5).
func TestBGPInstanceByVersion(t *testing.T) {
	const add = "/routing bgp instance add name=bgp1 as=65001 router-id=1.1.1.1"
	const setDefault = "/routing bgp instance set default as=65001 router-id=1.1.1.1"
	checkVersionCases(t, []versionCase{
		{"7.16.2", add, "bad command name instance (line 1 column 14)"},
		{"7.19.6", add, "bad command name instance (line 1 column 14)"},
		{"7.1", add, "bad command name instance (line 1 column 14)"},
		{"7.16.2", setDefault, "bad command name instance (line 1 column 14)"},
		{"7.20", add, ""},
		{"7.20.8", add, ""},
		{"6.49.18", setDefault, ""},
	})
}

// TestIPv6SettingsByVersion: disable-ipv6 is RouterOS 7's (Manual:IPv6/
// Settings has none; ver46 D8); multipath-hash-policy is 7.16+,
// disable-link-local-address 7.17+ and allow-fast-path 7.18+ (the Ansible
// table; ver46 D19). The version before refuses each at its position.
func TestIPv6SettingsByVersion(t *testing.T) {
	const set = "/ipv6 settings set "
	checkVersionCases(t, []versionCase{
		{"6.49.18", set + "disable-ipv6=yes", "expected end of command (line 1 column 20)"},
		{"6.49.18", set + "forward=no", ""},
		{"7.1", set + "disable-ipv6=yes", ""},
		{"7.15.3", set + "multipath-hash-policy=l4", "expected end of command (line 1 column 20)"},
		{"7.16", set + "multipath-hash-policy=l4", ""},
		{"7.16.2", set + "disable-link-local-address=yes", "expected end of command (line 1 column 20)"},
		{"7.17", set + "disable-link-local-address=yes", ""},
		{"7.17.2", set + "allow-fast-path=no", "expected end of command (line 1 column 20)"},
		{"7.18", set + "allow-fast-path=no", ""},
	})
}

// TestIPVRFByVersion: /ip vrf is RouterOS 7's; 6.x has its VRFs under
// /ip route vrf and refuses the word (ver46 D6).
func TestIPVRFByVersion(t *testing.T) {
	checkVersionCases(t, []versionCase{
		{"6.49.18", "/ip vrf add interfaces=ether2 name=vrf1", "bad command name vrf (line 1 column 5)"},
		{"6.49.18", "/ip route vrf add interfaces=ether2 routing-mark=vrf1", ""},
		{"7.16.2", "/ip vrf add interfaces=ether2 name=vrf1", ""},
	})
}

// TestV7MenusRefusedOn6: menus RouterOS 6 lacks are refused at their word on
// 6.49 (they were stored or modelled): /routing id (v6 sets router ids on
// the OSPF and BGP instances; ver46 D12), /interface vxlan and macvlan
// and /routing bfd configuration (v6 BFD is /routing bfd interface; ver46
// D13); containers and their veth interfaces need 7.4 (ver46 D11).
func TestV7MenusRefusedOn6(t *testing.T) {
	checkVersionCases(t, []versionCase{
		{"6.49.18", "/routing id add id=1.1.1.1 name=id1", "bad command name id (line 1 column 10)"},
		{"7.16.2", "/routing id add id=1.1.1.1 name=id1", ""},
		{"6.49.18", "/interface vxlan add name=vx1 vni=10", "bad command name vxlan (line 1 column 12)"},
		{"7.16.2", "/interface vxlan add name=vx1 vni=10", ""},
		{"6.49.18", "/interface macvlan add interface=ether1 name=mv1", "bad command name macvlan (line 1 column 12)"},
		{"7.16.2", "/interface macvlan add interface=ether1 name=mv1", ""},
		{"6.49.18", "/routing bfd configuration add interfaces=ether1", "bad command name configuration (line 1 column 14)"},
		{"6.49.18", "/routing bfd interface add interface=ether1", ""},
		{"7.16.2", "/routing bfd configuration add interfaces=ether1", ""},
		{"6.49.18", "/container config set tmpdir=disk1/tmp", "bad command name container (line 1 column 2)"},
		{"7.3.1", "/container config set tmpdir=disk1/tmp", "bad command name container (line 1 column 2)"},
		{"7.3.1", "/container envs add name=e1 key=A value=1", "bad command name container (line 1 column 2)"},
		{"7.4", "/container config set tmpdir=disk1/tmp", ""},
		{"7.4", "/container envs add name=e1 key=A value=1", ""},
		{"6.49.18", "/interface veth add name=veth1 address=172.17.0.2/24 gateway=172.17.0.1", "bad command name veth (line 1 column 12)"},
		{"7.3.1", "/interface veth add name=veth1 address=172.17.0.2/24 gateway=172.17.0.1", "bad command name veth (line 1 column 12)"},
		{"7.4", "/interface veth add name=veth1 address=172.17.0.2/24 gateway=172.17.0.1", ""},
	})
}

// TestBridgeVLANFilteringByVersion: bridge VLAN filtering (the VLAN
// table, vlan-filtering, pvid, frame-types, ingress-filtering) came with
// 6.41 (Bridge VLAN Table page: "Since RouterOS v6.41"); 6.40 refuses the
// menu word and the parameters (ver46 D7).
func TestBridgeVLANFilteringByVersion(t *testing.T) {
	const br = "/interface bridge add name=br1\n"
	checkVersionCases(t, []versionCase{
		{"6.40.9", br + "/interface bridge vlan add bridge=br1 vlan-ids=10 tagged=ether1", "bad command name vlan (line 2 column 19)"},
		{"6.40.9", "/interface bridge add name=br1 vlan-filtering=yes", "expected end of command (line 1 column 32)"},
		{"6.40.9", br + "/interface bridge port add bridge=br1 interface=ether2 pvid=10", "expected end of command (line 2 column 56)"},
		{"6.40.9", br + "/interface bridge port add bridge=br1 interface=ether2 frame-types=admit-only-vlan-tagged", "expected end of command (line 2 column 56)"},
		{"6.40.9", br + "/interface bridge port add bridge=br1 interface=ether2 ingress-filtering=yes", "expected end of command (line 2 column 56)"},
		{"6.40.9", br + "/interface bridge port add bridge=br1 interface=ether2", ""},
		{"6.41", br + "/interface bridge vlan add bridge=br1 vlan-ids=10 tagged=ether1", ""},
		{"6.49.18", "/interface bridge add name=br1 vlan-filtering=yes pvid=1 frame-types=admit-all", ""},
		{"6.49.18", br + "/interface bridge port add bridge=br1 interface=ether2 pvid=10 frame-types=admit-only-untagged-and-priority-tagged ingress-filtering=yes", ""},
		{"7.16.2", br + "/interface bridge port add bridge=br1 interface=ether2 pvid=10", ""},
	})
}

// TestIPsecAndDoHBy6Version: 6.44 moved a peer's secret to /ip ipsec
// identity, and DNS over HTTPS came with 6.47 ([verify] both changelogs);
// the version on the other side refuses the name at its position (ver46
// D15). A 6.43.4 RB3011's own export writes its peers with secret=
// (realcheck29 D1: rosemu refused them, gating the move at 6.43).
func TestIPsecAndDoHBy6Version(t *testing.T) {
	const peer = "/ip ipsec peer add address=192.0.2.1/32 name=p1"
	checkVersionCases(t, []versionCase{
		{"6.49.18", peer + " secret=s3cret", "expected end of command (line 1 column 49)"},
		{"6.42.12", peer + " secret=s3cret", ""},
		{"6.42.12", peer + "\n/ip ipsec identity add peer=p1 secret=s3cret", "bad command name identity (line 2 column 11)"},
		{"6.43.4", "/ip ipsec peer add address=1.1.1.72/32 local-address=1.1.1.13 secret=\"\\$2018\\$\"", ""},
		{"6.43.4", peer + "\n/ip ipsec identity add peer=p1 secret=s3cret", "bad command name identity (line 2 column 11)"},
		{"6.44", peer + " secret=s3cret", "expected end of command (line 1 column 49)"},
		{"6.44", peer + "\n/ip ipsec identity add peer=p1 secret=s3cret", ""},
		{"7.16.2", peer + "\n/ip ipsec identity add peer=p1 secret=s3cret", ""},
		{"6.46.8", "/ip dns set use-doh-server=https://192.0.2.53/dns-query verify-doh-cert=no", "expected end of command (line 1 column 13)"},
		{"6.40.9", "/ip dns set doh-timeout=10s", "expected end of command (line 1 column 13)"},
		{"6.47", "/ip dns set use-doh-server=https://192.0.2.53/dns-query verify-doh-cert=no", ""},
		{"7.16.2", "/ip dns set use-doh-server=https://192.0.2.53/dns-query verify-doh-cert=no", ""},
	})
}

// TestV7ValuesRefusedOn6: a route's check-gateway=bfd and bfd-multihop
// (v6 wiki Manual:IP/Route: "check-gateway (arp | ping)") and NAT's
// endpoint-independent-nat (not among the v6 NAT actions) are RouterOS
// 7's; 6.49 refuses the value at its argument (ver46 D16).
func TestV7ValuesRefusedOn6(t *testing.T) {
	const route = "/ip route add dst-address=10.9.0.0/24 gateway=192.0.2.1 check-gateway="
	const nat = "/ip firewall nat add chain=srcnat out-interface=ether1 action=endpoint-independent-nat"
	checkVersionCases(t, []versionCase{
		{"6.49.18", route + "bfd", "invalid value for argument check-gateway (line 1 column 57)"},
		{"6.49.18", route + "bfd-multihop", "invalid value for argument check-gateway (line 1 column 57)"},
		{"6.49.18", route + "ping", ""},
		{"6.49.18", route + "arp", ""},
		{"7.16.2", route + "bfd", ""},
		{"6.49.18", nat, "invalid value for argument action (line 1 column 56)"},
		{"6.49.18", "/ip firewall nat add chain=srcnat out-interface=ether1 action=masquerade", ""},
		{"7.16.2", nat, ""},
	})
}

// TestWireGuardResponderByVersion: a peer's is-responder is 7.15 and
// 7.16 (the 7.15 changelog added it; 7.17 renamed it responder, and a
// 7.17.1 router answers "unknown parameter is-responder"); responder is
// 7.17 and later. Each version outside refuses the name at its position
// (ver46 D14).
func TestWireGuardResponderByVersion(t *testing.T) {
	const wg = "/interface wireguard add name=wg0\n/interface wireguard peers add interface=wg0 public-key=\"i/thQFtyJPTmq8QC44PV6QeETM6VlMQQs1tKWzTCqDU=\" "
	checkVersionCases(t, []versionCase{
		{"7.14.3", wg + "is-responder=yes", "expected end of command (line 2 column 104)"},
		{"7.15", wg + "is-responder=yes", ""},
		{"7.16.2", wg + "is-responder=yes", ""},
		{"7.17", wg + "is-responder=yes", "expected end of command (line 2 column 104)"},
		{"7.20.8", wg + "is-responder=yes", "expected end of command (line 2 column 104)"},
		{"7.16.2", wg + "responder=yes", "expected end of command (line 2 column 104)"},
		{"7.17", wg + "responder=yes", ""},
		{"7.20.8", wg + "responder=yes", ""},
	})
}

// TestFindNamesByVersion: find and print's where refuse a name the menu's
// items lack in the router's version, at the name, instead of finding
// nothing: a v6 "set [ find default=yes ]" of the OSPF instance is refused
// on 7, which has no default instance (ver46 D10). Controls: the v6 form
// on 6, and names 7 computes (running) or has (default-name, comment).
func TestFindNamesByVersion(t *testing.T) {
	const ospf = "/routing ospf instance set [find default=yes] router-id=1.1.1.1"
	checkVersionCases(t, []versionCase{
		{"7.16.2", ospf, "expected end of command (line 1 column 34)"},
		{"7.20.8", ospf, "expected end of command (line 1 column 34)"},
		{"6.49.18", ospf, ""},
		// A name rosemu knows nothing of is taken and matches nothing:
		// rosemu lacks many of RouterOS's read-only values, and refusing
		// those refused real scripts.
		{"7.16.2", "/ip address add address=10.0.0.1/24 interface=ether1\n:if ([:len [/ip address find bogus=yes]] != 0) do={:error \"matched\"}", ""},
		{"6.49.18", "/ip address set [find bogus=yes] comment=x", ""},
		{"7.16.2", "/ip address print where interface=ether1 and bogus=1", ""},
		{"7.16.2", "/interface set [find where running] comment=y", ""},
		{"7.16.2", "/interface ethernet set [find default-name=ether1] comment=x", ""},
		{"6.49.18", "/ip address print where comment~\"x\" or !disabled", ""},
	})
}

// TestOSPFInterfaceV7: RouterOS 7's /routing ospf interface is the
// read-only list of the interfaces the templates put into OSPF, one entry
// per matched address; 7 refused the menu before (ver46 D9). 6's menu is
// its own (configured entries).
func TestOSPFInterfaceV7(t *testing.T) {
	const addrs = "/ip address add address=10.0.0.1/24 interface=ether1\n/ip address add address=10.1.0.1/24 interface=ether2\n"
	const ospf = "/routing ospf instance add name=i1 router-id=1.1.1.1\n/routing ospf area add name=a0 instance=i1\n/routing ospf interface-template add area=a0 networks=10.0.0.0/24 cost=5\n"
	for _, c := range []struct{ ver, src, want string }{
		{"7.16.2", addrs + ":put [:len [/routing ospf interface find]]", "0\n"},
		{"7.16.2", addrs + ospf + ":put [:len [/routing ospf interface find]]\n:put [/routing ospf interface get [find] address]\n:put [/routing ospf interface get [find] cost]", "1\n10.0.0.1%ether1\n5\n"},
		{"7.1.1", addrs + ospf + ":put [:len [/routing ospf interface find where area=a0 and interface=ether1]]", "1\n"},
		{"6.49.18", addrs + "/routing ospf interface add interface=ether1 cost=7\n:put [/routing ospf interface get [find] cost]", "7\n"},
	} {
		r := New(Options{Ports: []string{"ether1", "ether2"}, Version: c.ver})
		out, err := r.Run(context.Background(), c.src)
		if err != nil || out != c.want {
			t.Errorf("%s %q: %q %v, want %q", c.ver, c.src, out, err, c.want)
		}
	}
	checkVersionCases(t, []versionCase{
		{"7.16.2", "/routing ospf interface add interface=ether1", "bad command name add (line 1 column 25)"},
	})
}

// TestEthernetSpeedByVersion: a port's speed and advertise take the values
// of the Ethernet page: the old names (100Mbps, 100M-full) in every
// version, 7.12's link modes (100M-baseT-full) from 7.12; anything else is
// an invalid value at its position (ver46 D18: speed=bogus was accepted).
func TestEthernetSpeedByVersion(t *testing.T) {
	const set = "/interface ethernet set [find default-name=ether1] "
	checkVersionCases(t, []versionCase{
		{"7.16.2", set + "speed=bogus", "invalid value for argument speed (line 1 column 52)"},
		{"6.49.18", set + "speed=bogus", "invalid value for argument speed (line 1 column 52)"},
		{"7.16.2", set + "advertise=100M-full,10G-fast", "invalid value for argument advertise (line 1 column 52)"},
		{"6.49.18", set + "speed=100M-baseT-full", "invalid value for argument speed (line 1 column 52)"},
		{"7.11.2", set + "advertise=10M-baseT-half,100M-baseT-full", "invalid value for argument advertise (line 1 column 52)"},
		{"6.49.18", set + "speed=100Mbps advertise=10M-half,10M-full,100M-half,100M-full,1000M-full", ""},
		{"7.12", set + "speed=100M-baseT-full advertise=1G-baseX,2.5G-baseX,10G-baseSR-LR", ""},
		{"7.16.2", set + "auto-negotiation=no speed=1Gbps", ""},
	})
}

// TestPrintLayoutByVersion: a print is in its version's layout: 6.x
// writes its legend in lower case separated by commas and no "Columns:"
// line, its /ip route print has a PREF-SRC column and its route no
// suppress-hw-offload; 7.x keeps its own (ver46 N2: 6.49 printed 7's).
func TestPrintLayoutByVersion(t *testing.T) {
	const route = "/ip address add address=10.0.0.1/24 interface=ether1\n/ip route add gateway=10.0.0.2\n"
	for _, c := range []struct {
		ver, src  string
		want, not []string
	}{
		{"6.49.18", "/ip firewall filter add chain=input action=accept\n/ip firewall filter print",
			[]string{"Flags: X - disabled, I - invalid, D - dynamic \n"}, nil},
		{"6.49.18", "/system scheduler add name=s interval=1h on-event=x\n/system scheduler print",
			[]string{"Flags: X - disabled, D - dynamic\n#  NAME"}, []string{"Columns:"}},
		{"6.49.18", route + "/ip route print\n/ip route print detail",
			[]string{"#      DST-ADDRESS  PREF-SRC  GATEWAY   DISTANCE\n", "1 ADC  10.0.0.0/24  10.0.0.1  ether1    0\n"}, []string{"suppress-hw-offload"}},
		{"7.16.2", "/system scheduler add name=s interval=1h on-event=x\n/system scheduler print",
			[]string{"Flags: X - DISABLED, D - DYNAMIC\nColumns: NAME, "}, nil},
		{"7.16.2", route + "/ip route print\n/ip route print detail",
			[]string{"Columns: DST-ADDRESS, GATEWAY, DISTANCE\n", "suppress-hw-offload=no"}, []string{"PREF-SRC"}},
	} {
		r := New(Options{Ports: []string{"ether1", "ether2"}, Version: c.ver})
		out, err := r.Run(context.Background(), c.src)
		if err != nil {
			t.Errorf("%s %q: %v", c.ver, c.src, err)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s %q: no %q in\n%s", c.ver, c.src, w, out)
			}
		}
		for _, n := range c.not {
			if strings.Contains(out, n) {
				t.Errorf("%s %q: %q in\n%s", c.ver, c.src, n, out)
			}
		}
	}
	checkVersionCases(t, []versionCase{
		{"6.49.18", "/ip route add gateway=10.0.0.2 suppress-hw-offload=yes", "expected end of command (line 1 column 32)"},
		{"7.16.2", "/ip route add gateway=10.0.0.2 suppress-hw-offload=yes", ""},
	})
}
