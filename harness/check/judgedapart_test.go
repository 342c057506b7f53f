package check

import (
	"bytes"
	"strings"
	"testing"
)

// TestUnjudgedApart (rc29 C7): beside a problem, a forward to a server
// behind another router (a static route leads there: the rules cannot
// judge it) is listed under "what the rules alone cannot judge", not
// among the problems. Control: with no problem the heading is the one it
// always was, "no problem found; what the rules alone cannot judge".
func TestUnjudgedApart(t *testing.T) {
	const export = "# jan/02/2025 10:00:00 by RouterOS 7.16.2\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip route
add gateway=203.0.113.1
add dst-address=172.26.20.0/24 gateway=192.168.88.2
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=443 in-interface=ether1 protocol=tcp to-addresses=172.26.20.249
%s`
	const problem = "add action=dst-nat chain=dstnat dst-port=8080 in-interface=ether1 protocol=tcp to-addresses=192.168.88.10\n"
	for _, tt := range []struct {
		name, extra, want string
	}{
		{"with a problem", problem, "diagnosis:\n  forward 2 "},
		{"without", "", "diagnosis: no problem found; what the rules alone cannot judge:\n  forward 1 "},
	} {
		p := importText(t, strings.Replace(export, "%s", tt.extra, 1))
		found, _ := p.Diagnose()
		var b bytes.Buffer
		PrintFindings(&b, p, found, p.Propose(found))
		out := b.String()
		if !strings.Contains(out, tt.want) {
			t.Errorf("%s: want %q in\n%s", tt.name, tt.want, out)
		}
		if tt.extra != "" && !strings.Contains(out, "what the rules alone cannot judge:\n  forward 1 (tcp/443 → 172.26.20.249:443), all: the forward's server 172.26.20.249 is on none of the router's LAN segments") {
			t.Errorf("%s: forward 1 not apart:\n%s", tt.name, out)
		}
	}
}
