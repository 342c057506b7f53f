package check

import (
	"slices"
	"strings"
	"testing"
)

// A 1:1 netmap of a public /31 onto two servers whose to-addresses names
// the first server alone: both public addresses reach it and the second
// server is never reached. The diagnosis names the rule and the fix widens
// to-addresses to the block (the hairpin rule with it); a netmap whose
// blocks are of one size, or a wider to-addresses, is no finding.
func TestNetmapNarrowerThanItsBlock(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=203.0.113.249/29 interface=ether1 network=203.0.113.248
add address=203.0.113.250/29 interface=ether1 network=203.0.113.248
add address=203.0.113.251/29 interface=ether1 network=203.0.113.248
add address=192.168.88.1/27 interface=ether2 network=192.168.88.0
/ip firewall nat
add action=netmap chain=srcnat src-address=192.168.88.10/31 to-addresses=203.0.113.250/31
add action=netmap chain=dstnat comment=servers dst-address=203.0.113.250/31 to-addresses=%TO%
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add gateway=203.0.113.254
`
	p := importText(t, strings.Replace(text, "%TO%", "192.168.88.10", 1))
	found, _ := p.Diagnose()
	i := slices.IndexFunc(found, func(f Finding) bool { return f.Cause == NetmapNarrow })
	if i < 0 {
		t.Fatalf("no netmap finding: %+v", found)
	}
	if f := found[i]; !strings.Contains(f.Rule, "to-addresses=192.168.88.10") || !strings.Contains(f.Detail, "goes to 192.168.88.10") {
		t.Errorf("finding %+v", f)
	}
	lines := p.Propose(found).Lines
	if !slices.Contains(lines, `/ip firewall nat set [ find where comment=servers ] to-addresses=192.168.88.10/31`) {
		t.Errorf("fix does not widen to-addresses: %q", lines)
	}
	if slices.ContainsFunc(lines, func(l string) bool {
		return strings.Contains(l, "action=masquerade") && !strings.Contains(l, "dst-address=192.168.88.10/31")
	}) {
		t.Errorf("hairpin rule does not cover the block: %q", lines)
	}
	for _, to := range []string{"192.168.88.10/31", "192.168.88.8/30"} {
		p := importText(t, strings.Replace(text, "%TO%", to, 1))
		found, _ := p.Diagnose()
		if slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == NetmapNarrow }) {
			t.Errorf("to-addresses=%s: %+v", to, found)
		}
	}
}
