package check

import (
	"slices"
	"strings"
	"testing"
)

// A WAN interface list that holds ether1 only through include= (the ISP
// lists a dual-WAN config keeps apart): the forward on in-interface-list=WAN
// matches the internet's connections and the masquerade on
// out-interface-list=WAN takes the LAN's. Before, the list read as empty:
// the internet path was "bound to an interface the traffic does not arrive
// on" and the fix added a masquerade the router already had.
func TestInterfaceListInclude(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LAN
add name=ISP-FIBRE
add name=ISP-LTE
/interface list
set WAN include=ISP-FIBRE,ISP-LTE
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=ISP-FIBRE
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=8443 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.180
add action=masquerade chain=srcnat dst-address=192.168.88.180 src-address=192.168.88.0/24
`
	p := importText(t, text)
	found, _ := p.Diagnose()
	if slices.ContainsFunc(found, func(f Finding) bool { return f.Path == "internet" || f.Cause == NoMasquerade }) {
		t.Errorf("findings: %+v", found)
	}
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Path == "hairpin:bridge" && f.Line == 22 }) {
		t.Errorf("no hairpin finding for the forward bound to WAN: %+v", found)
	}
	lines := p.Propose(found).Lines
	if slices.ContainsFunc(lines, func(l string) bool {
		return strings.Contains(l, "masquerade src-address=192.168.88.0/24 out-interface=ether1")
	}) {
		t.Errorf("fix adds a masquerade the router has:\n%s", strings.Join(lines, "\n"))
	}
	// exclude= takes a member out again; the excluded list's own
	// members stay out of WAN, but its static members are WAN's.
	q := importText(t, strings.Replace(text, "set WAN include=ISP-FIBRE,ISP-LTE", "set [ find name=WAN ] include=ISP-FIBRE,ISP-LTE exclude=ISP-FIBRE", 1))
	if found, _ := q.Diagnose(); !slices.ContainsFunc(found, func(f Finding) bool { return f.Path == "internet" }) {
		t.Errorf("excluded list: the forward should not match on ether1: %+v", found)
	}
}
