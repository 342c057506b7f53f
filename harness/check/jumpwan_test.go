package check

import (
	"slices"
	"testing"
)

// Forwards in a user chain entered by a jump that names the static WAN's
// address (chain=dstnat action=jump dst-address=<WAN1> jump-target=port-fwd)
// are that WAN's forwards: connections to the second WAN never enter the
// chain. The check took them for both WANs' and reported "the answers
// leave by another WAN" for the second, with a policy-routing fix nothing
// needed. A forward on a WAN list reached through include= is read the
// same way.
func TestJumpBindsTheForwardsToAWAN(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
` + homeBridge + `add interface=ether1 list=WAN
add interface=ether3 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.162/29 interface=ether1 network=203.0.113.160
/ip dhcp-client
add add-default-route=no interface=ether3
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=jump chain=dstnat dst-address=203.0.113.162 jump-target=port-fwd
add action=dst-nat chain=port-fwd dst-port=443 protocol=tcp to-addresses=192.168.88.42
add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24
/ip route
add gateway=203.0.113.161
`
	p := importText(t, text)
	if len(p.WANs) != 2 || len(p.Forwards) != 1 {
		t.Fatalf("WANs %+v forwards %+v", p.WANs, p.Forwards)
	}
	if got := p.wansOf(p.Forwards[0]); !slices.Equal(got, []int{0}) {
		t.Errorf("wansOf = %v, want [0] (ether1 only)", got)
	}
	found, _ := p.Diagnose()
	if slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == RepliesOtherWAN }) {
		t.Errorf("findings: %+v", found)
	}
}
