package config

import (
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/version"
)

func TestInferVersion(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		// A RouterOS 6 dual-WAN policy: 6's rule menu and routing marks on
		// routes, which RouterOS 7 refuses.
		{"v6 policy routing", `/ip address
add address=192.168.88.1/24 interface=ether2
/ip route
add distance=1 gateway=10.0.0.1 routing-mark=isp2
/ip route rule
add src-address=192.168.88.0/24 table=isp2
`, version.LastV6},
		// RouterOS 7's spelling of the same, which RouterOS 6 refuses.
		{"v7 policy routing", `/routing table
add fib name=isp2
/ip route
add gateway=10.0.0.1 routing-table=isp2
/routing rule
add src-address=192.168.88.0/24 table=isp2
`, ""},
		// An upgraded router's OpenVPN server, a list from 7.17 that 7.16
		// refuses to add to: the newer 7.
		{"newer v7", `/interface ovpn-server server
add mac-address=FE:B3:B4:C4:A4:48 name=ovpn-server1
/ip address
add address=192.168.88.1/24 interface=ether2
`, version.Newer7},
		// A RouterOS 6.40 router's neighbor discovery and MAC server, one
		// entry per interface, which 6.41 replaced with interface lists:
		// 6.40. Its routing mark makes it 6 before that.
		{"v6.40 per-interface discovery", `/ip neighbor discovery
set ether3 discover=no
/tool mac-server
set [ find default=yes ] disabled=yes
add interface=ether2
/ip route
add distance=1 gateway=10.0.0.1 routing-mark=isp2
`, version.Old6},
		// The 6.41 spelling of the same: the last 6, not 6.40 (which has
		// no discover-interface-list).
		{"v6.41 discovery list", `/interface list
add name=LAN
/ip neighbor discovery-settings
set discover-interface-list=LAN
/ip route
add distance=1 gateway=10.0.0.1 routing-mark=isp2
`, version.LastV6},
		// Lines both take: the default stays.
		{"either", `/ip address
add address=192.168.88.1/24 interface=ether2
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			i := InferVersion(t.Context(), tc.src, 2*time.Second)
			// A v6 spelling is refused by 7 and not by 6: the inference
			// rests on refusals, not on a tie.
			if tc.want == version.LastV6 && (i.Refused6 == 0) == (i.Refused7 == 0) {
				t.Errorf("refused by 6: %d, by 7: %d; want one of them only", i.Refused6, i.Refused7)
			}
			if i.Version != tc.want {
				t.Errorf("inferred %q (refused by 6: %d, by 6.40: %d, by 7: %d, by the newer 7: %d), want %q", i.Version, i.Refused6, i.RefusedOld6, i.Refused7, i.RefusedNewer7, tc.want)
			}
		})
	}
}
