package check

import (
	"strings"
	"testing"
)

// A server VLAN left out of the interface list LAN: the forward accept of
// port forwards written out-interface-list=LAN, and the hairpin
// masquerade written out-interface-list=LAN, never take its connections.
// The drop below is named as before, and now the rule that misses the
// VLAN too, with the list member that is missing. With the VLAN in the
// list, neither. The WAN's masquerade (out-interface-list=WAN) is no
// hairpin rule that misses the LAN.
func TestRuleListMissesVLAN(t *testing.T) {
	const rsc = `# by RouterOS 7.16
/interface bridge
add name=bridge vlan-filtering=yes
/interface vlan
add interface=bridge name=vlan10 vlan-id=10
add interface=bridge name=vlan30 vlan-id=30
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2 pvid=10
add bridge=bridge interface=ether3 pvid=30
/interface bridge vlan
add bridge=bridge tagged=bridge untagged=ether2 vlan-ids=10
add bridge=bridge tagged=bridge untagged=ether3 vlan-ids=30
/interface list member
add interface=ether1 list=WAN
add interface=vlan10 list=LAN
%s/ip address
add address=192.168.10.1/24 interface=vlan10 network=192.168.10.0
add address=192.168.30.1/24 interface=vlan30 network=192.168.30.0
/ip dhcp-client
add interface=ether1
/ip firewall filter
add action=accept chain=forward connection-state=established,related
add action=accept chain=forward in-interface-list=LAN out-interface-list=WAN
add action=accept chain=forward connection-nat-state=dstnat in-interface-list=WAN out-interface-list=LAN
add action=drop chain=forward
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat dst-address=192.168.30.0/24 out-interface-list=LAN src-address=192.168.30.0/24
add action=dst-nat chain=dstnat dst-address-type=local dst-port=443 protocol=tcp to-addresses=192.168.30.20
`
	p := importText(t, strings.Replace(rsc, "%s", "", 1))
	found, _ := p.Diagnose()
	got := withCause(found, ListMissesSegment)
	paths := map[string]int{}
	for _, f := range got {
		paths[f.Path] = f.Line
		if !strings.Contains(f.Detail, "/interface list member add interface=vlan30 list=LAN") {
			t.Errorf("detail %q", f.Detail)
		}
	}
	if paths["internet"] != 27 || paths["hairpin:vlan30"] != 31 {
		t.Errorf("findings %+v", got)
	}
	p = importText(t, strings.Replace(rsc, "%s", "add interface=vlan30 list=LAN\n", 1))
	found, _ = p.Diagnose()
	if got := withCause(found, ListMissesSegment); len(got) > 0 {
		t.Errorf("vlan30 in the list: %+v", got)
	}
}
