package check

import (
	"slices"
	"strings"
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
	// An accept above the mark rule ends mangle prerouting for the LAN's
	// packets: the mark is never set.
	accepted := "/ip firewall mangle\nadd action=accept chain=prerouting src-address-list=lans\n" + strings.TrimPrefix(mangle, "/ip firewall mangle\n")
	found, _ = importText(t, head+accepted+nat).Diagnose()
	if !slices.ContainsFunc(found, noHairpin) {
		t.Errorf("mangle accept first: %+v", found)
	}
}

// The mark mangle prerouting gives a connection from the internet is
// weighed in the forward filter too: an accept of connection-mark=ssh-in
// (marked for port 2222 only) lets that forward through, and the other
// forward meets the drop below it. Both were "might" (the connection-mark
// matcher was not read), and the drop went unnamed.
func TestForwardAcceptByConnectionMark(t *testing.T) {
	const rsc = `# by RouterOS 7.17
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip route
add gateway=203.0.113.1
/ip firewall mangle
add action=mark-connection chain=prerouting connection-state=new dst-port=2222 in-interface-list=WAN new-connection-mark=ssh-in passthrough=yes protocol=tcp
/ip firewall filter
add action=accept chain=forward connection-state=established,related
add action=accept chain=forward connection-mark=ssh-in
add action=drop chain=forward
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=2222 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.22 to-ports=22
add action=dst-nat chain=dstnat dst-port=3389 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.33
`
	found, _ := importText(t, rsc).Diagnose()
	internet := func(fw int) func(Finding) bool {
		return func(f Finding) bool { return f.Forward == fw && f.Path == "internet" }
	}
	if slices.ContainsFunc(found, internet(0)) {
		t.Errorf("the marked forward: %+v", found)
	}
	if !slices.ContainsFunc(found, func(f Finding) bool { return internet(1)(f) && f.Cause == ForwardDropsWAN && f.Line == 16 }) {
		t.Errorf("the unmarked forward: %+v", found)
	}
}
