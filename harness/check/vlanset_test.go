package check

import "testing"

// A hand-kept configuration turns VLAN filtering on with a later set
// ("/interface bridge set bridge vlan-filtering=yes", after the VLAN
// table) and gives a port its pvid with "/interface bridge port set":
// the lab hosts go on the access ports of each VLAN, as on an export that
// writes both in the add lines. The set was not read: the bridge's host
// went on ether3 (pvid 10, so in VLAN 10) and VLAN 10's host behind
// ether2 tagged, where the VLAN table does not carry VLAN 10 untagged.
func TestVLANFilteringTurnedOnBySet(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface vlan
add interface=bridge name=vlan10 vlan-id=10
add interface=bridge name=vlan30 vlan-id=30
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
add bridge=bridge interface=ether3
add bridge=bridge interface=ether4
/interface bridge port
set [ find interface=ether2 ] frame-types=admit-only-vlan-tagged
set [ find interface=ether3 ] pvid=10
/interface bridge vlan
add bridge=bridge tagged=bridge,ether2 untagged=ether3 vlan-ids=10
add bridge=bridge tagged=bridge,ether2 vlan-ids=30
/interface bridge
set bridge vlan-filtering=yes
/interface list member
add interface=bridge list=LAN
add interface=vlan10 list=LAN
add interface=vlan30 list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=10.0.10.1/24 interface=vlan10 network=10.0.10.0
add address=10.0.30.1/24 interface=vlan30 network=10.0.30.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
	p := importText(t, text)
	want := map[string]struct {
		port   string
		tagged bool
	}{"bridge": {"ether4", false}, "vlan10": {"ether3", false}, "vlan30": {"ether2", true}}
	for _, s := range p.Segments {
		if w := want[s.Interface]; s.Port != w.port || s.Tagged != w.tagged {
			t.Errorf("%s: host on %s tagged %v, want %s tagged %v", s.Interface, s.Port, s.Tagged, w.port, w.tagged)
		}
	}
	if len(p.Segments) != 3 {
		t.Errorf("segments %+v", p.Segments)
	}
}
