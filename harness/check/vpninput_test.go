package check

import (
	"slices"
	"strings"
	"testing"
)

// A WireGuard server (a peer with no endpoint: the phone comes to the
// router) on a defconf input chain: with no accept for its port, or with
// the accept added at the end below "drop all not coming from LAN", the
// handshakes are dropped. --offline said "no problem found"; now it names
// the drop, and the fix adds the accept above it or moves the late one
// up. A router that dials its only peer (endpoint-address set) gets its
// answers through the established accept: no finding.
func TestVPNServerPortDroppedOnInput(t *testing.T) {
	const text = `# 2026-12-02 09:12:40 by RouterOS 7.16.2
` + homeBridge + `add interface=ether1 list=WAN
/interface wireguard
add listen-port=13231 name=wg-home
/interface wireguard peers
add allowed-address=10.10.10.2/32 interface=wg-home public-key="hQ0vQmS1ibb5cKMiUZAmGeRy1gDeq+0hHjS0UvS9vCU="%s
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input comment="drop all not coming from LAN" in-interface-list=!LAN
%s/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		name, peer, late string
		want             bool
		fix              string
	}{
		{"no accept", "", "", true, `/ip firewall filter add chain=input action=accept protocol=udp dst-port=13231 comment="VPN: wg-home" place-before=[ find where comment="drop all not coming from LAN" ]`},
		{"accept below the drop", "", "add action=accept chain=input comment=wg dst-port=13231 protocol=udp\n", true, `/ip firewall filter move [ find where comment=wg ] destination=[ find where comment="drop all not coming from LAN" ]`},
		{"router dials its peer", " endpoint-address=198.51.100.9 endpoint-port=13231", "", false, ""},
	} {
		p := importText(t, strings.Replace(strings.Replace(text, "%s", tt.peer, 1), "%s", tt.late, 1))
		found, _ := p.Diagnose()
		got := withCause(found, VPNInputDrops)
		if (len(got) > 0) != tt.want {
			t.Errorf("%s: findings %+v", tt.name, found)
			continue
		}
		if !tt.want {
			continue
		}
		if !strings.Contains(got[0].Rule, "drop all not coming from LAN") {
			t.Errorf("%s: names %q", tt.name, got[0].Rule)
		}
		if fx := p.Propose(found); !slices.Contains(fx.Lines, tt.fix) {
			t.Errorf("%s: fix %q", tt.name, fx.Lines)
		}
	}
}
