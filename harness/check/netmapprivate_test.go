package check

import (
	"strings"
	"testing"
)

// netmapOverlap is f58's netmap-overlap export, cut down: the LAN's clients
// reach a far site whose LAN is also 192.168.88.0/24 as 10.99.0.0/24, by a
// dstnat netmap without in-interface, over gre1.
const netmapOverlap = `# 2026-12-01 10:00:00 by RouterOS 7.16.2
/interface gre
add local-address=203.0.113.2 name=gre1 remote-address=198.51.100.61
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
/ip address
add address=203.0.113.2/24 interface=ether1
add address=192.168.88.1/24 interface=ether2
add address=10.66.1.1/30 interface=gre1 network=10.66.1.0
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=netmap chain=dstnat dst-address=10.99.0.0/24 to-addresses=192.168.88.0/24
add action=netmap chain=srcnat out-interface=gre1 src-address=192.168.88.0/24 to-addresses=10.88.0.0/24
`

// TestPrivateNetmapIsNoForward: the netmap from a private block was listed
// and probed as a forward from the internet "tcp/8080 -> 192.168.88.0:8080"
// (the network address); it is a note now. Control: the same netmap from a
// block of the WAN's subnet stays a forward.
func TestPrivateNetmapIsNoForward(t *testing.T) {
	p := importText(t, netmapOverlap)
	if len(p.Forwards) != 0 {
		t.Errorf("forwards %+v, want none", p.Forwards)
	}
	if !hasNote(p.Notes, "line 16 maps 10.99.0.0/24 onto 192.168.88.0/24", "no port forward") {
		t.Errorf("no note of the netmap: %q", p.Notes)
	}
	p = importText(t, strings.Replace(netmapOverlap, "dst-address=10.99.0.0/24", "dst-address=203.0.113.64/26", 1))
	if len(p.Forwards) != 1 || p.Forwards[0].Line != 16 {
		t.Errorf("forwards %+v, want line 16's netmap of a WAN block", p.Forwards)
	}
	if hasNote(p.Notes, "no port forward and is not probed") {
		t.Errorf("a WAN block's netmap noted as private: %q", p.Notes)
	}
}
