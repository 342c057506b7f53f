package check

import (
	"slices"
	"strings"
	"testing"
)

// netmapBlock gives four LAN servers the four public addresses of a /30
// by netmap both ways; the servers share the users' segment.
const netmapBlock = "# 2026-12-01 18:40:02 by RouterOS 7.15.3\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.60.1/24 interface=bridge network=192.168.60.0
add address=203.0.113.82/28 interface=ether1 network=203.0.113.80
add address=203.0.113.88/30 interface=ether1 network=203.0.113.88
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=netmap chain=srcnat src-address=192.168.60.88/30 to-addresses=203.0.113.88/30
add action=netmap chain=dstnat dst-address=203.0.113.88/30 to-addresses=192.168.60.88/30
/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.81
`

// A netmap of a block is probed on the block's address that leads to the
// forward's server (it was probed on the WAN's own address, which the
// netmap does not take, and the missing hairpin went unseen); the fix's
// hairpin takes the whole block; with a hairpin masquerade it works.
func TestNetmapBlockHairpin(t *testing.T) {
	p := importText(t, netmapBlock)
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == NoHairpin && f.Line == 19 }) {
		t.Errorf("findings: %+v", found)
	}
	if slices.ContainsFunc(found, func(f Finding) bool { return f.Path == "internet" || strings.HasPrefix(f.Path, "internet via") }) {
		t.Errorf("internet findings: %+v", found)
	}
	if all := strings.Join(p.Propose(found).Lines, "\n"); !strings.Contains(all, "src-address=192.168.60.0/24 dst-address=192.168.60.88/30 out-interface=bridge") {
		t.Errorf("fix (the hairpin takes the whole block):\n%s", all)
	}
	ok := importText(t, strings.Replace(netmapBlock, "add action=masquerade chain=srcnat out-interface-list=WAN\n",
		"add action=masquerade chain=srcnat dst-address=192.168.60.0/24 src-address=192.168.60.0/24\nadd action=masquerade chain=srcnat out-interface-list=WAN\n", 1))
	if found, _ := ok.Diagnose(); len(found) != 0 {
		t.Errorf("with the hairpin: %+v", found)
	}
}
