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
			// Each spelling is refused by the other major: the inference
			// rests on refusals, not on a tie.
			if tc.name != "either" && (i.Refused6 == 0) == (i.Refused7 == 0) && tc.want != "" {
				t.Errorf("refused by 6: %d, by 7: %d; want one of them only", i.Refused6, i.Refused7)
			}
			if i.Version != tc.want {
				t.Errorf("inferred %q (refused by 6: %d, by 7: %d), want %q", i.Version, i.Refused6, i.Refused7, tc.want)
			}
		})
	}
}
