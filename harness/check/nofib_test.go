package check

import (
	"fmt"
	"slices"
	"testing"
)

// TestTableNoFIB: a v7 dual-WAN export whose mangle marks the answers of
// WAN2's connections for a routing table added without fib. The forward
// on WAN2 is named (the table's line), and the fix sets fib; with fib set
// (the negative control) nothing is said of the table.
func TestTableNoFIB(t *testing.T) {
	const export = `# 2026-11-20 09:14:33 by RouterOS 7.16.2
/interface list
add name=WAN
add name=LAN
/routing table
add disabled=no%s name=to-isp2
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
add action=mark-routing chain=prerouting connection-mark=in-isp2 in-interface-list=LAN new-routing-mark=to-isp2 passthrough=no
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=12566 in-interface=ether2 protocol=tcp to-addresses=192.168.88.10
/ip route
add gateway=203.0.113.1
add gateway=198.18.0.1 routing-table=to-isp2
`
	for _, tt := range []struct {
		name, fib string
		want      bool
	}{
		{"without fib", "", true},
		{"with fib", " fib", false},
	} {
		p := importNamed(t, "nofib.rsc", []byte(fmt.Sprintf(export, tt.fib)))
		found, _ := p.Diagnose()
		got := withCause(found, TableNoFIB)
		if !tt.want {
			if len(got) != 0 {
				t.Errorf("%s: %v", tt.name, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Line != 6 || got[0].Path != "internet via ether2" {
			t.Fatalf("%s: findings %v", tt.name, got)
		}
		if fx := p.Propose(found); !slices.Contains(fx.Lines, `/routing table set [ find where name=to-isp2 ] fib`) {
			t.Errorf("%s: fix %q", tt.name, fx.Lines)
		}
	}
}
