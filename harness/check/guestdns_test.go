package check

import (
	"fmt"
	"slices"
	"testing"
)

// TestGuestDNSToPihole: the guests' DNS sent to a Pi-hole on another
// VLAN, a dst-nat with the guest subnet as its src-address and every
// destination but the Pi-hole (dst-address-list=!DNS). That is a redirect
// of the guests' traffic, not a forward: before, check read src-address
// as the server's address written by mistake ("it never matches"), said
// the LAN's connections to the internet were taken, and proposed removing
// src-address, which would have opened the Pi-hole to the internet. The
// control: src-address naming the server's own subnet stays the mistake.
func TestGuestDNSToPihole(t *testing.T) {
	const export = "# 2025-03-02 10:11:12 by RouterOS 6.49.18\n" + homeBridge + `add interface=ether1 list=WAN
/interface vlan
add interface=bridge name=guests vlan-id=130
add interface=bridge name=services vlan-id=60
/ip address
add address=10.100.130.1/24 interface=guests network=10.100.130.0
add address=10.100.60.1/24 interface=services network=10.100.60.0
/ip dhcp-client
add disabled=no interface=ether1
/ip firewall address-list
add address=10.100.60.71 list=DNS
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-list=!DNS dst-port=53 protocol=udp src-address=%s to-addresses=10.100.60.71
`
	for _, tt := range []struct {
		src      string
		redirect bool
	}{
		{"10.100.130.0/24", true},
		{"10.100.60.0/24", false}, // the server's own subnet: a slip
	} {
		p := importNamed(t, "guestdns.rsc", []byte(fmt.Sprintf(export, tt.src)))
		if len(p.Forwards) != 1 {
			t.Fatalf("%s: %d forwards", tt.src, len(p.Forwards))
		}
		found, _ := p.Diagnose()
		mistake := slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == SrcAddressLAN })
		if tt.redirect {
			if len(found) != 0 {
				t.Errorf("%s: findings %+v, want none for the guests' DNS redirect", tt.src, found)
			}
			if !p.lanOnly(p.Forwards[0]) || len(p.internetWANs(p.Forwards[0])) != 0 {
				t.Errorf("%s: the redirect has an internet path", tt.src)
			}
			continue
		}
		if !mistake {
			t.Errorf("%s: no %q finding: %+v", tt.src, SrcAddressLAN, found)
		}
	}
}
