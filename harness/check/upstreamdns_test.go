package check

import "testing"

// TestUpstreamAnswersDropped: a router that resolves for the LAN, with a
// drop of everything from the WAN at the top of input (above the accept of
// established connections), drops the answers to its own queries upstream:
// the lab's LAN client got no answer from the router and one with the fix.
// The negative controls: the drop limited to new connections, and the
// accept of established connections above it.
func TestUpstreamAnswersDropped(t *testing.T) {
	const export = `# 2026-12-03 07:45:00 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip dns
set allow-remote-requests=yes servers=198.51.100.53
/ip firewall filter
%s
add action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add gateway=203.0.113.1
`
	const est = `add action=accept chain=input connection-state=established,related`
	const drop = `add action=drop chain=input comment=wan in-interface=ether1`
	checkCause(t, export, UpstreamAnswersDropped, "lan-dns:ether2", 14,
		`/ip firewall filter add chain=input action=accept connection-state=established,related comment="accept answers" place-before=[ find where comment=wan ]`,
		[]causeCase{
			{"drop on top", drop + "\n" + est, true},
			{"drop of new connections", drop + " connection-state=new\n" + est, false},
			{"established accepted above", est + "\n" + drop, false},
		})
}
