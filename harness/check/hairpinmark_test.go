package check

import (
	"slices"
	"testing"
)

// A hairpin written as a forum guide does it: mangle marks the LAN's
// connections to the WAN's address (an address list), and the first
// srcnat rule masquerades connection-mark=hairpin. The mark is set in
// prerouting, before dstnat, so the masquerade takes the hairpinned
// connection: no "no hairpin rule". Without the mangle rule the same
// masquerade takes nothing, and the finding stays.
func TestHairpinByConnectionMark(t *testing.T) {
	const head = `# by RouterOS 7.16
/interface bridge
add name=bridge
/interface vlan
add interface=bridge name=vlan20 vlan-id=20
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
/interface bridge port
add bridge=bridge interface=ether2 pvid=20
/ip address
add address=192.168.20.1/24 interface=vlan20 network=192.168.20.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip route
add gateway=203.0.113.1
/ip firewall address-list
add address=192.168.20.0/24 list=lans
add address=203.0.113.2 list=wans
`
	const nat = `/ip firewall nat
add action=masquerade chain=srcnat connection-mark=hairpin
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-list=wans dst-port=443 protocol=tcp to-addresses=192.168.20.20
`
	const mangle = `/ip firewall mangle
add action=mark-connection chain=prerouting dst-address-list=wans new-connection-mark=hairpin passthrough=yes src-address-list=lans
`
	noHairpin := func(f Finding) bool { return f.Cause == NoHairpin }
	found, _ := importText(t, head+mangle+nat).Diagnose()
	if slices.ContainsFunc(found, noHairpin) {
		t.Errorf("with the mark: %+v", found)
	}
	found, _ = importText(t, head+nat).Diagnose()
	if !slices.ContainsFunc(found, noHairpin) {
		t.Errorf("without the mark: %+v", found)
	}
}
