package check

import (
	"slices"
	"strings"
	"testing"
)

// A raw notrack of the server's own traffic (src-address=<server>, "speed
// up the backups") takes the answers to the forwarded connections too: raw
// sees every packet, and untracked answers are never translated back. The
// LAN-to-LAN notrack many guides add takes the hairpin's answers alike (the
// hairpin masquerade made them LAN to LAN). Both were "no problem found".
// The fix disables the rule; a notrack of other hosts' traffic is no
// finding.
func TestRawTakesTheServersAnswers(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
` + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall raw
add action=notrack chain=prerouting comment=fast src-address=%s
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=8443 protocol=tcp to-addresses=192.168.88.120
add action=masquerade chain=srcnat dst-address=192.168.88.120 src-address=192.168.88.0/24
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		name, src string
		paths     []string
	}{
		{"the server's traffic", "192.168.88.120", []string{"internet", "hairpin:bridge"}},
		{"LAN to LAN", "192.168.88.0/24 dst-address=192.168.88.0/24", []string{"hairpin:bridge"}},
		{"another host", "192.168.88.121", nil},
	} {
		p := importText(t, strings.Replace(text, "%s", tt.src, 1))
		found, _ := p.Diagnose()
		var got []string
		for _, f := range found {
			if f.Cause == RawDropsAnswers && f.Line == 16 {
				got = append(got, f.Path)
			}
		}
		if !slices.Equal(got, tt.paths) {
			t.Errorf("%s: paths %v, want %v; findings %+v", tt.name, got, tt.paths, found)
		}
		lines := p.Propose(found).Lines
		if want := "/ip firewall raw disable [ find where comment=fast ]"; len(tt.paths) > 0 && !slices.Contains(lines, want) {
			t.Errorf("%s: fix:\n%s", tt.name, strings.Join(lines, "\n"))
		}
	}
}
