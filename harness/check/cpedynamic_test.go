package check

import (
	"net/netip"
	"testing"
)

// TestDynamicWANBesideCPE: a static WAN with a private address (behind an
// ISP router, whose lab upstream is 203.0.113.0/24) beside a DHCP WAN: the
// DHCP WAN leases elsewhere, and the lab builds (it failed "the export's
// wan2 (203.0.113.0/24) overlaps another network of the lab").
func TestDynamicWANBesideCPE(t *testing.T) {
	p := importNamed(t, "cpe-dhcp.rsc", []byte(`/interface list add name=WAN
/interface list add name=LAN
/interface list member add interface=ether1 list=WAN
/interface list member add interface=ether3 list=WAN
/interface list member add interface=ether2 list=LAN
/ip address add address=192.168.41.1/24 interface=ether1 network=192.168.41.0
/ip address add address=192.168.42.1/24 interface=ether2 network=192.168.42.0
/ip dhcp-client add add-default-route=no disabled=no interface=ether3 use-peer-dns=no
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
`))
	if len(p.WANs) != 2 || p.WANs[0].Behind() != "cpe" || p.WANs[1].Kind != "dhcp" {
		t.Fatalf("WANs %+v", p.WANs)
	}
	if a := p.dynamicAddr(p.WANs[1]); netip.MustParsePrefix("203.0.113.0/24").Contains(a) {
		t.Errorf("the DHCP WAN leases %s, on the CPE's upstream network", a)
	}
	if _, err := p.Case(Fix{}); err != nil {
		t.Fatalf("Case: %v", err)
	}
}
