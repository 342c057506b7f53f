package check

import (
	"slices"
	"strings"
	"testing"
)

// A server behind a second router that sits on the LAN (192.168.88.2, the
// lab's 10.20.0.0/24 behind it, a static route through it): a LAN client
// asking the public address is sent to the server through this router,
// and the second router answers the client straight on the LAN. Without a
// masquerade of the LAN towards the server that path fails; check said
// only that it could not judge a server off the LAN segments (exit 0).
// With the masquerade, or with the second router on a segment of its own
// without clients, there is no finding.
func TestServerBehindASecondRouterOnTheLAN(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
` + homeWANMasq + `add action=dst-nat chain=dstnat dst-address-type=local dst-address=!192.168.88.1 dst-port=443 protocol=tcp to-addresses=10.20.0.10
%MASQ%
/ip route
add gateway=203.0.113.1
add dst-address=10.20.0.0/24 gateway=%GW%
`
	for _, tt := range []struct {
		masq, gw string
		want     bool
	}{
		{"", "192.168.88.2", true},
		{"add action=masquerade chain=srcnat dst-address=10.20.0.0/24 src-address=192.168.88.0/24", "192.168.88.2", false},
		{"", "10.99.0.2", false},
	} {
		p := importText(t, strings.NewReplacer("%MASQ%", tt.masq, "%GW%", tt.gw).Replace(text))
		found, _ := p.Diagnose()
		got := slices.ContainsFunc(found, func(f Finding) bool {
			return f.Cause == RoutedServerHairpin && f.Path == "hairpin:bridge" && f.Line == 21
		})
		if got != tt.want {
			t.Errorf("masq %q gw %s: finding %v, want %v: %+v", tt.masq, tt.gw, got, tt.want, found)
		}
		if !tt.want {
			continue
		}
		want := "/ip firewall nat add chain=srcnat action=masquerade src-address=192.168.88.0/24 dst-address=10.20.0.10 out-interface=bridge"
		if lines := p.Propose(found).Lines; !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, want) }) {
			t.Errorf("fix %q", lines)
		}
	}
}
