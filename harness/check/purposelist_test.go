package check

import "testing"

// TestPurposeListNamedWANKeepsLANMember (realcheck36 C1): a 7.22 home
// router's export groups its interfaces into lists named for the firewall
// rule that reads them, "accept-forward-WAN" among them ("add
// action=accept chain=forward in-interface-list=accept-forward-WAN
// out-interface-list=WAN": the interfaces allowed to go out), and puts its
// LAN bridge in it beside the list LAN. check took every member of a list
// whose name contains WAN for a WAN, so bridge1 became a second WAN, its
// DHCP server "a DHCP server on the WAN" (exit 1), and bridge2 a WAN
// "with no ethernet port" left out of the lab. A member of the list named
// LAN is not taken for a WAN by a list that only has WAN in its name; the
// list named WAN still makes its members WANs, and a WAN-named list whose
// members are in no LAN list still counts (controls).
func TestPurposeListNamedWANKeepsLANMember(t *testing.T) {
	const src = `/interface bridge add name=bridge1
/interface bridge port add bridge=bridge1 interface=ether2
/interface list add name=WAN
/interface list add name=LAN
/interface list add name=accept-forward-WAN
/interface list member add interface=bridge1 list=LAN
/interface list member add interface=ether1 list=WAN
/interface list member add interface=bridge1 list=accept-forward-WAN
/ip address add address=192.168.1.1/24 interface=bridge1 network=192.168.1.0
/ip pool add name=bridge1 ranges=192.168.1.10-192.168.1.254
/ip dhcp-server add address-pool=bridge1 interface=bridge1 name=bridge1
/ip dhcp-client add interface=ether1
/ip firewall filter add action=accept chain=forward in-interface-list=accept-forward-WAN out-interface-list=WAN
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
`
	p := importText(t, src)
	if len(p.WANs) != 1 || p.WANs[0].Interface != "ether1" {
		t.Errorf("WANs %+v, want ether1 alone", p.WANs)
	}
	// Control: ether3 in a WAN-named list and in no LAN list is a WAN.
	p = importText(t, src+"/interface list add name=ISP2-WAN\n/interface list member add interface=ether3 list=ISP2-WAN\n/ip address add address=198.51.100.2/30 interface=ether3\n")
	if len(p.WANs) != 2 || !p.isWAN("ether3") || !p.isWAN("ether1") {
		t.Errorf("control: WANs %+v, want ether1 and ether3", p.WANs)
	}
}
