package check

import (
	"strings"
	"testing"
)

// WebFig forwarded from the WAN (8081 to the router's own 192.168.88.1:80)
// with an input accept for DSTNATed connections, while /ip service www
// address= admits the LAN only: the dst-nat keeps the client's source, so
// WebFig refuses it. --offline said "no problem found"; now the finding
// names the service line. WebFig open to all (no address=) is none.
func TestForwardToRouterServiceAddress(t *testing.T) {
	const text = `# 2026-12-02 11:20:00 by RouterOS 7.16.2
` + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input connection-nat-state=dstnat
add action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=8081 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.1 to-ports=80
/ip route
add gateway=203.0.113.1
/ip service
set www%s
`
	p := importText(t, strings.Replace(text, "%s", " address=192.168.88.0/24", 1))
	found, _ := p.Diagnose()
	got := withCause(found, ToRouterServiceAddress)
	if len(got) != 1 || got[0].Path != "service:www-by-8081@wan" || got[0].Rule != "set www address=192.168.88.0/24" || !strings.Contains(got[0].Detail, "line 21") {
		t.Fatalf("findings %+v", found)
	}
	p = importText(t, strings.Replace(text, "%s", " port=80", 1))
	found, _ = p.Diagnose()
	if got := withCause(found, ToRouterServiceAddress); len(got) > 0 {
		t.Errorf("no address=: %+v", got)
	}
}
