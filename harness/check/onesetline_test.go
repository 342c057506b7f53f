package check

import (
	"slices"
	"strings"
	"testing"
)

// A 6.x forward of 80 with no destination takes both the LAN's web
// traffic to the internet and WebFig at the router's LAN address. The fix
// wrote two set lines on the one rule (the LAN guard, then
// dst-address-type=local), the first of which left the rule taking the
// internet until the second was pasted; it is one line now.
func TestNoDestinationFixIsOneLine(t *testing.T) {
	const text = `# dec/01/2026 18:40:02 by RouterOS 6.40.9
` + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add disabled=no interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=80 protocol=tcp to-addresses=192.168.88.67 to-ports=80
`
	p := importText(t, text)
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == TakesOwnAddress }) ||
		!slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == TakesInternet }) {
		t.Fatalf("findings %+v", found)
	}
	var sets []string
	for _, l := range p.Propose(found).Lines {
		if strings.HasPrefix(l, "/ip firewall nat set ") {
			sets = append(sets, l)
		}
	}
	if len(sets) != 1 || !strings.HasSuffix(sets[0], "] dst-address-type=local dst-address-list=!hairpin-lan") {
		t.Errorf("set lines %q", sets)
	}
}
