package check

import (
	"strings"
	"testing"
)

// A forward to a downstream router on a /30 transfer link: the link holds
// the router and that server and no LAN client, so no hairpin is asked of
// it (the lab has no client there either). It got "the dst-nat is bound to
// an interface the traffic does not arrive on" and "no hairpin rule" with a
// masquerade for 10.10.12.0/30 as the fix (realcheck22 D4). The control: the
// same forward to a server on a /29, where clients share its segment,
// keeps both hairpin findings.
func TestNoHairpinOnTransferLink(t *testing.T) {
	const rsc = `# by RouterOS 6.49.6
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
/ip address
add address=117.102.82.18/29 interface=ether1 network=117.102.82.16
add address=10.10.12.1/PFX interface=ether2 network=10.10.12.0
/ip route
add gateway=117.102.82.17
/ip firewall nat
add action=dst-nat chain=dstnat dst-port=8295 in-interface-list=WAN protocol=tcp to-addresses=10.10.12.2 to-ports=8291
add action=masquerade chain=srcnat out-interface=ether1
`
	for _, c := range []struct {
		pfx  string
		want int
	}{{"30", 0}, {"29", 2}} {
		p := importText(t, strings.Replace(rsc, "PFX", c.pfx, 1))
		found, exp := p.Diagnose()
		n := 0
		for _, f := range found {
			if strings.HasPrefix(f.Path, "hairpin:") {
				n++
			}
		}
		if n != c.want {
			t.Errorf("/%s: %d hairpin finding(s), want %d: %+v", c.pfx, n, c.want, found)
		}
		for _, e := range exp {
			if c.want == 0 && strings.HasPrefix(e.Path, "hairpin:") {
				t.Errorf("/%s: a hairpin expectation %+v on a link with no room for a client", c.pfx, e)
			}
		}
	}
}
