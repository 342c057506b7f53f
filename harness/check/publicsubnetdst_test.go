package check

import (
	"strings"
	"testing"
)

// TestPublicSubnetDstNat (rc33's rotko-bkk50): a dst-nat on an address of
// a public subnet routed to the router (160.22.181.174 of the /29 on
// ether3) read "the dst-nat names a LAN address as its dst-address ...:
// it never matches them", yet the internet's connections to that address
// pass the router and the rule takes them. It is now what the rules alone
// cannot judge. Control: a private LAN address keeps LANDstAddress.
func TestPublicSubnetDstNat(t *testing.T) {
	rsc := `# by RouterOS 7.20
/ip address add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip address add address=192.168.69.1/24 interface=ether2 network=192.168.69.0
/ip address add address=160.22.181.169/29 interface=ether3 network=160.22.181.168
/ip route add gateway=203.0.113.1
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
/ip firewall nat add action=dst-nat chain=dstnat dst-address=DST dst-port=54242 protocol=tcp to-addresses=192.168.69.2 to-ports=443
`
	diag := func(dst string) []Finding {
		t.Helper()
		found, _ := loadText(t, strings.Replace(rsc, "DST", dst, 1)).Diagnose()
		return found
	}
	var note bool
	for _, f := range diag("160.22.181.174") {
		if f.Cause == LANDstAddress {
			t.Errorf("public subnet: %s", f)
		}
		if f.Cause == "" && strings.Contains(f.Detail, "an address of the public subnet 160.22.181.168/29 on ether3") {
			note = true
		}
	}
	if !note {
		t.Errorf("public subnet: no note of the routed subnet: %v", diag("160.22.181.174"))
	}
	var lan bool
	for _, f := range diag("192.168.69.50") {
		lan = lan || f.Cause == LANDstAddress
	}
	if !lan {
		t.Errorf("control, a private LAN address: no LANDstAddress: %v", diag("192.168.69.50"))
	}
}
