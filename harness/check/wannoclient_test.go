package check

import (
	"strings"
	"testing"
)

// TestWANWithoutClientGetsDHCPClient: a LAN-side export whose WAN list
// names ether1, with no address and no DHCP or PPPoE client on it. check
// takes ether1 as a DHCP WAN and the lab's ISP leases by DHCP, so the
// lab-ready configuration adds the client; without it the run failed
// "router has no address on ether1 (router.wan)".
func TestWANWithoutClientGetsDHCPClient(t *testing.T) {
	p := importNamed(t, "lan-only.rsc", []byte(`/interface bridge add name=br-home
/interface bridge port add bridge=br-home interface=ether2
/interface list add name=WAN
/interface list add name=LAN
/interface list member add interface=br-home list=LAN
/interface list member add interface=ether1 list=WAN
/ip address add address=192.168.61.1/24 interface=br-home network=192.168.61.0
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
`))
	if len(p.WANs) != 1 || p.WANs[0].Interface != "ether1" || p.WANs[0].Kind != "dhcp" {
		t.Fatalf("WANs %+v", p.WANs)
	}
	if !strings.Contains(p.RSC, "\n/ip dhcp-client add interface=ether1\n") {
		t.Errorf("the lab-ready configuration gives ether1 no DHCP client:\n%s", p.RSC)
	}
}
