package check

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestForwardsInUserChain: forwards kept in a user chain entered by a jump
// from dstnat are forwards (check found none and said "no problem found");
// a jump bound to the WAN list is named for the LAN's hairpin and fixed by
// a second jump for the router's addresses, LAN subnets excluded. The
// negative control: a jump on the public address lets the LAN in too.
func TestForwardsInUserChain(t *testing.T) {
	const export = `# 2026-11-20 09:14:33 by RouterOS 7.17.2
` + etherLists + `/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24
add action=jump chain=dstnat comment=in%s jump-target=port-fwd
add action=dst-nat chain=port-fwd dst-port=3389 protocol=tcp to-addresses=192.168.88.10
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		name, bind string
		want       bool
	}{
		{"jump bound to the WAN", " in-interface-list=WAN", true},
		{"jump on the public address", " dst-address=203.0.113.2", false},
	} {
		p := importNamed(t, "jump.rsc", []byte(fmt.Sprintf(export, tt.bind)))
		if len(p.Forwards) != 1 || p.Forwards[0].Line != 15 {
			t.Fatalf("%s: forwards %+v", tt.name, p.Forwards)
		}
		found, _ := p.Diagnose()
		bound := withCause(found, BoundToWAN)
		if !tt.want {
			if len(found) != 0 {
				t.Errorf("%s: %v", tt.name, found)
			}
			continue
		}
		if len(bound) != 1 || bound[0].Line != 14 || bound[0].Path != "hairpin:ether2" {
			t.Fatalf("%s: findings %v", tt.name, found)
		}
		fx := p.Propose(found)
		if !slices.ContainsFunc(fx.Lines, func(l string) bool {
			return strings.HasPrefix(l, "/ip firewall nat add chain=dstnat action=jump jump-target=port-fwd dst-address-type=local dst-address-list=!hairpin-lan")
		}) {
			t.Errorf("%s: fix %q", tt.name, fx.Lines)
		}
	}
}
