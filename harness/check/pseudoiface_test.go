package check

import (
	"slices"
	"strings"
	"testing"
)

// TestPseudoInterfaces: in-interface=all-ethernet and out-interface=all-ppp
// are RouterOS's pseudo-interfaces, matching every interface of their
// kind (Filter page of the manual; rosemu enforces them,
// docs/rosemu-menus.md). The check compared them with the interface's
// name: a dst-nat on all-ethernet "never matches" from the internet
// (traffic arrives on ether1, an ethernet port), and the only masquerade,
// out-interface=all-ppp, "translates no LAN connection" leaving by
// pppoe-out1; each with a needless fix (realcheck19 D4b). Now ether1 is
// an ethernet and pppoe-out1 a PPP interface. The controls: the hairpin
// still arrives on the bridge, no ethernet (its finding stands), and
// all-vlan takes no PPPoE client.
func TestPseudoInterfaces(t *testing.T) {
	const forward = `# 2024-10-01 10:00:00 by RouterOS 7.16.2
` + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat in-interface=all-ethernet dst-address-type=local dst-port=51820 protocol=udp to-addresses=192.168.88.20
add action=masquerade chain=srcnat src-address=192.168.88.0/24 dst-address=192.168.88.20 out-interface=bridge
`
	p := importText(t, forward)
	found, _ := p.Diagnose()
	bound := withCause(found, BoundToWAN)
	if slices.ContainsFunc(bound, func(f Finding) bool { return f.Path == "internet" }) {
		t.Errorf("all-ethernet: the internet's path is said not to match: %+v", bound)
	}
	if !slices.ContainsFunc(bound, func(f Finding) bool { return f.Path == "hairpin:bridge" }) {
		t.Errorf("all-ethernet: the hairpin (arriving on the bridge) should not match: %+v", found)
	}

	const ppp = `# 2024-10-01 10:00:00 by RouterOS 7.16.2
/interface bridge add name=bridge
/interface bridge port add bridge=bridge interface=ether2
/interface pppoe-client add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 user=u password=p
/interface list add name=WAN
/interface list add name=LAN
/interface list member add interface=pppoe-out1 list=WAN
/interface list member add interface=bridge list=LAN
/ip address add address=192.168.88.1/24 interface=bridge
/ip firewall nat add action=masquerade chain=srcnat out-interface=%s
`
	for _, tt := range []struct {
		pseudo string
		finds  bool
	}{
		{"all-ppp", false},
		{"all-vlan", true},
	} {
		p := importText(t, strings.Replace(ppp, "%s", tt.pseudo, 1))
		found, _ := p.Diagnose()
		got := slices.ContainsFunc(found, func(f Finding) bool { return strings.HasPrefix(f.Path, "lan-internet:") })
		if got != tt.finds {
			t.Errorf("out-interface=%s: a finding of the LAN's way out: %v, want %v (%+v)", tt.pseudo, got, tt.finds, found)
		}
	}
}
