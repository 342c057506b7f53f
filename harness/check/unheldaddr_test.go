package check

import (
	"slices"
	"strings"
	"testing"
)

// officeUnheld forwards 203.0.113.69, an address of the WAN's /29 (the
// ISP's gateway is .65 on it) that no interface of the router holds.
const officeUnheld = "# dec/01/2026 18:40:02 by RouterOS 6.49.10\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.50.1/24 interface=bridge network=192.168.50.0
add address=203.0.113.66/29 interface=ether1 network=203.0.113.64
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=203.0.113.69 dst-port=443 protocol=tcp to-addresses=192.168.50.90
add action=masquerade chain=srcnat dst-address=192.168.50.0/24 src-address=192.168.50.0/24
/ip route
add distance=1 gateway=203.0.113.65
`

// A forward on an address of the static WAN's subnet that the router does
// not hold never sees the internet's connections (nobody answers the
// gateway's ARP): it is named and the fix adds the address; holding it,
// or answering ARP for it, leaves no finding.
func TestForwardOnAnAddressNotHeld(t *testing.T) {
	p := importText(t, officeUnheld)
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == AddressNotHeld && f.Line == 17 }) {
		t.Errorf("findings: %+v", found)
	}
	if all := strings.Join(p.Propose(found).Lines, "\n"); !strings.Contains(all, "/ip address add address=203.0.113.69/29 interface=ether1") {
		t.Errorf("fix:\n%s", all)
	}
	for name, text := range map[string]string{
		"held":      strings.Replace(officeUnheld, "/ip firewall nat\n", "/ip address\nadd address=203.0.113.69/29 interface=ether1 network=203.0.113.64\n/ip firewall nat\n", 1),
		"published": strings.Replace(officeUnheld, "/ip firewall nat\n", "/ip arp\nadd address=203.0.113.69 interface=ether1 published=yes\n/ip firewall nat\n", 1),
		"proxy-arp": strings.Replace(officeUnheld, "/interface list\n", "/interface ethernet\nset [ find default-name=ether1 ] arp=proxy-arp\n/interface list\n", 1),
	} {
		q := importText(t, text)
		if found, _ := q.Diagnose(); slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == AddressNotHeld }) {
			t.Errorf("%s: %+v", name, found)
		}
	}
}
