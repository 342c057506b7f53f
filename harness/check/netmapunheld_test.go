package check

import (
	"slices"
	"strings"
	"testing"
)

// A netmap of a /30 of the static WAN's own /29 that the router holds no
// address of: the ISP's gateway asks for the block's addresses by ARP and
// nothing answers, as for a single unheld address. It was not found (the
// check read only a single dst-address); the fix adds the block's usable
// addresses (not the /29's broadcast). Holding the block's first address,
// the probe's, leaves no finding.
func TestNetmapBlockNotHeld(t *testing.T) {
	const rsc = `# by RouterOS 7.17
/ip address
add address=198.51.100.2/29 interface=ether1 network=198.51.100.0
add address=192.168.50.1/24 interface=ether2 network=192.168.50.0
/ip route
add gateway=198.51.100.1
/ip firewall nat
add action=netmap chain=dstnat dst-address=198.51.100.4/30 to-addresses=192.168.50.4/30
add action=netmap chain=srcnat out-interface=ether1 src-address=192.168.50.4/30 to-addresses=198.51.100.4/30
add action=masquerade chain=srcnat out-interface=ether1
add action=masquerade chain=srcnat dst-address=192.168.50.0/24 src-address=192.168.50.0/24
`
	p := importText(t, rsc)
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == AddressNotHeld && f.Line == 8 }) {
		t.Fatalf("findings: %+v", found)
	}
	all := strings.Join(p.Propose(found).Lines, "\n")
	for _, a := range []string{"198.51.100.4", "198.51.100.5", "198.51.100.6"} {
		if !strings.Contains(all, "/ip address add address="+a+"/29 interface=ether1") {
			t.Errorf("fix lacks %s:\n%s", a, all)
		}
	}
	if strings.Contains(all, "198.51.100.7/29") {
		t.Errorf("fix adds the broadcast address:\n%s", all)
	}
	held := importText(t, strings.Replace(rsc, "/ip route\n", "add address=198.51.100.4/29 interface=ether1 network=198.51.100.0\n/ip route\n", 1))
	if found, _ := held.Diagnose(); slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == AddressNotHeld }) {
		t.Errorf("held: %+v", found)
	}
}
