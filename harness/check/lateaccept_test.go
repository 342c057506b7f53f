package check

import (
	"slices"
	"strings"
	"testing"
)

// The forward's accept was appended with "add" at the end of the forward
// chain, below "drop all from WAN": it is never reached. Before, the
// finding named the drop and the fix added a second accept for DSTNATed
// connections; now it names the late accept too and the fix moves it
// above the drop.
func TestForwardAcceptBelowTheDrop(t *testing.T) {
	const text = `# 2026-12-02 12:30:00 by RouterOS 7.16
` + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall filter
add action=accept chain=forward connection-state=established,related
add action=drop chain=forward comment="drop all from WAN" in-interface-list=WAN
add action=accept chain=forward comment="rdp in" dst-address=192.168.88.41 dst-port=3389 protocol=tcp
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=3389 protocol=tcp to-addresses=192.168.88.41
/ip route
add gateway=203.0.113.1
`
	p := importText(t, text)
	found, _ := p.Diagnose()
	got := withCause(found, ForwardDropsWAN)
	if len(got) != 1 || got[0].Line != 17 || !strings.Contains(got[0].Detail, "line 18 would let it through, but it comes after this rule") {
		t.Fatalf("findings %+v", found)
	}
	fx := p.Propose(found)
	if !slices.Contains(fx.Lines, `/ip firewall filter move [ find where comment="rdp in" ] destination=[ find where comment="drop all from WAN" ]`) {
		t.Errorf("fix %q", fx.Lines)
	}
	if slices.ContainsFunc(fx.Lines, func(l string) bool { return strings.Contains(l, "accept port forwards") }) {
		t.Errorf("a second accept beside the moved one: %q", fx.Lines)
	}
}
