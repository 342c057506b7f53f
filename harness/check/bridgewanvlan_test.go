package check

import (
	"strings"
	"testing"
)

// TestWANVLANOnFilteringBridge: a cAP's DHCP WAN on its management VLAN,
// a VLAN interface of a VLAN-filtering bridge whose one port carries it
// tagged. The lab put the ISP untagged on the port, and the run failed
// "router has no address on bridge-wifi (router.wan)": the WAN is tagged
// in VLAN 33 on ether1, and the lab's ISP sits in that VLAN.
func TestWANVLANOnFilteringBridge(t *testing.T) {
	p := importNamed(t, "cap-mgmt-vlan.rsc", []byte(`/interface bridge add name=br-ap vlan-filtering=yes
/interface vlan add interface=br-ap name=vlan-11-staff vlan-id=11
/interface vlan add interface=br-ap name=vlan-44-mgmt vlan-id=44
/interface bridge port add bridge=br-ap interface=ether1
/interface bridge vlan add bridge=br-ap tagged=br-ap,ether1 vlan-ids=11
/interface bridge vlan add bridge=br-ap tagged=br-ap,ether1 vlan-ids=44
/ip dhcp-client add interface=vlan-44-mgmt
/system identity set name=AP
`))
	if len(p.WANs) != 1 || p.WANs[0].Interface != "vlan-44-mgmt" || p.WANs[0].Port != "ether1" || p.WANs[0].VLAN != 44 {
		t.Fatalf("WANs %+v, want vlan-44-mgmt tagged 44 on ether1", p.WANs)
	}
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.YAML, "vlan: 44") {
		t.Errorf("the lab's WAN is not in VLAN 44:\n%s", c.YAML)
	}
}
