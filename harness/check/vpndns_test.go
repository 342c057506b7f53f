package check

import (
	"slices"
	"testing"
)

// Road warriors told to ask the router's DNS (profile dns-server=<the
// router's LAN address>) on a defconf input chain: each comes in on its
// own PPP interface, in no list, so "drop all not coming from LAN" takes
// its queries (forum54: "VPN works, names do not resolve"). It was "no
// problem found"; the fix puts the profile's sessions into LAN. With
// interface-list=LAN on the profile, a public resolver, no
// allow-remote-requests, or an accept of the pool's DNS above the drop,
// there is no finding.
func TestVPNClientsDNSDropped(t *testing.T) {
	text := "# 2026-12-06 22:30:00 by RouterOS 7.16.2\n" + homeBridge + `add interface=ether1 list=WAN
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
