package check

import (
	"strings"
	"testing"
)

const allowListRDP = "# 2026-11-28 09:14:51 by RouterOS 7.16.2\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall address-list
add address=198.51.100.77 list=trusted
%s
/ip firewall nat
add action=masquerade chain=srcnat ipsec-policy=out,none out-interface-list=WAN
add action=dst-nat chain=dstnat comment=rdp dst-address-type=local dst-port=3389 protocol=tcp src-address-list=trusted to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment=hairpin dst-address=192.168.88.10 dst-port=3389 protocol=tcp src-address=192.168.88.0/24
/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.1
`

// A forward for an allow-list with a hairpin rule for its server: the
// LAN is not in the list, so the hairpin never happens. The note says so
// and names the list entry to add; with the LAN in the list, it does not.
func TestAllowListHairpin(t *testing.T) {
	p := importText(t, strings.Replace(allowListRDP, "%s\n", "", 1))
	notes := strings.Join(p.Notes, "\n")
	if !strings.Contains(notes, "yet line 20 is a hairpin rule for 192.168.88.10") ||
		!strings.Contains(notes, "/ip firewall address-list add list=trusted address=192.168.88.0/24") {
		t.Errorf("notes: %s", notes)
	}
	p = importText(t, strings.Replace(allowListRDP, "%s", "add address=192.168.88.0/24 list=trusted", 1))
	if n := strings.Join(p.Notes, "\n"); strings.Contains(n, "yet line") {
		t.Errorf("notes with the LAN listed: %s", n)
	}
}
