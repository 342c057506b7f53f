package check

import (
	"strings"
	"testing"
)

// The transparent web proxy recipe (the LAN's port 80 redirected to the
// router's proxy on 8080) above a forward of port 80: the redirect takes
// the forward's traffic, and it is meant for traffic bound elsewhere, so
// the fix leaves the router's own addresses to the forward
// (dst-address-type=!local). With the proxy off nothing of the router's
// listens on 8080: the redirect was meant as a forward, no such fix, and
// the note that says so stays.
func TestProxyRedirectAboveForward(t *testing.T) {
	const rsc = `# by RouterOS 7.16
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=LAN
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24
add action=redirect chain=dstnat comment=proxy dst-port=80 protocol=tcp to-ports=8080
add action=dst-nat chain=dstnat dst-port=80 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.21
`
	const narrow = `/ip firewall nat set [ find where comment=proxy ] dst-address-type=!local`
	for _, tt := range []struct {
		name, proxy string
		fix         bool
	}{
		{"proxy on", "/ip proxy\nset enabled=yes\n", true},
		{"proxy off", "", false},
	} {
		p := importText(t, rsc+tt.proxy)
		found, _ := p.Diagnose()
		if len(withCause(found, EarlierRule)) == 0 {
			t.Errorf("%s: no earlier-rule finding: %+v", tt.name, found)
		}
		fix := strings.Join(p.Propose(found).Lines, "\n")
		if strings.Contains(fix, narrow) != tt.fix {
			t.Errorf("%s: fix %q", tt.name, fix)
		}
		nowhere := strings.Contains(strings.Join(p.Notes, "\n"), "none of the router's services listens on 8080")
		if nowhere == tt.fix {
			t.Errorf("%s: notes %q", tt.name, p.Notes)
		}
	}
}
