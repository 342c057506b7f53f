package check

import (
	"strings"
	"testing"
)

// A dst-nat of the WAN's 8081 to the router's own WebFig (moved to 8081),
// with an input accept of DSTNATed connections above the drop: WebFig is
// open to the internet, which the lab's service probe shows and --offline
// now predicts as a warning (it said nothing). With the input chain
// dropping it (no accept) there is no warning.
func TestOfflineWarnsOfAServiceOpenedByDstNAT(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
` + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall filter
add action=accept chain=input connection-state=established,related
%sadd action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=8081 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.1 to-ports=8081
/ip route
add gateway=203.0.113.1
/ip service
set www port=8081
`
	for _, tt := range []struct {
		name, accept string
		want         bool
	}{
		{"accepted", "add action=accept chain=input connection-nat-state=dstnat\n", true},
		{"dropped", "", false},
	} {
		p := importText(t, strings.Replace(text, "%s", tt.accept, 1))
		w := strings.Join(p.OfflineServiceWarnings(), "\n")
		if got := strings.Contains(w, "WebFig (8081) would be open to the internet on 203.0.113.2:8081 through the dst-nat at line 21"); got != tt.want {
			t.Errorf("%s: warnings %q", tt.name, w)
		}
	}
}
