package check

import (
	"net/netip"
	"strings"
	"testing"
)

// Recursive failover written by hand as the manual's failover page
// writes it: the check-gateway hosts without /32 (dst-address=8.8.8.8).
// RouterOS takes such an address as a /32, so the main default route
// resolves through ether1, and a forward on the backup ether2 has its
// answers leave by ether1. Before, the bare address was no prefix, the
// default route resolved to no WAN, and the forward had no finding.
func TestRecursiveHostWithoutMask(t *testing.T) {
	text := `# 2025-03-10 10:00:00 by RouterOS 7.16
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=WAN
/ip address
add address=192.168.1.1/24 interface=ether3 network=192.168.1.0
add address=198.51.100.2/30 interface=ether1 network=198.51.100.0
add address=203.0.113.2/30 interface=ether2 network=203.0.113.0
/ip route
add dst-address=8.8.8.8 scope=10 gateway=198.51.100.1
add dst-address=8.8.4.4 scope=10 gateway=203.0.113.1
add distance=1 gateway=8.8.8.8 target-scope=11 check-gateway=ping
add distance=2 gateway=8.8.4.4 target-scope=11 check-gateway=ping
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=3389 in-interface=ether2 protocol=tcp to-addresses=192.168.1.20
`
	for _, host := range []string{"8.8.8.8", "8.8.8.8/32"} {
		p := importText(t, strings.Replace(text, "dst-address=8.8.8.8 ", "dst-address="+host+" ", 1))
		if got := p.mainWAN(); got != 0 {
			t.Errorf("%s: main WAN %d, want 0 (ether1)", host, got)
		}
		found, _ := p.Diagnose()
		ok := false
		for _, f := range found {
			ok = ok || f.Cause == RepliesOtherWAN && f.Path == "internet via ether2"
		}
		if !ok {
			t.Errorf("%s: no finding of the answers leaving by ether1: %+v", host, found)
		}
	}
}

// The lab answers the check-gateway hosts routed by a /32 through an
// ISP's address; a host written without /32 is one too.
func TestHostsViaWithoutMask(t *testing.T) {
	p := importText(t, `# 2025-03-10 10:00:00 by RouterOS 7.16
/ip address
add address=192.168.1.1/24 interface=ether3 network=192.168.1.0
/ip dhcp-client
add add-default-route=no interface=ether1
/ip route
add dst-address=9.9.9.9 scope=10 gateway=192.0.2.1
add dst-address=1.1.1.1/32 scope=10 gateway=192.0.2.1
add distance=1 gateway=9.9.9.9 target-scope=11 check-gateway=ping
`)
	got := p.hostsVia(netip.MustParseAddr("192.0.2.1"), nil)
	if len(got) != 2 || got[0].String() != "9.9.9.9" || got[1].String() != "1.1.1.1" {
		t.Errorf("hosts via 192.0.2.1: %v", got)
	}
}
