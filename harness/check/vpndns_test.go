package check

import (
	"slices"
	"strings"
	"testing"
)

// vpnDNSExport is road warriors on an L2TP server told to ask DNS at
// the first %s, with room for the profile's interface-list (%s), the
// resolver's allow-remote-requests (%s) and an input rule above the
// drop (%s).
const vpnDNSExport = "# 2026-12-06 22:30:00 by RouterOS 7.16.2\n" + homeBridge + `add interface=ether1 list=WAN
/ip pool
add name=vpn ranges=10.10.60.10-10.10.60.50
/ppp profile
add dns-server=%s local-address=10.10.60.1 name=vpn remote-address=vpn%s
/interface l2tp-server server
set default-profile=vpn enabled=yes
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip dns
set allow-remote-requests=%s
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=accept chain=input dst-port=1701 protocol=udp
%sadd action=drop chain=input comment="drop all not coming from LAN" in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add gateway=203.0.113.1
`

// Road warriors told to ask the router's DNS (profile dns-server=<the
// router's LAN address>) on a defconf input chain: each comes in on its
// own PPP interface, in no list, so "drop all not coming from LAN" takes
// its queries (forum54: "VPN works, names do not resolve"). It was "no
// problem found"; the fix puts the profile's sessions into LAN. With
// interface-list=LAN on the profile, a public resolver, no
// allow-remote-requests, or an accept of the pool's DNS above the drop,
// there is no finding.
func TestVPNClientsDNSDropped(t *testing.T) {
	text := vpnDNSExport
	for _, tt := range []struct {
		name, dns, list, remote, accept string
		want                            bool
	}{
		{"router as dns", "192.168.88.1", "", "yes", "", true},
		{"router's ppp address as dns", "10.10.60.1", "", "yes", "", true},
		{"sessions in LAN", "192.168.88.1", " interface-list=LAN", "yes", "", false},
		{"public resolver", "9.9.9.9", "", "yes", "", false},
		{"router answers no queries", "192.168.88.1", "", "no", "", false},
		{"dns of the pool accepted", "192.168.88.1", "", "yes", "add action=accept chain=input dst-port=53 protocol=udp src-address=10.10.60.0/24\n", false},
	} {
		p := importText(t, fill(text, tt.dns, tt.list, tt.remote, tt.accept))
		found, _ := p.Diagnose()
		got := withCause(found, VPNDNSDropped)
		if (len(got) > 0) != tt.want {
			t.Errorf("%s: findings %+v", tt.name, found)
			continue
		}
		if tt.want && !slices.Contains(p.Propose(found).Lines, "/ppp profile set [ find name=vpn ] interface-list=LAN") {
			t.Errorf("%s: fix %q", tt.name, p.Propose(found).Lines)
		}
	}
}

// The same road warriors behind a forward chain that lets through only
// what comes in on the LAN list: their new connections to the LAN are
// dropped (forum54: "VPN connects, cannot reach anything"). A drop of
// in-interface-list=!LAN is mended by the profile's interface-list=LAN;
// a "drop all else" below a LAN-to-WAN accept has no such fix (the LAN's
// own accept does not cover LAN to LAN), so the finding comes without a
// line. defconf's forward chain drops only what comes from the WAN.
func TestVPNClientsForwardDropped(t *testing.T) {
	text := "# 2026-12-06 22:40:00 by RouterOS 7.16.2\n" + homeBridge + `add interface=ether1 list=WAN
/ip pool
add name=vpn ranges=10.10.60.10-10.10.60.50
/ppp profile
add local-address=10.10.60.1 name=vpn remote-address=vpn%s
/interface l2tp-server server
set default-profile=vpn enabled=yes
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall filter
add action=accept chain=forward connection-state=established,related,untracked
%s/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add gateway=203.0.113.1
`
	const lanOnly = "add action=drop chain=forward in-interface-list=!LAN\n"
	for _, tt := range []struct {
		name, list, rules string
		want              bool
		fix               string
	}{
		{"defconf's forward", "", "add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN\n", false, ""},
		{"only the LAN forwards", "", lanOnly, true, "/ppp profile set [ find name=vpn ] interface-list=LAN"},
		{"sessions in LAN", " interface-list=LAN", lanOnly, false, ""},
		{"drop all else", "", "add action=accept chain=forward in-interface-list=LAN out-interface-list=WAN\nadd action=drop chain=forward comment=\"drop all else\"\n", true, ""},
	} {
		p := importText(t, fill(text, tt.list, tt.rules))
		found, _ := p.Diagnose()
		got := withCause(found, VPNForwardDropped)
		if (len(got) > 0) != tt.want {
			t.Errorf("%s: findings %+v", tt.name, found)
			continue
		}
		lines := p.Propose(found).Lines
		hasFix := slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, "/ppp profile") })
		if tt.fix != "" && !slices.Contains(lines, tt.fix) || tt.fix == "" && hasFix {
			t.Errorf("%s: fix %q, want %q", tt.name, lines, tt.fix)
		}
	}
}

// A forward chain that keeps the road warriors from one LAN on purpose
// is no fault (rc27's office and rc28's towers exports raised the
// finding): the pool let into a second LAN by an address-list accept, or
// every secret bound to a static server interface that the admin put in
// an interface list (the towers' list goes out to the WAN only). The
// control: the same exports without the accept, or with one secret
// unbound, still raise it.
func TestVPNClientsForwardKeptOnPurpose(t *testing.T) {
	text := "# 2026-12-06 22:50:00 by RouterOS 7.16.2\n" + homeBridge + `add name=TOWERS
/interface sstp-server
add name=sstp-tower1 user=tower1
%s/interface list member
add interface=ether1 list=WAN
add interface=vlan8 list=LAN
add interface=sstp-tower1 list=TOWERS
/interface vlan
add interface=bridge name=vlan8 vlan-id=8
/ip pool
add name=vpn ranges=10.10.60.10-10.10.60.50
/ppp profile
add local-address=10.10.60.1 name=vpn remote-address=vpn
/ppp secret
add name=tower1 profile=vpn service=sstp
add name=tower2 profile=vpn service=sstp
/interface sstp-server server
set default-profile=vpn enabled=yes
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=192.168.8.1/24 interface=vlan8 network=192.168.8.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall filter
add action=accept chain=forward connection-state=established,related,untracked
add action=accept chain=forward in-interface-list=LAN out-interface-list=WAN
add action=accept chain=forward in-interface-list=TOWERS out-interface-list=WAN
%sadd action=drop chain=forward comment="drop all else"
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add gateway=203.0.113.1
`
	const tower2 = "add name=sstp-tower2 user=tower2\n"
	const toVLAN8 = "add action=accept chain=forward dst-address=192.168.8.0/24 src-address=10.10.60.0/24\n"
	for _, tt := range []struct {
		name, binding, accept string
		want                  bool
	}{
		{"neither", "", "", true},
		{"pool let into the second LAN", "", toVLAN8, false},
		{"every secret bound and listed", tower2 + "/interface list member\nadd interface=sstp-tower2 list=TOWERS\n", "", false},
		{"a bound secret in no list", tower2, "", true},
	} {
		p := importText(t, fill(text, tt.binding, tt.accept))
		found, _ := p.Diagnose()
		if got := withCause(found, VPNForwardDropped); (len(got) > 0) != tt.want {
			t.Errorf("%s: findings %+v", tt.name, found)
		}
	}
}
