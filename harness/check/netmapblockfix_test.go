package check

import (
	"slices"
	"strings"
	"testing"
)

// A netmap of a block of a static WAN's subnet (dst-address=203.0.113.68/30
// to-addresses=192.168.88.68/30), or a dst-nat of a range of its addresses,
// bound to the WAN port: the fix only unbinds it. It replaced the block
// with the router's own address (!dst-address dst-address=203.0.113.66),
// which would map the router's own address, every port of it, to one
// server and lose the others.
func TestFixKeepsTheNetmapsBlock(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
` + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.66/29 interface=ether1 network=203.0.113.64
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=netmap chain=srcnat src-address=192.168.88.68/30 to-addresses=203.0.113.68/30
add chain=dstnat in-interface=ether1 %RULE%
/ip route
add gateway=203.0.113.65
`
	for _, rule := range []string{
		"action=netmap dst-address=203.0.113.68/30 to-addresses=192.168.88.68/30",
		"action=dst-nat dst-address=203.0.113.68-203.0.113.70 dst-port=443 protocol=tcp to-addresses=192.168.88.68",
	} {
		p := importText(t, strings.Replace(text, "%RULE%", rule, 1))
		found, _ := p.Diagnose()
		if !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == BoundToWAN && f.Path == "hairpin:bridge" }) {
			t.Fatalf("%s: not bound: %+v", rule, found)
		}
		lines := p.Propose(found).Lines
		if !slices.ContainsFunc(lines, func(l string) bool {
			return strings.HasPrefix(l, "/ip firewall nat set ") && strings.HasSuffix(l, "] !in-interface")
		}) || slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, "203.0.113.66") }) {
			t.Errorf("%s: fix %q", rule, lines)
		}
	}
}
