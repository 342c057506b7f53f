package check

import "testing"

// TestPortPVIDOneHelper: the bridge port's pvid is read by one helper
// (portPVID) in topology.go's bridgePortFor and accessPort too. A pvid
// RouterOS refuses (not a number, 0, above 4094) leaves the port at its
// default pvid 1 (Bridging and Switching page: pvid 1..4094, default 1);
// the inline reads took it as 0, so the port carried no VLAN and the lab
// found no access port for VLAN 1. Controls: a port with pvid=10 is VLAN
// 10's, and a port without pvid is VLAN 1's.
func TestPortPVIDOneHelper(t *testing.T) {
	// The export's own lines, every one kept (allLines): the lab's
	// import would refuse pvid=abc and pvid=0 as RouterOS does.
	p := importText(t, `# 2025-10-01 10:00:00 by RouterOS 7.16.2
/interface bridge add name=br vlan-filtering=yes
/interface bridge port add bridge=br interface=ether2 pvid=abc
/interface bridge port add bridge=br interface=ether3 pvid=10
/interface bridge port add bridge=br interface=ether4 pvid=0
/interface bridge port add bridge=br interface=ether5
/ip address add address=192.168.88.1/24 interface=br
/ip dhcp-client add interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
`)
	ix := index(p.export, allLines)
	want := map[string]int{"ether2": 1, "ether3": 10, "ether4": 1, "ether5": 1}
	for _, bp := range ix.ports {
		if got := portPVID(ix, bp); got != want[bp.Value("interface")] {
			t.Errorf("portPVID(%s) = %d, want %d", bp.Value("interface"), got, want[bp.Value("interface")])
		}
	}
	taken := map[string]bool{}
	var vlan1 []string
	for {
		port := p.accessPort(ix, "br", 1, taken)
		if port == "" {
			break
		}
		taken[port] = true
		vlan1 = append(vlan1, port)
	}
	if len(vlan1) != 3 || vlan1[0] != "ether2" || vlan1[1] != "ether4" || vlan1[2] != "ether5" {
		t.Errorf("access ports of VLAN 1: %v, want ether2 ether4 ether5", vlan1)
	}
	if port := p.accessPort(ix, "br", 10, map[string]bool{}); port != "ether3" {
		t.Errorf("access port of VLAN 10: %q, want ether3", port)
	}
	if port := p.bridgePortFor(ix, "br", 1); port != "ether2" {
		t.Errorf("bridge port for VLAN 1: %q, want ether2", port)
	}
	if port := p.bridgePortFor(ix, "br", 10); port != "ether3" {
		t.Errorf("bridge port for VLAN 10: %q, want ether3", port)
	}
}
