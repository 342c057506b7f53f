package check

import (
	"slices"
	"strings"
	"testing"
)

// An IKEv2 road warrior (passive peer, identity, mode-config pool) on a
// forward chain without defconf's IPsec accepts above the fasttrack: the
// LAN's answers to the clients are fasttracked past the IPsec policies
// (forum54 c16). It was "no problem found"; the fix puts the two accepts
// above the fasttrack. With them, or with a site-to-site peer (no
// mode-config for road warriors), there is no finding.
func TestRoadWarriorFasttrack(t *testing.T) {
	text := "# 2026-12-06 22:15:00 by RouterOS 7.16.2\n" + homeBridge + `add interface=ether1 list=WAN
/ip pool
add name=rw-pool ranges=192.168.77.2-192.168.77.254
/ip ipsec mode-config
add address-pool=rw-pool name=rw-cfg
/ip ipsec peer
add exchange-mode=ike2 name=rw-peer%s
/ip ipsec identity
add generate-policy=port-strict mode-config=rw-cfg peer=rw-peer secret=s3cret
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall filter
%sadd action=fasttrack-connection chain=forward comment="defconf: fasttrack" connection-state=established,related
add action=accept chain=forward connection-state=established,related,untracked
/ip firewall nat
add action=masquerade chain=srcnat ipsec-policy=out,none out-interface-list=WAN
/ip route
add gateway=203.0.113.1
`
	const accepts = "add action=accept chain=forward ipsec-policy=in,ipsec\nadd action=accept chain=forward ipsec-policy=out,ipsec\n"
	sel := `place-before=[ find where comment="defconf: fasttrack" ]`
	for _, tt := range []struct {
		name, peer, accepts string
		want                bool
	}{
		{"no ipsec accepts", " passive=yes", "", true},
		{"defconf's accepts", " passive=yes", accepts, false},
		{"site to site", " address=198.51.100.9/32", "", false},
	} {
		p := importText(t, fill(text, tt.peer, tt.accepts))
		found, _ := p.Diagnose()
		got := withCause(found, RoadWarriorFasttrack)
		if (len(got) > 0) != tt.want {
			t.Errorf("%s: findings %+v", tt.name, found)
			continue
		}
		if !tt.want {
			continue
		}
		if !strings.Contains(got[0].Rule, "fasttrack-connection") || !strings.Contains(got[0].Detail, "192.168.77.2") {
			t.Errorf("%s: finding %+v", tt.name, got[0])
		}
		fx := p.Propose(found)
		for _, want := range []string{
			`/ip firewall filter add chain=forward action=accept ipsec-policy=in,ipsec comment="accept in ipsec policy" ` + sel,
			`/ip firewall filter add chain=forward action=accept ipsec-policy=out,ipsec comment="accept out ipsec policy" ` + sel,
		} {
			if !slices.Contains(fx.Lines, want) {
				t.Errorf("%s: fix %q lacks %q", tt.name, fx.Lines, want)
			}
		}
	}
}
