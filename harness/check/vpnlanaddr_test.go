package check

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestVPNForwardOnRouterLANAddress: a WireGuard forward written with
// dst-address=<the router's LAN address> (udp 51820 to a Pi) never sees
// the internet's handshakes. Before, it was a note ("not probed as a port
// forward") and the verdict "no problem found"; a VPN port is for clients
// outside, so it is a forward with the LAN-address finding, and the fix
// sets dst-address to the WAN's (one command, not an unset and a set of
// the same property). The control: a container's page on the router's
// address (tcp 9428) stays a note.
func TestVPNForwardOnRouterLANAddress(t *testing.T) {
	const export = `# 2026-12-01 21:17:44 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment=fwd dst-address=192.168.88.1 dst-port=%d protocol=%s to-addresses=192.168.88.10
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		name    string
		port    int
		proto   string
		forward bool
	}{
		{"wireguard", 51820, "udp", true},
		{"openvpn", 1194, "udp", true},
		{"container page", 9428, "tcp", false},
	} {
		p := importNamed(t, "vpn.rsc", []byte(fmt.Sprintf(export, tt.port, tt.proto)))
		if !tt.forward {
			if len(p.Forwards) != 0 || !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "not probed as a port forward") }) {
				t.Errorf("%s: forwards %d, notes %q", tt.name, len(p.Forwards), p.Notes)
			}
			continue
		}
		if len(p.Forwards) != 1 {
			t.Fatalf("%s: forwards %d, notes %q", tt.name, len(p.Forwards), p.Notes)
		}
		found, _ := p.Diagnose()
		var internet bool
		for _, f := range withCause(found, LANDstAddress) {
			internet = internet || f.Path == "internet"
		}
		if !internet {
			t.Errorf("%s: findings %+v", tt.name, found)
		}
		if fx := p.Propose(found); !slices.Contains(fx.Lines, `/ip firewall nat set [ find where comment=fwd ] dst-address=203.0.113.2`) {
			t.Errorf("%s: fix %q", tt.name, fx.Lines)
		}
	}
}
