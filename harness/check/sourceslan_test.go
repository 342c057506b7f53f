package check

import (
	"slices"
	"strings"
	"testing"
)

// A forward that admits src-address-list=allowed, a list holding the LAN's
// subnet beside a partner's network: the internet at large is kept out by
// design, but the LAN is admitted, so its hairpin is judged. It was left
// out with the rest ("the lab's peer and LAN clients are not among
// them"), and a missing hairpin rule went unsaid.
func TestAllowListThatHoldsTheLAN(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
` + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.178/29 interface=ether1 network=203.0.113.176
/ip firewall address-list
add address=192.168.88.0/24 list=allowed
add address=192.0.2.128/26 list=allowed
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=203.0.113.178 dst-port=8006 protocol=tcp src-address-list=allowed to-addresses=192.168.88.45
/ip route
add gateway=203.0.113.177
`
	p := importText(t, text)
	if len(p.Forwards) != 1 || !slices.Equal(p.Forwards[0].SourcesLAN, []string{"bridge"}) {
		t.Fatalf("forwards %+v", p.Forwards)
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool {
		return strings.Contains(n, "the clients of bridge are, and their paths are judged")
	}) {
		t.Errorf("notes: %q", p.Notes)
	}
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == NoHairpin && f.Path == "hairpin:bridge" }) {
		t.Errorf("no hairpin finding: %+v", found)
	}
	if slices.ContainsFunc(found, func(f Finding) bool { return f.Path == "internet" }) {
		t.Errorf("the internet path is kept out by design: %+v", found)
	}
}
