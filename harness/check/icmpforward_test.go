package check

import (
	"strings"
	"testing"
)

// TestICMPForwardHasNoPorts: a 7.16.1 RB5009 export forwards ping to an
// Apple TV (protocol=icmp, no port); check said the rule "forwards every
// port", which an ICMP rule cannot, beside the true note that only tcp and
// udp are probed.
func TestICMPForwardHasNoPorts(t *testing.T) {
	p := loadText(t, `# 2024-10-28 12:28:48 by RouterOS 7.16.1
/interface bridge
add name=BR1
/interface list
add name=WAN
/interface bridge port
add bridge=BR1 interface=ether1
/interface list member
add interface=ether8 list=WAN
/ip address
add address=192.168.10.126/25 interface=BR1 network=192.168.10.0
/ip dhcp-client
add interface=ether8
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat in-interface-list=WAN protocol=icmp to-addresses=192.168.10.19
add action=dst-nat chain=dstnat in-interface-list=WAN to-addresses=192.168.10.20
`)
	notes := strings.Join(p.Notes, "\n")
	if strings.Contains(notes, "line 16 forwards every port") {
		t.Errorf("the ICMP forward is said to forward every port:\n%s", notes)
	}
	for _, want := range []string{"line 16 forwards protocol icmp; only tcp and udp are probed", "line 17 forwards every port"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}
