package check

import (
	"strings"
	"testing"
)

// TestOnePoolShared (f71 C2): a pool of one address that two PPP
// secrets (through their profile) or two DHCP servers take addresses
// from gives the second client nothing, and the check said nothing.
// Controls: one user of the pool, a pool of two addresses, a pool that
// goes on into another (next-pool=), a secret with its own address.
func TestOnePoolShared(t *testing.T) {
	const head = "# by RouterOS 7.16.2\n" + homeWANMasq + `/ip route
add gateway=203.0.113.1
/interface l2tp-server server
set enabled=yes
`
	ppp := `/ip pool
add name=one ranges=10.10.10.2
/ppp profile
add local-address=10.10.10.1 name=p remote-address=one
/ppp secret
add name=alice password=x profile=p service=l2tp
add name=bob password=y profile=p service=l2tp
`
	dhcp := `/ip pool
add name=d ranges=192.168.88.100
/ip dhcp-server
add address-pool=d interface=bridge name=d1
add address-pool=d interface=ether3 name=d2
`
	for _, tt := range []struct {
		name, text, want string
	}{
		{"two secrets", ppp, `the pool one (line 22) holds one address, 10.10.10.2, and line 26's PPP secret alice (through profile p) and line 27's PPP secret bob (through profile p) take`},
		{"two DHCP servers", dhcp, `the pool d (line 22) holds one address, 192.168.88.100, and line 24's DHCP server d1 (on bridge) and line 25's DHCP server d2 (on ether3) take`},
		{"one secret (control)", strings.Replace(ppp, "add name=bob password=y profile=p service=l2tp\n", "", 1), ""},
		{"two addresses (control)", strings.Replace(ppp, "ranges=10.10.10.2", "ranges=10.10.10.2-10.10.10.3", 1), ""},
		{"a next pool (control)", strings.Replace(ppp, "ranges=10.10.10.2", "next-pool=more ranges=10.10.10.2", 1), ""},
		{"an address of its own (control)", strings.Replace(ppp, "add name=bob password=y profile=p service=l2tp", "add name=bob password=y profile=p remote-address=10.10.10.9 service=l2tp", 1), ""},
		{"a disabled server (control)", strings.Replace(dhcp, "name=d2", "name=d2 disabled=yes", 1), ""},
	} {
		w := exportWarnings(t, head+tt.text)
		if got := strings.Contains(w, "holds one address"); got != (tt.want != "") || tt.want != "" && !strings.Contains(w, tt.want) {
			t.Errorf("%s: warnings:\n%s", tt.name, w)
		}
	}
}
