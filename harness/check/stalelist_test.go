package check

import (
	"fmt"
	"slices"
	"testing"
)

// TestStaleList: a dst-nat on an address list that holds the DHCP WAN's
// address literally, with the scheduler that refreshes it disabled, stops
// at the next renumbering: named, and fixed with method 4. With the
// scheduler enabled (the negative control) nothing is said.
func TestStaleList(t *testing.T) {
	const export = `# 2026-11-20 09:14:33 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall address-list
add address=203.0.113.2 list=WAN-IP
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-list=WAN-IP dst-port=12566 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat dst-address=192.168.88.10 src-address=192.168.88.0/24
/system scheduler
add%s interval=2s name=wan-ip on-event=wan-ip-refresh start-time=startup
/system script
add name=wan-ip-refresh source=":local a [/ip address get [find interface=ether1] address]; /ip firewall address-list set [find list=WAN-IP] address=[:pick \$a 0 [:find \$a \"/\"]]"
`
	for _, tt := range []struct {
		name, disabled string
		want           bool
	}{
		{"scheduler disabled", " disabled=yes", true},
		{"scheduler enabled", "", false},
	} {
		p := importNamed(t, "list.rsc", []byte(fmt.Sprintf(export, tt.disabled)))
		found, _ := p.Diagnose()
		lit := withCause(found, LiteralWAN)
		if !tt.want {
			if len(lit) != 0 {
				t.Errorf("%s: %v", tt.name, lit)
			}
			continue
		}
		if len(lit) != 1 || lit[0].Path != "after a renumbering" || lit[0].Line != 16 {
			t.Fatalf("%s: findings %v", tt.name, found)
		}
		want := "/ip firewall nat set [ find where action=dst-nat and chain=dstnat and dst-address-list=WAN-IP and dst-port=12566 and protocol=tcp and to-addresses=192.168.88.10 ] dst-address-type=local dst-address-list=!hairpin-lan"
		if fx := p.Propose(found); !slices.Contains(fx.Lines, want) {
			t.Errorf("%s: fix %q", tt.name, fx.Lines)
		}
	}
}
