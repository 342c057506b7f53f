package check

import (
	"slices"
	"strings"
	"testing"
)

// An export whose server is reached over IPv6 (a forward accept of its
// global address and port, no IPv4 forward) says which lines open it and
// that the check does not diagnose IPv6; it said only "no problem found".
// The usual accepts (established, ICMPv6) are no opening.
func TestIPv6OpeningNoted(t *testing.T) {
	const rsc = `# by RouterOS 7.18
/ip/address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip/dhcp-client
add interface=ether1
/ip/firewall/nat
add action=masquerade chain=srcnat out-interface=ether1
/ipv6/firewall/filter
add action=accept chain=forward connection-state=established,related,untracked
add action=accept chain=forward protocol=icmpv6
add action=accept chain=forward dst-address=2001:db8:1::10/128 dst-port=443 protocol=tcp
add action=drop chain=forward in-interface=ether1
`
	p := importText(t, rsc)
	if !slices.ContainsFunc(p.Notes, func(n string) bool {
		return strings.HasPrefix(n, "line 11 opens IPv6") && strings.Contains(n, "IPv4 only")
	}) {
		t.Errorf("notes: %q", p.Notes)
	}
}

// An accept written below the forward chain's drop of everything new from
// outside the LAN is never reached: it is named apart, with the move that
// puts it above, not as an opening. An input accept of the router's SSH
// for every source above the input's drop opens it to the internet over
// IPv6; the same accept bound to the LAN does not. An input chain with no
// such drop says nothing of it.
func TestIPv6AcceptBelowDropAndOpenService(t *testing.T) {
	const head = `# by RouterOS 7.18
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=LAN
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
/ipv6 firewall filter
add action=accept chain=input connection-state=established,related,untracked
`
	const tail = `add action=accept chain=forward connection-state=established,related,untracked
add action=drop chain=forward in-interface-list=!LAN
add action=accept chain=forward dst-address=2001:db8:1::10/128 dst-port=443 in-interface-list=WAN protocol=tcp
`
	// The pinhole below the drop is a warning, the open service a note:
	// both are read here.
	notes := func(p *Plan) string { return strings.Join(append(slices.Clone(p.Notes), p.ExportWarnings()...), "\n") }
	p := importText(t, head+"add action=accept chain=input dst-port=22 protocol=tcp\nadd action=drop chain=input in-interface-list=!LAN\n"+tail)
	n := notes(p)
	if !strings.Contains(n, "IPv6: line 20 accepts connections to a server of the LAN, but line 19 above drops") ||
		!strings.Contains(n, "/ipv6 firewall filter move [ find where ") || strings.Contains(n, "line 20 opens") {
		t.Errorf("accept below the drop: %q", n)
	}
	if !strings.Contains(n, "IPv6: line 16 (tcp 22) accepts the router's own port from every source, above line 17") {
		t.Errorf("ssh open: %q", p.Notes)
	}
	p = importText(t, head+"add action=accept chain=input dst-port=22 in-interface-list=LAN protocol=tcp\nadd action=drop chain=input in-interface-list=!LAN\n"+tail)
	if strings.Contains(notes(p), "router's own port") {
		t.Errorf("ssh from the LAN only: %q", p.Notes)
	}
	p = importText(t, head+"add action=accept chain=input dst-port=22 protocol=tcp\n"+tail)
	if strings.Contains(notes(p), "router's own port") {
		t.Errorf("no input drop: %q", p.Notes)
	}
	// defconf run twice: its IKE accept's copy below the drop is neither
	// an opening nor a slip to move.
	p = importText(t, head+tail+"add action=accept chain=forward comment=\"defconf: accept IKE\" dst-port=500,4500 protocol=udp\n")
	if n := notes(p); strings.Contains(n, "19") || !strings.Contains(n, "IPv6: line 18 accepts") {
		t.Errorf("defconf copy: %q", n)
	}
}

// RouterOS's default IPv6 firewall (the defconf rules, with its forward
// "accept IKE" of udp 500,4500 above the drop of the rest from outside the
// LAN) opens no server of the LAN: no note names it (realcheck18 D5). The
// control: a forward accept of the user's own server beside it is named.
func TestIPv6DefconfNotAnOpening(t *testing.T) {
	const rsc = `# 2022-03-01 10:00:00 by RouterOS 7.1.5
` + etherLists + `/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ipv6 firewall filter
add action=accept chain=input comment="defconf: accept IKE" dst-port=500,4500 protocol=udp
add action=drop chain=input comment="defconf: drop everything else not coming from LAN" in-interface-list=!LAN
add action=accept chain=forward comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=accept chain=forward comment="defconf: accept ICMPv6" protocol=icmpv6
add action=accept chain=forward comment="defconf: accept IKE" dst-port=500,4500 protocol=udp
add action=accept chain=forward comment="defconf: accept ipsec ESP" protocol=ipsec-esp
add action=drop chain=forward comment="defconf: drop everything else not coming from LAN" in-interface-list=!LAN
`
	p := importText(t, rsc)
	if slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "IPv6") }) {
		t.Errorf("the defconf IPv6 firewall is named: %q", p.Notes)
	}
	own := strings.Replace(rsc, "add action=accept chain=forward comment=\"defconf: accept ipsec ESP\"",
		"add action=accept chain=forward dst-address=2001:db8:1::10/128 dst-port=443 protocol=tcp\nadd action=accept chain=forward comment=\"defconf: accept ipsec ESP\"", 1)
	p = importText(t, own)
	if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.HasPrefix(n, "line 20 opens IPv6 connections") }) {
		t.Errorf("the user's own opening is not named: %q", p.Notes)
	}
}
