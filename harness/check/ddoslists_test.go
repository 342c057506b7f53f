package check

import (
	"strings"
	"testing"
)

// TestDDoSListsForwardOnly (rc29 C4): the manual's DDoS recipe fills
// ddos-target and ddos-attacker from a chain the forward chain jumps to,
// and raw drops a pair of them. A forwarded packet's destination is never
// the router's own address, so the drop never takes the internet's
// connection to the router: with the input drop disabled, WinBox "would
// be open", not "may be open". Control: the same detector jumped to from
// input may list the router, and the warning stays "may be open".
func TestDDoSListsForwardOnly(t *testing.T) {
	const export = "# jan/02/2025 10:00:00 by RouterOS 7.16.2\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip route
add gateway=203.0.113.1
/ip firewall address-list
add list=ddos-attacker
add list=ddos-target
/ip firewall filter
add action=drop chain=input disabled=yes in-interface-list=!LAN
add action=jump chain=%s connection-state=new in-interface-list=WAN jump-target=detect-ddos
add action=return chain=detect-ddos dst-limit=64,64,src-and-dst-addresses/10s
add action=add-dst-to-address-list address-list=ddos-target address-list-timeout=10m chain=detect-ddos
add action=add-src-to-address-list address-list=ddos-attacker address-list-timeout=10m chain=detect-ddos
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall raw
add action=drop chain=prerouting dst-address-list=ddos-target src-address-list=ddos-attacker
`
	for _, tt := range []struct{ chain, want string }{
		{"forward", "the router's WinBox (8291) would be open to the internet on 203.0.113.2"},
		{"input", "the router's WinBox (8291) may be open to the internet on 203.0.113.2"},
	} {
		got := strings.Join(importText(t, strings.Replace(export, "%s", tt.chain, 1)).OfflineServiceWarnings(), "\n")
		if !strings.Contains(got, tt.want) {
			t.Errorf("detector from %s: want %q in\n%s", tt.chain, tt.want, got)
		}
	}
}
