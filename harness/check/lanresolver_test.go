package check

import (
	"slices"
	"strings"
	"testing"
)

// A guest VLAN left out of the LAN list: its DHCP server hands out the
// router as DNS server, and the default "drop all not coming from LAN"
// input rule drops the queries. Found on that rule's line for the guest
// segment only (it was "no problem found"); the fix accepts the segment's
// DNS above the drop, not the whole LAN list. In the list, no finding.
func TestLANResolverDropped(t *testing.T) {
	const rsc = `# by RouterOS 7.17
/interface bridge
add name=bridge vlan-filtering=yes
/interface vlan
add interface=bridge name=vlan10 vlan-id=10
add interface=bridge name=guest vlan-id=20
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2 pvid=10
add bridge=bridge interface=ether3 pvid=20
/interface list member
add interface=ether1 list=WAN
add interface=vlan10 list=LAN
/ip address
add address=192.168.10.1/24 interface=vlan10 network=192.168.10.0
add address=192.168.20.1/24 interface=guest network=192.168.20.0
/ip dhcp-server network
add address=192.168.10.0/24 dns-server=192.168.10.1 gateway=192.168.10.1
add address=192.168.20.0/24 dns-server=192.168.20.1 gateway=192.168.20.1
/ip dhcp-client
add interface=ether1
/ip dns
set allow-remote-requests=yes
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input comment="drop all not coming from LAN" in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
	p := importText(t, rsc)
	found, _ := p.Diagnose()
	dropped := func(f Finding) bool { return f.Cause == LANResolverDropped }
	if !slices.ContainsFunc(found, func(f Finding) bool { return dropped(f) && f.Path == lanDNSPrefix+"guest" && f.Line == 28 }) ||
		slices.ContainsFunc(found, func(f Finding) bool { return dropped(f) && f.Path == lanDNSPrefix+"vlan10" }) {
		t.Fatalf("findings: %+v", found)
	}
	all := strings.Join(p.Propose(found).Lines, "\n")
	if !strings.Contains(all, `/ip firewall filter add chain=input action=accept in-interface=guest protocol=udp dst-port=53 comment="DNS from guest" place-before=[ find where comment="drop all not coming from LAN" ]`) ||
		strings.Contains(all, "/interface list member") {
		t.Errorf("fix:\n%s", all)
	}
	// A second address on the guest VLAN, without a DHCP network: the
	// segment's probe asks the address its DHCP server hands out, and the
	// case still loads (it held "to: invalid IP:53").
	two := importText(t, strings.Replace(rsc, "add address=192.168.20.1/24 interface=guest network=192.168.20.0\n",
		"add address=192.168.20.1/24 interface=guest network=192.168.20.0\nadd address=10.9.9.1/24 interface=guest network=10.9.9.0\n", 1))
	cs, err := two.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(cs.YAML, "invalid IP") || !strings.Contains(cs.YAML, "to: 192.168.20.1:53") {
		t.Errorf("two addresses on the guest VLAN: case:\n%s", cs.YAML)
	}
	caseLoads(t, cs)
	inList := importText(t, strings.Replace(rsc, "add interface=vlan10 list=LAN\n", "add interface=vlan10 list=LAN\nadd interface=guest list=LAN\n", 1))
	if found, _ := inList.Diagnose(); slices.ContainsFunc(found, dropped) {
		t.Errorf("in the list: %+v", found)
	}
}
