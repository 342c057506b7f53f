package check

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestRoutedBlock: a /29 the ISP routes to the router, kept on a bridge
// with no ports, and a forward with dst-address-type=local on one of its
// addresses that the router does not hold. The forward is probed on that
// address (the lab's ISP routes the block to the router's WAN address),
// named as never matching, and fixed by giving the router the address; with
// the address on the bridge (the negative control) nothing is said.
func TestRoutedBlock(t *testing.T) {
	const export = `# 2026-11-20 09:14:33 by RouterOS 7.16.2
/interface bridge
add name=loopback protocol-mode=none
` + etherLists + `/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
add address=192.0.2.9/29 interface=loopback network=192.0.2.8
%s/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat dst-address=192.168.88.10 src-address=192.168.88.0/24
add action=dst-nat chain=dstnat comment=web dst-address=192.0.2.10 dst-address-type=local dst-port=80 protocol=tcp to-addresses=192.168.88.10
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		name, extra string
		want        bool
	}{
		{"address not on the router", "", true},
		{"address on the loopback", "add address=192.0.2.10 interface=loopback network=192.0.2.10\n", false},
	} {
		p := importNamed(t, "block.rsc", []byte(fmt.Sprintf(export, tt.extra)))
		found, _ := p.Diagnose()
		nl := withCause(found, NotLocal)
		fx := p.Propose(found)
		c, err := p.Case(fx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"{to: 192.0.2.8/29, via: 203.0.113.2}", "to: 192.0.2.10:80"} {
			if !strings.Contains(c.YAML, s) {
				t.Errorf("%s: the lab lacks %q", tt.name, s)
			}
		}
		if !tt.want {
			if len(nl) != 0 || len(found) != 0 {
				t.Errorf("%s: %v", tt.name, found)
			}
			continue
		}
		if len(nl) != 2 {
			t.Fatalf("%s: findings %v", tt.name, found)
		}
		if !slices.Contains(fx.Lines, "/ip address add address=192.0.2.10/32 interface=loopback") {
			t.Errorf("%s: fix %q", tt.name, fx.Lines)
		}
	}
}
