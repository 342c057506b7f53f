package check

import (
	"fmt"
	"slices"
	"testing"
)

// TestRawNotrack: a raw notrack of everything to the router from the WAN
// takes the forward's packets before NAT: named for the internet path and
// fixed by disabling it. The negative control: the same rule disabled.
func TestRawNotrack(t *testing.T) {
	const export = `# 2026-11-20 09:14:33 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip firewall raw
add action=notrack chain=prerouting comment=spare%s dst-address-type=local in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=12566 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat dst-address=192.168.88.10 src-address=192.168.88.0/24
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		name, extra string
		want        bool
	}{
		{"notrack", "", true},
		{"notrack disabled", " disabled=yes", false},
	} {
		p := importNamed(t, "raw.rsc", []byte(fmt.Sprintf(export, tt.extra)))
		found, _ := p.Diagnose()
		raw := withCause(found, RawNotrack)
		if !tt.want {
			if len(raw) != 0 {
				t.Errorf("%s: %v", tt.name, raw)
			}
			continue
		}
		if len(raw) != 1 || raw[0].Line != 12 || raw[0].Path != "internet" {
			t.Fatalf("%s: findings %v", tt.name, found)
		}
		if fx := p.Propose(found); !slices.Contains(fx.Lines, `/ip firewall raw disable [ find where comment=spare ]`) {
			t.Errorf("%s: fix %q", tt.name, fx.Lines)
		}
	}
}
