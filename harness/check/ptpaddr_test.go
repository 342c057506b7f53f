package check

import (
	"strings"
	"testing"
)

// TestPointToPointAddressNoNote (rc30 C3): address=172.16.22.254
// network=172.16.22.253 on a management VLAN is a point-to-point /32 as
// RouterOS prints it, and the router holds 172.16.22.254/24 on V22, the
// DHCP network's own VLAN: check told the user to write /24 on the
// management VLAN. Each reason alone keeps the note away; the control
// (neither: network= the address itself, nothing else holds it) keeps
// the note (TestLANAddressWithoutPrefix has more).
func TestPointToPointAddressNoNote(t *testing.T) {
	const text = "# by RouterOS 6.49.2\n/interface vlan\nadd interface=ether3 name=V22 vlan-id=22\nadd interface=ether3 name=MNG vlan-id=255\n/ip address\nadd address=172.16.22.254/24 interface=V22 network=172.16.22.0\nadd address=172.16.22.254 interface=MNG network=172.16.22.253\n/ip dhcp-client\nadd disabled=no interface=ether1\n/ip dhcp-server network\nadd address=172.16.22.0/24 gateway=172.16.22.254\n/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n"
	const v22 = "add address=172.16.22.254/24 interface=V22 network=172.16.22.0\n"
	for _, tc := range []struct {
		name, text string
		note       bool
	}{
		{"both", text, false},
		{"point-to-point only", strings.Replace(text, v22, "add address=172.16.22.1/24 interface=V22 network=172.16.22.0\n", 1), false},
		{"held on V22 only", strings.Replace(text, "network=172.16.22.253", "network=172.16.22.254", 1), false},
		{"neither (control)", strings.Replace(strings.Replace(text, v22, "add address=172.16.22.1/24 interface=V22 network=172.16.22.0\n", 1), "network=172.16.22.253", "network=172.16.22.254", 1), true},
	} {
		p := importText(t, tc.text)
		if got := hasNote(p.Notes, "line 7 gives MNG the address 172.16.22.254 without a prefix length"); got != tc.note {
			t.Errorf("%s: note %v, want %v: %q", tc.name, got, tc.note, p.Notes)
		}
	}
}
