package check

import (
	"slices"
	"strings"
	"testing"
)

// A static WAN the ISP renumbered (198.51.100.37/29 now) with a forward
// still on the old address: the internet's connections come to the new
// address and the rule never matches. --offline said "no problem found";
// now the forward's line is named and the fix gives it the WAN's address.
// The same rule on an address the router holds (a /32 beside the LAN's)
// is no finding.
func TestDstAddressLeftFromBeforeRenumbering(t *testing.T) {
	const text = `# 2026-12-02 10:02:11 by RouterOS 7.14.3
` + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=198.51.100.37/29 interface=ether1 network=198.51.100.32
%s/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment=web dst-address=203.0.113.77 dst-port=443 protocol=tcp to-addresses=192.168.88.25
/ip route
add gateway=198.51.100.33
`
	p := importText(t, strings.Replace(text, "%s", "", 1))
	found, _ := p.Diagnose()
	got := withCause(found, DstAddressGone)
	if !slices.ContainsFunc(got, func(f Finding) bool { return f.Path == "internet" && f.Line == 17 }) {
		t.Fatalf("findings %+v", found)
	}
	if fx := p.Propose(found); !slices.Contains(fx.Lines, "/ip firewall nat set [ find where comment=web ] dst-address=198.51.100.37") {
		t.Errorf("fix %q", fx.Lines)
	}
	p = importText(t, strings.Replace(text, "%s", "add address=203.0.113.77 interface=bridge network=203.0.113.77\n", 1))
	found, _ = p.Diagnose()
	if got := withCause(found, DstAddressGone); len(got) > 0 {
		t.Errorf("an address the router holds: %+v", got)
	}
}
