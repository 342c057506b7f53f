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

// A netmap of the whole /29 the WAN sits on takes in the ISP's gateway
// (.14 here): the fix adds the block's other usable addresses but never
// the gateway's, which would break the default route through it. With
// the gateway on .10 instead, .14 is in the fix and .10 is not (the
// control that the skip follows the gateway, not the last usable address).
func TestNetmapBlockLeavesTheGateway(t *testing.T) {
	const rsc = `# by RouterOS 7.18.2
/ip address
add address=203.0.113.9/29 interface=ether1 network=203.0.113.8
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip route
add gateway=203.0.113.14
/ip firewall nat
add action=netmap chain=dstnat dst-address=203.0.113.8/29 in-interface=ether1 to-addresses=192.168.88.8/29
add action=netmap chain=srcnat out-interface=ether1 src-address=192.168.88.8/29 to-addresses=203.0.113.8/29
add action=masquerade chain=srcnat out-interface=ether1
`
	p := importText(t, rsc)
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == AddressNotHeld && f.Line == 8 }) {
		t.Fatalf("findings: %+v", found)
	}
	all := strings.Join(p.Propose(found).Lines, "\n")
	for _, a := range []string{"203.0.113.10", "203.0.113.13"} {
		if !strings.Contains(all, "/ip address add address="+a+"/29 interface=ether1") {
			t.Errorf("fix lacks %s:\n%s", a, all)
		}
	}
	if strings.Contains(all, "203.0.113.14/29") {
		t.Errorf("fix adds the gateway's address:\n%s", all)
	}
	other := importText(t, strings.Replace(rsc, "add gateway=203.0.113.14", "add gateway=203.0.113.10", 1))
	found, _ = other.Diagnose()
	all = strings.Join(other.Propose(found).Lines, "\n")
	if !strings.Contains(all, "/ip address add address=203.0.113.14/29 interface=ether1") || strings.Contains(all, "203.0.113.10/29") {
		t.Errorf("gateway on .10: fix:\n%s", all)
	}
}
