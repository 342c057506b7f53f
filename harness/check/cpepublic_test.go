package check

import (
	"fmt"
	"strings"
	"testing"
)

// TestForwardOnISPRoutersPublicAddress: behind an ISP router (WAN
// 192.168.1.2), a forward written with dst-address=<the public address
// from whatismyip> never sees the internet's connections: the ISP router
// translates them to 192.168.1.2. Before, only "no public address, no fix
// on this router" was said. The control: a forward on the router's own
// WAN address gets no such note.
func TestForwardOnISPRoutersPublicAddress(t *testing.T) {
	const export = `# 2026-12-01 21:17:44 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=192.168.1.2/24 interface=ether1 network=192.168.1.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment=nas dst-address=%s dst-port=12566 protocol=tcp to-addresses=192.168.88.10
/ip route
add gateway=192.168.1.1
`
	for _, tt := range []struct{ dst, want string }{
		{"81.7.20.9", `line 13 names dst-address=81.7.20.9, which is not this router's: its WAN ether1 has 192.168.1.2 behind an ISP router`},
		{"192.168.1.2", ""},
	} {
		p := importNamed(t, "cpe.rsc", []byte(fmt.Sprintf(export, tt.dst)))
		var got []string
		for _, n := range p.Notes {
			if strings.Contains(n, "which is not this router's") {
				got = append(got, n)
			}
		}
		if tt.want == "" && len(got) != 0 || tt.want != "" && (len(got) != 1 || !strings.HasPrefix(got[0], tt.want) ||
			!strings.HasSuffix(got[0], `/ip firewall nat add chain=dstnat action=dst-nat in-interface-list=WAN protocol=tcp dst-port=12566 to-addresses=192.168.88.10 comment="from the ISP router"`)) {
			t.Errorf("dst-address=%s: notes %q", tt.dst, got)
		}
	}
}

// TestHairpinProbeOnISPRoutersPublicAddress: the LAN's path of such a
// forward is probed on the address the rule names (the LAN's clients use
// the public address), not on the router's private WAN address, where the
// rule never matched and the lab said "refused". The control: a forward
// on the router's own WAN address is probed there.
func TestHairpinProbeOnISPRoutersPublicAddress(t *testing.T) {
	const export = `# 2026-12-01 21:17:44 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=192.168.1.2/24 interface=ether1 network=192.168.1.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment=nas dst-address=%s dst-port=12566 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment=hairpin dst-address=192.168.88.10 src-address=192.168.88.0/24
/ip route
add gateway=192.168.1.1
`
	for _, tt := range []struct{ dst, want string }{
		{"81.7.20.9", "81.7.20.9:12566"},
		{"192.168.1.2", "router.wan:12566"},
	} {
		p := importNamed(t, "cpe.rsc", []byte(fmt.Sprintf(export, tt.dst)))
		found, _ := p.Diagnose()
		c, err := p.Case(p.Propose(found))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, pr := range c.Probes {
			if strings.HasPrefix(pr.Path, "hairpin:") && pr.Phase == "before" {
				got = append(got, pr.To)
			}
		}
		if len(got) != 1 || got[0] != tt.want {
			t.Errorf("dst-address=%s: hairpin probes %q, want %s", tt.dst, got, tt.want)
		}
	}
}
