package check

import (
	"strings"
	"testing"
)

// TestHairpinListOnceForSharedSubnet: two LAN segments on one subnet (a
// /30 on two interfaces) give the fix's hairpin-lan list that subnet once;
// RouterOS refuses an equal second entry ("already have such entry") and
// the lab's fix step failed on it.
func TestHairpinListOnceForSharedSubnet(t *testing.T) {
	p := importNamed(t, "shared-30.rsc", []byte(`/interface list add name=WAN
/interface list add name=LAN
/interface list member add interface=ether1 list=WAN
/interface list member add interface=ether2 list=LAN
/interface list member add interface=ether3 list=LAN
/interface list member add interface=ether4 list=LAN
/ip address add address=192.168.81.1/24 interface=ether2 network=192.168.81.0
/ip address add address=172.16.5.17/30 interface=ether3 network=172.16.5.16
/ip address add address=172.16.5.18/30 interface=ether4 network=172.16.5.16
/ip dhcp-client add interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall nat add action=dst-nat chain=dstnat dst-port=21 in-interface=ether1 protocol=tcp to-addresses=192.168.81.20
`))
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	all := strings.Join(fx.Lines, "\n")
	if n := strings.Count(all, "address=172.16.5.16/30\n"); n > 1 {
		t.Errorf("172.16.5.16/30 is in the fix %d times:\n%s", n, all)
	}
	if !strings.Contains(all, "list=hairpin-lan address=192.168.81.0/24") {
		t.Skipf("the fix takes no hairpin-lan list here:\n%s", all)
	}
}
