package check

import (
	"fmt"
	"slices"
	"testing"
)

// TestInboundMark: mark-routing for WAN2's connections written with
// in-interface=ether2 marks the forwarded SYN itself; the table's default
// route sends it back out. Named for the internet path and fixed by
// marking the answers from the server's segment; the rule written with
// in-interface-list=LAN (the negative control) is not named.
func TestInboundMark(t *testing.T) {
	const export = `# 2026-11-20 09:14:33 by RouterOS 7.16.2
/interface list
add name=WAN
add name=LAN
/routing table
add disabled=no fib name=to-isp2
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=WAN
add interface=ether3 list=LAN
/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=198.18.0.2/24 interface=ether2 network=198.18.0.0
add address=192.168.88.1/24 interface=ether3 network=192.168.88.0
/ip firewall mangle
add action=mark-connection chain=prerouting connection-state=new in-interface=ether2 new-connection-mark=in-isp2 passthrough=yes
add action=mark-routing chain=prerouting comment=route-isp2 connection-mark=in-isp2 %s new-routing-mark=to-isp2 passthrough=no
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=12566 in-interface=ether2 protocol=tcp to-addresses=192.168.88.10
/ip route
add gateway=203.0.113.1
add gateway=198.18.0.1 routing-table=to-isp2
`
	for _, tt := range []struct {
		name, bind string
		want       bool
	}{
		{"marks the inbound packets", "in-interface=ether2", true},
		{"marks the answers", "in-interface-list=LAN", false},
	} {
		p := importNamed(t, "in.rsc", []byte(fmt.Sprintf(export, tt.bind)))
		found, _ := p.Diagnose()
		in := withCause(found, InboundMarked)
		if !tt.want {
			if len(in) != 0 {
				t.Errorf("%s: %v", tt.name, in)
			}
			continue
		}
		if len(in) != 1 || in[0].Line != 17 {
			t.Fatalf("%s: findings %v", tt.name, found)
		}
		if fx := p.Propose(found); !slices.Contains(fx.Lines, `/ip firewall mangle set [ find where comment=route-isp2 ] in-interface=ether3`) {
			t.Errorf("%s: fix %q", tt.name, fx.Lines)
		}
	}
}
