package check

import (
	"strings"
	"testing"
)

// lteTie is realcheck25's m6 (a Dunlap Shipman RB4011 export cut down):
// the static primary by 142.190.161.61 at distance 1, a DHCP client on
// the LTE port with its default route left at its default, and the
// user's own distance=50 route by the LTE modem: the DHCP route ties the
// primary (ECMP on 7), and offline said nothing.
const lteTie = `# 2024-06-01 10:00:00 by RouterOS 7.15.2
/ip address add address=192.168.100.1/24 interface=ether2
/ip address add address=142.190.161.62/30 interface=ether1
/ip dhcp-client add interface=ether3
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether3
/ip route add dst-address=0.0.0.0/0 gateway=142.190.161.61
/ip route add distance=50 dst-address=0.0.0.0/0 gateway=192.168.10.254
`

func TestDHCPTieNote(t *testing.T) {
	const note = "line 4's DHCP client on ether3 adds its own default route at distance 1, the distance of line 7's default route by 142.190.161.61"
	wantNotes(t, lteTie, note, "/ip dhcp-client set [ find interface=ether3 ] default-route-distance=50")
	// Controls: the client's route kept out of the tie (its distance set,
	// or no default route at all), or no backup route of the user's.
	wantNoNote(t, strings.Replace(lteTie, "add interface=ether3", "add default-route-distance=50 interface=ether3", 1), "adds its own default route")
	wantNoNote(t, strings.Replace(lteTie, "add interface=ether3", "add add-default-route=no interface=ether3", 1), "adds its own default route")
	wantNoNote(t, strings.Replace(lteTie, "/ip route add distance=50 dst-address=0.0.0.0/0 gateway=192.168.10.254\n", "", 1), "adds its own default route")
}

// TestDHCPTieNoteV6 is review43 finding 8: on a RouterOS 6 export the
// note does not claim ECMP, which 6 does not make of two separate routes.
func TestDHCPTieNoteV6(t *testing.T) {
	v6 := strings.Replace(lteTie, "RouterOS 7.15.2", "RouterOS 6.49.18", 1)
	v6 = strings.Replace(v6, "/ip dhcp-client add interface=ether3", "/ip dhcp-client add disabled=no interface=ether3", 1)
	wantNotes(t, v6, "RouterOS 6 makes one of the two routes active, not necessarily the main line's", "/ip dhcp-client set [ find interface=ether3 ] default-route-distance=50")
	wantNoNote(t, v6, "ECMP")
	// Control: the 7.x export keeps the ECMP wording.
	wantNotes(t, lteTie, "RouterOS 7 spreads connections over both lines (ECMP)")
}
