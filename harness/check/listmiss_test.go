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

// forum38 D1: a forward from the internet dropped by the user's own
// "accept in-interface-list=LAN, then drop" is the drop's finding only:
// the connection arrives on the WAN (ether1), and "add ether1 to the LAN
// list" would open the router and the LAN to the internet. The control: a
// LAN port (ether3, a segment of its own) left out of the list is still
// named, with its member.
func TestListMissNeverSuggestsWAN(t *testing.T) {
	const rsc = `# by RouterOS 7.18.2
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=LAN
/ip address
add address=192.168.88.1/24 interface=ether2
add address=192.168.77.1/24 interface=ether3
add address=203.0.113.2/24 interface=ether1
/ip route
add gateway=203.0.113.1
/ip firewall filter
add action=accept chain=forward connection-state=established,related
add action=accept chain=forward in-interface-list=LAN
add action=drop chain=forward
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat out-interface-list=LAN src-address=192.168.0.0/16
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=3390 protocol=tcp to-addresses=%s to-ports=3389
`
	p := importText(t, strings.Replace(rsc, "%s", "192.168.88.12", 1))
	found, _ := p.Diagnose()
	for _, f := range withCause(found, ListMissesSegment) {
		if f.Path == "internet" || strings.Contains(f.Detail, "interface=ether1") {
			t.Errorf("WAN suggested for the LAN list: %+v", f)
		}
	}
	drops := withCause(found, ForwardDropsWAN)
	if len(drops) != 1 || drops[0].Line != 17 {
		t.Errorf("drop findings %+v (all %+v)", drops, found)
	}
	// Control: the server on ether3, a LAN port out of the LAN list: the
	// hairpin masquerade out-interface-list=LAN misses it.
	p = importText(t, strings.Replace(rsc, "%s", "192.168.77.12", 1))
	found, _ = p.Diagnose()
	got := withCause(found, ListMissesSegment)
	ok := false
	for _, f := range got {
		if f.Path == "internet" || strings.Contains(f.Detail, "interface=ether1") {
			t.Errorf("WAN suggested for the LAN list: %+v", f)
		}
		ok = ok || strings.Contains(f.Detail, "/interface list member add interface=ether3 list=LAN")
	}
	if !ok {
		t.Errorf("ether3 left out of LAN not named: %+v (all %+v)", got, found)
	}
}
