package check

import (
	"fmt"
	"slices"
	"testing"
)

// TestBanListFilledElsewhere: WinBox forwarded to the router from WAN port
// 9999, and an input chain that first drops a DNS-amplification ban list
// (filled by an add-src-to-address-list rule of udp/53 only), then drops
// 8291 from the WAN. A new client's tcp/8291 is in no such list: the walk
// goes on to the drop of 8291, which the lab saw drop WinBox. Before, the
// list was "filled at run time, cannot be judged", the walk stopped at it
// and offline said no problem (exit 0) where the lab said 1. The control:
// a port-scan ban list whose adding rule the reading cannot weigh (psd=)
// for this very packet stays unjudged.
func TestBanListFilledElsewhere(t *testing.T) {
	const export = "# 2024-06-01 10:00:00 by RouterOS 7.15.3\n" + etherLists + `/ip address
add address=10.3.3.1/24 interface=ether2 network=10.3.3.0
add address=198.18.120.2/24 interface=ether1 network=198.18.120.0
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=jump chain=input jump-target=dns-amp
add action=add-src-to-address-list address-list=ban address-list-timeout=10h chain=dns-amp %s
add action=drop chain=dns-amp src-address-list=ban
add action=jump chain=input in-interface=ether1 jump-target=wan-services
add action=drop chain=wan-services dst-port=8291 protocol=tcp
add action=return chain=wan-services
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=9999 in-interface=ether1 protocol=tcp to-addresses=10.3.3.1 to-ports=8291
/ip route
add gateway=198.18.120.1
`
	for _, tt := range []struct {
		adds string
		line int // the input rule that drops WinBox, 0 for none judged
	}{
		{"port=53 protocol=udp", 17},
		{"protocol=tcp psd=21,3s,3,1", 0},
	} {
		p := importNamed(t, "ban.rsc", []byte(fmt.Sprintf(export, tt.adds)))
		if len(p.ToRouter) != 1 {
			t.Fatalf("%s: to the router %+v", tt.adds, p.ToRouter)
		}
		found, _ := p.Diagnose()
		i := slices.IndexFunc(found, func(f Finding) bool { return f.Cause == ToRouterInputDrops })
		switch {
		case tt.line == 0 && i >= 0:
			t.Errorf("%s: finding %+v, want none (the ban list may hold the client)", tt.adds, found[i])
		case tt.line != 0 && (i < 0 || found[i].Line != tt.line):
			t.Errorf("%s: findings %+v, want the drop at line %d", tt.adds, found, tt.line)
		}
	}
}
