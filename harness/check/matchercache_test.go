package check

import (
	"fmt"
	"strings"
	"testing"
)

// The diagnosis asks for the export's matcher once per forward and path
// (takesInternet, byNameTarget, ...) and walks the dstnat chain for each:
// an export of 3000 forwards took 51 s of `check --offline` on a loaded
// 2-core machine, 27 s with the matcher made once per export and each
// chain's rules and address matches kept. The plan hands out the same
// matcher while the export, its set-aside lines and the peer are the
// same, and the chain it walks holds that chain's rules only.
func TestMatcherMadeOncePerExport(t *testing.T) {
	var b strings.Builder
	b.WriteString(`# 2024-11-03 14:22:10 by RouterOS 7.15.3
` + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.34/29 interface=ether1 network=203.0.113.32
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24
`)
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "add action=dst-nat chain=dstnat dst-address=203.0.113.34 dst-port=%d protocol=tcp to-addresses=192.168.88.%d\n", 20000+i, 10+i%200)
	}
	b.WriteString("/ip route\nadd gateway=203.0.113.33\n")
	p := importNamed(t, "many.rsc", []byte(b.String()))
	found, _ := p.Diagnose()
	if len(found) != 0 {
		t.Errorf("findings: %+v", found)
	}
	keep := p.keeper(p.export)
	m := p.newMatcher(p.export, keep)
	if p.newMatcher(p.export, keep) != m {
		t.Fatal("a second matcher was made for the same export")
	}
	if got := len(m.chainRules(p.export, keep, "ip firewall nat", "dstnat")); got != 200 {
		t.Errorf("dstnat chain holds %d rules, want 200", got)
	}
	if got := len(m.chainRules(p.export, keep, "ip firewall nat", "srcnat")); got != 2 {
		t.Errorf("srcnat chain holds %d rules, want 2", got)
	}
}
