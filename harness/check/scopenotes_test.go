package check

import (
	"strings"
	"testing"
)

// twoLANs is a defconf-shaped router with a second LAN subnet on ether3;
// each test adds the lines of its case.
const twoLANs = `# 2025-11-02 10:00:00 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=203.0.113.2/24 interface=ether1
add address=192.168.88.1/24 interface=ether2
add address=192.168.89.1/24 interface=ether3
/ip route
add gateway=203.0.113.1
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input comment="drop all not coming from LAN" in-interface-list=!LAN
`

func notesOf(t *testing.T, text string) string {
	t.Helper()
	return strings.Join(importText(t, text).Notes, "\n")
}

// wantNotes fails unless the notes of text hold every one of want.
func wantNotes(t *testing.T, text string, want ...string) {
	t.Helper()
	n := notesOf(t, text)
	for _, w := range want {
		if !strings.Contains(n, w) {
			t.Errorf("notes lack %q: %s", w, n)
		}
	}
}

// wantNoNote fails when a note of text holds not.
func wantNoNote(t *testing.T, text, not string) {
	t.Helper()
	if n := notesOf(t, text); strings.Contains(n, not) {
		t.Errorf("noted %q: %s", not, n)
	}
}

// A masquerade without out-interface also rewrites the traffic between
// the two LAN subnets; bound to the WAN list it does not. One limited by
// src-address names only the segments it matches, and none when it
// matches none of them (realcheck18 D9: a hotspot subnet's masquerade was
// said to take the connections between three LANs of other subnets).
func TestMasqueradeAllNote(t *testing.T) {
	all := twoLANs + "/interface list member\nadd interface=ether3 list=LAN\n/ip firewall nat\nadd action=masquerade chain=srcnat comment=masq\n"
	wantNotes(t, all, "line 20 masquerades everything the router forwards", "between the LAN segments (from ether2, ether3)",
		"/ip firewall nat set [ find where comment=masq ] out-interface-list=WAN")
	wantNoNote(t, strings.Replace(all, "comment=masq", "comment=masq out-interface-list=WAN", 1), "masquerades everything")
	wantNoNote(t, strings.Replace(all, "comment=masq", "comment=masq src-address=192.168.40.0/24", 1), "line 20 masquerades")
	one := strings.Replace(all, "comment=masq", "comment=masq src-address=192.168.89.0/24", 1)
	wantNotes(t, one, "line 20 masquerades the connections it matches wherever they go", "between the LAN segments (from ether3)")
	wantNoNote(t, one, "ether2, ether3")
}

// ether3 has an address and is not in LAN, which the input drop names:
// its hosts cannot use the router's DNS. Once a member, no note.
func TestSegmentOutsideListNote(t *testing.T) {
	text := twoLANs + "/ip dns\nset allow-remote-requests=yes\n"
	wantNotes(t, text, "ether3 (192.168.89.1/24) is not in the interface list LAN, and line 16 drops all input not coming from LAN",
		"the router's DNS (allow-remote-requests=yes)", "/interface list member add interface=ether3 list=LAN")
	wantNoNote(t, text, "ether2 (")
	wantNoNote(t, text+"/interface list member\nadd interface=ether3 list=LAN\n", "is not in the interface list")
}

// A WireGuard server's tunnel (a peer with no endpoint: a road warrior)
// left out of LAN has the note too, though no lab host stands on it; in
// LAN, or a tunnel the router dials itself (a VPN provider, the peer has
// an endpoint), it has none.
func TestRoadWarriorsOutsideListNote(t *testing.T) {
	wg := twoLANs + "/ip dns\nset allow-remote-requests=yes\n/interface list member\nadd interface=ether3 list=LAN\n" +
		"/interface wireguard\nadd listen-port=13231 name=wireguard1\n/interface wireguard peers\nadd allowed-address=10.10.10.2/32 interface=wireguard1 public-key=\"aGVsbG8gd29ybGQgdGhpcyBpcyBub3QgYSByZWFsIGs=\"\n" +
		"/ip address\nadd address=10.10.10.1/24 interface=wireguard1 network=10.10.10.0\n"
	wantNotes(t, wg, "wireguard1 (10.10.10.1/24) is not in the interface list LAN", "its peers (road warriors) reach the internet but not the router's DNS",
		"/interface list member add interface=wireguard1 list=LAN")
	wantNoNote(t, wg+"/interface list member\nadd interface=wireguard1 list=LAN\n", "wireguard1 (10.10.10.1/24) is not in the interface list")
	wantNoNote(t, strings.Replace(wg, "interface=wireguard1 public-key=", "endpoint-address=198.51.100.200 endpoint-port=51820 interface=wireguard1 public-key=", 1), "wireguard1 (10.10.10.1/24) is not in the interface list")
}

// The forum's "handshake but no traffic" shape: a forward chain that
// accepts the LAN list out to the WAN and drops all else takes the road
// warriors' connections to the internet too, so the note must not say
// they reach it (f76: it did, for the configuration of scenario
// wireguard-forward-chain); without the drop, they do.
func TestRoadWarriorsOutsideListForwardDrop(t *testing.T) {
	wg := twoLANs + "/ip dns\nset allow-remote-requests=yes\n/interface list member\nadd interface=ether3 list=LAN\n" +
		"/interface wireguard\nadd listen-port=13231 name=wireguard1\n/interface wireguard peers\nadd allowed-address=10.10.10.2/32 interface=wireguard1 public-key=\"aGVsbG8gd29ybGQgdGhpcyBpcyBub3QgYSByZWFsIGs=\"\n" +
		"/ip address\nadd address=10.10.10.1/24 interface=wireguard1 network=10.10.10.0\n"
	drop := wg + "/ip firewall filter\nadd action=accept chain=forward comment=out in-interface-list=LAN out-interface-list=WAN\nadd action=drop chain=forward comment=\"drop all else\"\n"
	wantNotes(t, drop, "wireguard1 (10.10.10.1/24) is not in the interface list LAN",
		"its peers (road warriors) reach neither the internet (line 29 drops their new connections through the router) nor the router's DNS",
		"/interface list member add interface=wireguard1 list=LAN")
	wantNoNote(t, drop, "reach the internet")
	wantNotes(t, wg, "its peers (road warriors) reach the internet but not the router's DNS")
}

// The tunnel in the LAN list, the forward chain still accepts the list
// only out to the WAN and drops all else: the road warriors' connections
// to the LAN are dropped, the forum's "handshake but no traffic" (f76,
// scenario wireguard-forward-chain). An accept of the tunnel to the LAN
// above the drop ends the note.
func TestRoadWarriorsForwardToLANDropped(t *testing.T) {
	wg := twoLANs + "/interface list member\nadd interface=ether3 list=LAN\nadd interface=wireguard1 list=LAN\n" +
		"/interface wireguard\nadd listen-port=13231 name=wireguard1\n/interface wireguard peers\nadd allowed-address=10.10.10.2/32 interface=wireguard1 public-key=\"aGVsbG8gd29ybGQgdGhpcyBpcyBub3QgYSByZWFsIGs=\"\n" +
		"/ip address\nadd address=10.10.10.1/24 interface=wireguard1 network=10.10.10.0\n" +
		"/ip firewall filter\nadd action=accept chain=forward comment=out in-interface-list=LAN out-interface-list=WAN\nadd action=drop chain=forward comment=\"drop all else\"\n"
	wantNotes(t, wg, "line 28 drops the new connections of wireguard1's peers (road warriors) to every LAN segment (ether2, ether3)",
		"/ip firewall filter add chain=forward action=accept in-interface=wireguard1 out-interface-list=LAN place-before=")
	fixed := wg + "add action=accept chain=forward comment=wg in-interface=wireguard1 out-interface-list=LAN place-before=[find comment=\"drop all else\"]\n"
	wantNoNote(t, fixed, "drops the new connections of wireguard1")
	wantNoNote(t, strings.Replace(wg, "add action=drop chain=forward comment=\"drop all else\"\n", "", 1), "drops the new connections of wireguard1")
}

// A table with a route and nothing that selects it; a /routing rule
// (or a mangle mark) naming it ends the note.
func TestUnusedTableNote(t *testing.T) {
	text := twoLANs + "/routing table\nadd fib name=isp2\n/ip route\nadd gateway=198.18.0.1 routing-table=isp2\n"
	wantNotes(t, text, "line 20 puts a route in the routing table isp2, and no routing rule or mangle mark-routing",
		"/routing rule add src-address=<the host> action=lookup table=isp2")
	wantNoNote(t, text+"/routing rule\nadd action=lookup src-address=192.168.88.23 table=isp2\n", "routing table isp2")
	wantNoNote(t, text+"/ip firewall mangle\nadd action=mark-routing chain=prerouting new-routing-mark=isp2 src-address=192.168.88.23\n", "routing table isp2")
}

// A knock below the input drop of the WAN never counts; above it, no note.
func TestKnockBelowDropNote(t *testing.T) {
	knock := "add action=add-src-to-address-list address-list=knocked address-list-timeout=10s chain=input comment=knock dst-port=7000 in-interface-list=WAN protocol=udp\n"
	nat := "/ip firewall nat\nadd action=dst-nat chain=dstnat dst-port=22 in-interface-list=WAN protocol=tcp src-address-list=knocked to-addresses=192.168.88.10\n"
	wantNotes(t, twoLANs+knock+nat, "line 17 adds the WAN's udp 7000 sources to the address list knocked, but line 16 above it drops those packets first",
		"line 19, which admits the list, never opens",
		`/ip firewall filter move [ find where comment=knock ] destination=[ find where comment="drop all not coming from LAN" ]`)
	above := strings.Replace(twoLANs, "add action=drop chain=input", knock+"add action=drop chain=input", 1) + nat
	wantNoNote(t, above, "sources to the address list")
}

// A DNS redirect bound to the WAN is the LAN's "force DNS" on the wrong
// side: the note says so and proposes the LAN, never opening 53 to the
// WAN. Bound to the LAN, no note.
func TestDNSRedirectWANNote(t *testing.T) {
	text := twoLANs + "/interface list member\nadd interface=ether3 list=LAN\n/ip dns\nset allow-remote-requests=yes\n/ip firewall nat\nadd action=redirect chain=dstnat comment=\"force dns\" dst-port=53 in-interface-list=WAN protocol=udp to-ports=53\n"
	wantNotes(t, text, "line 22 redirects DNS (udp 53) coming in from the WAN",
		`for the LAN: /ip firewall nat set [ find where comment="force dns" ] in-interface-list=LAN`)
	wantNoNote(t, text, "to open it for redirected connections")
	wantNoNote(t, strings.Replace(text, "in-interface-list=WAN protocol=udp", "in-interface-list=LAN protocol=udp", 1), "redirects DNS")
}

// A FWD entry without match-subdomain forwards the domain alone; with
// no upstream server the names under it fail. With it, no note.
func TestFWDExactNote(t *testing.T) {
	text := twoLANs + "/ip dns\nset allow-remote-requests=yes\n/ip dns static\nadd comment=corp forward-to=192.168.88.53 name=corp.lan type=FWD\n"
	wantNotes(t, text, "line 20 forwards the name corp.lan alone to 192.168.88.53 (a FWD entry without match-subdomain=yes): names under it (www.corp.lan) go nowhere",
		"/ip dns static set [ find where comment=corp ] match-subdomain=yes")
	wantNoNote(t, strings.Replace(text, "type=FWD", "match-subdomain=yes type=FWD", 1), "forwards the name")
}

// Connection tracking turned off takes NAT with it: a note says so and
// gives enabled=auto; auto, or yes, has none.
func TestTrackingOffNote(t *testing.T) {
	off := twoLANs + "/ip firewall connection tracking\nset enabled=no\n"
	wantNotes(t, off, "line 18 turns connection tracking off (enabled=no)", "/ip firewall connection tracking set enabled=auto")
	wantNoNote(t, strings.Replace(off, "enabled=no", "enabled=auto", 1), "turns connection tracking off")
	wantNoNote(t, strings.Replace(off, "enabled=no", "enabled=yes", 1), "turns connection tracking off")
}

// guestDNSAccepted is realcheck25's m1 (an RB5009 export cut down): the
// guests' DNS and DHCP are accepted (line 27) above defconf's drop of all
// input not coming from LAN (line 28). The note said the guests cannot
// reach the router's DNS and advised adding the guest VLAN to LAN, which
// would open WinBox and WebFig to them and lift the isolation.
const guestDNSAccepted = `# 2026-02-08 18:44:49 by RouterOS 7.19.6
/interface bridge
add name=bridge vlan-filtering=yes
/interface vlan
add interface=bridge name=vlan80-guest vlan-id=80
/interface list
add name=WAN
add name=LAN
add name=GUEST
/interface bridge port
add bridge=bridge interface=ether2
/interface bridge vlan
add bridge=bridge tagged=bridge,ether2 vlan-ids=80
/interface list member
add interface=ether1 list=WAN
add interface=bridge list=LAN
add interface=vlan80-guest list=GUEST
/ip address
add address=10.0.0.1/24 interface=bridge
add address=10.80.0.1/24 interface=vlan80-guest
/ip dhcp-client
add interface=ether1
/ip dns
set allow-remote-requests=yes
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=accept chain=input comment="allow guest DNS/DHCP" dst-port=53,67 in-interface-list=GUEST protocol=udp
add action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`

func TestSegmentOutsideListAcceptedFirst(t *testing.T) {
	wantNotes(t, guestDNSAccepted, "vlan80-guest (10.80.0.1/24) is not in the interface list LAN: line 27 accepts some of its input to the router (udp/53,67) before line 28 drops the rest, taken as cut off on purpose")
	wantNoNote(t, guestDNSAccepted, "but not the router's DNS")
	wantNoNote(t, guestDNSAccepted, "list member add interface=vlan80-guest list=LAN")
	// By subnet, too.
	bySrc := strings.Replace(guestDNSAccepted, "in-interface-list=GUEST protocol=udp", "protocol=udp src-address=10.80.0.0/24", 1)
	wantNoNote(t, bySrc, "list member add interface=vlan80-guest list=LAN")
	// Control: the accept below the drop takes nothing: the note and
	// its advice stay.
	below := strings.Replace(guestDNSAccepted, "add action=accept chain=input comment=\"allow guest DNS/DHCP\" dst-port=53,67 in-interface-list=GUEST protocol=udp\nadd action=drop chain=input in-interface-list=!LAN\n",
		"add action=drop chain=input in-interface-list=!LAN\nadd action=accept chain=input comment=\"allow guest DNS/DHCP\" dst-port=53,67 in-interface-list=GUEST protocol=udp\n", 1)
	wantNotes(t, below, "vlan80-guest (10.80.0.1/24) is not in the interface list LAN, and line 27 drops all input not coming from LAN", "/interface list member add interface=vlan80-guest list=LAN")
}

// mgmtListAccepted is the shape of forum56's e1-lockout on
// guestDNSAccepted's router: the VLAN's subnet is in the address list
// mgmt, accepted whole (line 29) above defconf's drop of all input not
// from LAN (line 30). In a lab (scenarios/mgmt-address-list) such hosts
// resolved through the router and reached WebFig; the note said they
// reach no service of the router.
var mgmtListAccepted = strings.Replace(strings.Replace(guestDNSAccepted,
	`add action=accept chain=input comment="allow guest DNS/DHCP" dst-port=53,67 in-interface-list=GUEST protocol=udp`,
	`add action=accept chain=input comment=mgmt src-address-list=mgmt`, 1),
	"/ip firewall filter\n", "/ip firewall address-list\nadd address=10.80.0.0/24 list=mgmt\n/ip firewall filter\n", 1)

func TestSegmentOutsideListAcceptedByAddressList(t *testing.T) {
	wantNotes(t, mgmtListAccepted, "vlan80-guest (10.80.0.1/24) is not in the interface list LAN: line 29 accepts all input to the router from the address list mgmt, which holds addresses of it, before line 30 drops the rest")
	wantNoNote(t, mgmtListAccepted, "reach the internet but not")
	// Control: a list that holds none of the segment lets none of it in.
	other := strings.Replace(mgmtListAccepted, "add address=10.80.0.0/24 list=mgmt", "add address=10.0.0.5 list=mgmt", 1)
	wantNotes(t, other, "vlan80-guest (10.80.0.1/24) is not in the interface list LAN, and line 30 drops all input not coming from LAN")
	// A negated list is no accept of the segment either.
	neg := strings.Replace(mgmtListAccepted, "src-address-list=mgmt", "src-address-list=!mgmt", 1)
	wantNotes(t, neg, "line 30 drops all input not coming from LAN")
}
