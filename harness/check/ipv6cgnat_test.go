package check

import (
	"strings"
	"testing"
)

// IPv4 behind carrier-grade NAT, IPv6 from the ISP, defconf's IPv6 forward
// drop and no accept: the forward can only be reached over IPv6, where it
// is closed as well. Before, only the CGNAT finding was said; now a note
// names the IPv6 drop's line and the accept that opens the port. Without
// IPv6 on the router there is no note.
func TestCGNATForwardOverIPv6(t *testing.T) {
	const text = `# 2026-12-02 11:50:00 by RouterOS 7.16.2
` + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=100.72.14.9/10 interface=ether1 network=100.64.0.0
/ip route
add gateway=100.64.0.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=8096 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.70
%s/ipv6 firewall filter
add action=accept chain=forward connection-state=established,related,untracked
add action=drop chain=forward comment="drop everything else not coming from LAN" in-interface-list=!LAN
`
	want := `line 24 drops new IPv6 connections from outside the LAN`
	fix := `/ipv6 firewall filter add chain=forward action=accept protocol=tcp dst-port=8096 dst-address=<the IPv6 address of 192.168.88.70> in-interface-list=!LAN place-before=[ find where comment="drop everything else not coming from LAN" ]`
	p := importText(t, strings.Replace(text, "%s", "/ipv6 dhcp-client\nadd interface=ether1 pool-name=isp6 request=prefix\n", 1))
	notes := strings.Join(p.Notes, "\n")
	if !strings.Contains(notes, want) || !strings.Contains(notes, fix) {
		t.Errorf("notes %q", p.Notes)
	}
	p = importText(t, strings.Replace(text, "%s", "", 1))
	if strings.Contains(strings.Join(p.Notes, "\n"), "over IPv6") {
		t.Errorf("no IPv6 on the router: %q", p.Notes)
	}
}
