package check

import (
	"slices"
	"strings"
	"testing"
)

// A second LAN bridge added after the masquerade's address list was
// written (src-address-list=LAN-subnets holds the first LAN only): the
// finding names the masquerade and its list, and the fix adds the subnet
// to the list (which the hairpin rule on the same list reads too), not a
// second masquerade.
func TestLANOutListMissesASegment(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
/interface bridge
add name=bridge
add name=bridge-office
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
add bridge=bridge-office interface=ether5
/interface list member
add interface=bridge list=LAN
add interface=bridge-office list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=192.168.89.1/24 interface=bridge-office network=192.168.89.0
add address=203.0.113.66/29 interface=ether1 network=203.0.113.64
/ip firewall address-list
add address=192.168.88.0/24 list=LAN-subnets
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN src-address-list=LAN-subnets
add action=masquerade chain=srcnat dst-address-list=LAN-subnets src-address-list=LAN-subnets
/ip route
add gateway=203.0.113.65
`
	p := importText(t, text)
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool {
		return f.Cause == NoMasquerade && f.Line == 22 && strings.Contains(f.Detail, "src-address-list=LAN-subnets")
	}) {
		t.Errorf("findings: %+v", found)
	}
	lines := p.Propose(found).Lines
	if want := `/ip firewall address-list add list=LAN-subnets address=192.168.89.0/24`; len(lines) != 1 || !strings.HasPrefix(lines[0], want) {
		t.Errorf("fix:\n%s", strings.Join(lines, "\n"))
	}
	// A list a script may fill is not the export's whole word: nothing is
	// said of it.
	q := importText(t, text+"/system script\nadd name=lan source=\"/ip firewall address-list add list=LAN-subnets address=192.168.89.0/24\"\n")
	if found, _ := q.Diagnose(); slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == NoMasquerade }) {
		t.Errorf("script-fed list: %+v", found)
	}
}
