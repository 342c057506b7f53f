package check

import (
	"strings"
	"testing"
)

// TestVLANOnBridgePort (rc28 D5): a Chateau's defconf keeps ether1 in the
// bridge while vlan7 on ether1 carries the PPPoE WAN; the Layer2
// misconfiguration page warns against a VLAN interface on a bridge port.
// The finding sits on the VLAN's line, names the bridge port's line and
// proposes no fix line. Controls: ether1 out of the bridge, and the VLAN
// on the bridge itself, find nothing.
func TestVLANOnBridgePort(t *testing.T) {
	const chateau = `# 2024-05-01 10:00:00 by RouterOS 7.14.3
/interface bridge
add comment=defconf name=bridge
/interface vlan
add comment="Telekom PPPoe VLAN" interface=ether1 name=vlan7 vlan-id=7
/interface pppoe-client
add add-default-route=yes disabled=no interface=vlan7 name=pppoe-telekom user=foobar
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether1
add bridge=bridge interface=ether2
/interface list member
add interface=bridge list=LAN
add interface=pppoe-telekom list=WAN
/ip address
add address=10.0.0.1/24 interface=bridge network=10.0.0.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
	for _, tt := range []struct {
		name, export string
		want         bool
	}{
		{"VLAN on a bridge port", chateau, true},
		{"port out of the bridge", strings.Replace(chateau, "add bridge=bridge interface=ether1\n", "", 1), false},
		{"VLAN on the bridge", strings.Replace(chateau, `interface=ether1 name=vlan7`, `interface=bridge name=vlan7`, 1), false},
	} {
		p := loadText(t, tt.export)
		found, _ := p.Diagnose()
		var got []Finding
		for _, f := range found {
			if f.Cause == VLANOnBridgePort {
				got = append(got, f)
			}
		}
		if !tt.want {
			if len(got) != 0 {
				t.Errorf("%s: want no VLANOnBridgePort, got %v", tt.name, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Line != 5 || !strings.Contains(got[0].Detail, "vlan7 (VLAN 7) is on ether1, which line 12 makes a port of bridge bridge") {
			t.Fatalf("%s: want one VLANOnBridgePort finding on line 5, got %v (all: %v)", tt.name, got, found)
		}
		for _, l := range p.Propose(found).Lines {
			if strings.Contains(l, "vlan7") || strings.Contains(l, "bridge port") {
				t.Errorf("%s: a fix line for the VLAN on a bridge port, which the page gives none of: %s", tt.name, l)
			}
		}
	}
}
