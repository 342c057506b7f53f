package check

import (
	"slices"
	"strings"
	"testing"
)

// lanSrcNAT translates the LAN to 203.0.113.99, an address of the WAN's
// /24 that the router does not hold (the forum's masquerade turned into a
// src-nat to "the public IP", written wrong).
const lanSrcNAT = `# 2025-03-02 10:11:12 by RouterOS 7.18.2
/ip address
add address=203.0.113.10/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=src-nat chain=srcnat out-interface=ether1 to-addresses=203.0.113.99
`

// The LAN's way out fails: the answers come to an address nobody on the
// WAN answers ARP for. The fix puts the address on the WAN. The src-nat
// to the WAN's own address, or to a second address the router holds,
// has no such finding.
func TestLANSrcNATToAnAddressNotHeld(t *testing.T) {
	p := importText(t, lanSrcNAT)
	found, _ := p.Diagnose()
	got := withCause(found, LANSrcNATUnheld)
	if len(got) != 1 || got[0].Line != 8 || got[0].Path != lanOutPath("ether2") || !strings.Contains(got[0].Detail, "takes 203.0.113.99") {
		t.Fatalf("findings: %+v", found)
	}
	if fix := p.Propose(found).Lines; !slices.ContainsFunc(fix, func(l string) bool {
		return strings.HasPrefix(l, "/ip address add address=203.0.113.99/24 interface=ether1")
	}) {
		t.Errorf("fix: %q", fix)
	}
	for name, text := range map[string]string{
		"own address": strings.Replace(lanSrcNAT, "to-addresses=203.0.113.99", "to-addresses=203.0.113.10", 1),
		"held":        strings.Replace(lanSrcNAT, "/ip route\n", "add address=203.0.113.99/24 interface=ether1 network=203.0.113.0\n/ip route\n", 1),
	} {
		q := importText(t, text)
		if found, _ := q.Diagnose(); len(withCause(found, LANSrcNATUnheld)) > 0 || len(withCause(found, NoMasquerade)) > 0 {
			t.Errorf("%s: %+v", name, found)
		}
	}
}
