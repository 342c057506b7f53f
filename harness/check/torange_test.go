package check

import (
	"slices"
	"strings"
	"testing"
)

// A forward to a range of servers (to-addresses=192.168.88.31-192.168.88.32)
// with no hairpin rule: the fix's hairpin masquerade takes the whole range,
// since RouterOS gives each connection one address of it. It named the
// first address only, and LAN clients sent to the second got no answer.
func TestHairpinForAToAddressesRange(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
` + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=25565 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.31-192.168.88.32
`
	p := importText(t, text)
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == NoHairpin }) {
		t.Fatalf("findings: %+v", found)
	}
	lines := p.Propose(found).Lines
	want := `/ip firewall nat add chain=srcnat action=masquerade src-address=192.168.88.0/24 dst-address=192.168.88.31-192.168.88.32 out-interface=bridge comment="hairpin to 192.168.88.31-192.168.88.32"`
	if !slices.Contains(lines, want) {
		t.Errorf("fix:\n%s", strings.Join(lines, "\n"))
	}
}
