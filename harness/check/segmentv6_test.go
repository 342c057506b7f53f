package check

import "testing"

// TestSegmentOutsideListV6 (forum45 D6): ether3 outside LAN with an IPv6
// address, under defconf's IPv6 forward drop of everything not from LAN,
// reaches the internet over IPv4 only, and the note says so with the
// drop's line. Controls: without the IPv6 address, or without the IPv6
// drop, the note says the internet as before.
func TestSegmentOutsideListV6(t *testing.T) {
	base := twoLANs + "/ip dns\nset allow-remote-requests=yes\n"
	v6addr := "/ipv6 address\nadd address=3fff:89::1/64 interface=ether3\n"
	v6drop := "/ipv6 firewall filter\nadd action=accept chain=forward connection-state=established,related,untracked\n" +
		"add action=drop chain=forward comment=\"defconf: drop everything else not coming from LAN\" in-interface-list=!LAN\n"
	wantNotes(t, base+v6addr+v6drop, "ether3 (192.168.89.1/24) is not in the interface list LAN",
		"its hosts reach the internet over IPv4 only (line 23 drops their new IPv6 connections through the router)")
	wantNoNote(t, base+v6drop, "over IPv4 only")
	wantNotes(t, base+v6drop, "its hosts reach the internet but not")
	wantNoNote(t, base+v6addr, "over IPv4 only")
}
