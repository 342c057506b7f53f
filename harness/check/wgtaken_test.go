package check

import (
	"slices"
	"strings"
	"testing"
)

// The router's own WireGuard listens on 51820 and the input chain accepts
// it from the WAN, while an old forward sends 51820/udp to a NAS: dstnat
// comes first, so the router's WireGuard gets no handshake. It was not
// mentioned; now it is a finding of its own, with no fix line (only the
// user can choose). The router's WireGuard on another port is no finding.
func TestForwardTakesTheRoutersWireGuard(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.18.2
` + homeBridge + `add interface=ether1 list=WAN
/interface wireguard
add listen-port=%s name=wg-home private-key="sG1aZk2bQhYQ0mHkqf3vK8nJ4xwz7TtY6vQ1rP9e3kE="
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input dst-port=51820 in-interface-list=WAN protocol=udp
add action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-type=local dst-address=!192.168.88.1 dst-port=51820 protocol=udp to-addresses=192.168.88.80
add action=masquerade chain=srcnat dst-address=192.168.88.80 src-address=192.168.88.0/24
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		port string
		want bool
	}{{"51820", true}, {"13231", false}} {
		p := importText(t, strings.Replace(text, "%s", tt.port, 1))
		found, _ := p.Diagnose()
		got := slices.ContainsFunc(found, func(f Finding) bool {
			return f.Cause == TakesRouterWireGuard && f.Line == 13 && strings.Contains(f.Detail, "line 19")
		})
		if got != tt.want {
			t.Errorf("listen-port %s: finding %v, want %v: %+v", tt.port, got, tt.want, found)
		}
		if slices.ContainsFunc(found, func(f Finding) bool { return strings.Contains(f.Rule, "sG1aZk2b") }) {
			t.Errorf("the report shows the private key: %+v", found)
		}
		if tt.want && slices.ContainsFunc(p.Propose(found).Lines, func(l string) bool { return strings.Contains(l, "51820") }) {
			t.Errorf("a fix line for the conflict: %v", p.Propose(found).Lines)
		}
	}
}
