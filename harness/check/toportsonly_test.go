package check

import (
	"slices"
	"strings"
	"testing"
)

const toPortsExport = `# 2026-12-01 21:17:44 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input comment="winbox from outside" dst-port=8291 in-interface-list=WAN protocol=tcp
add action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment=game in-interface-list=WAN protocol=tcp to-addresses=192.168.88.10 to-ports=12566
/ip route
add gateway=203.0.113.1
`

// TestToPortsWithoutDstPort: a forward written with to-ports=12566 and no
// dst-port takes every TCP port of the WAN, WinBox's (accepted on input
// from the WAN) included. Before, it was read as a forward of 12566 alone
// and the fix put an accept of WinBox's port in dstnat above it, leaving
// every other port going to the server. Now a note says so and the fix
// gives the rule its port.
func TestToPortsWithoutDstPort(t *testing.T) {
	export := toPortsExport
	p := importNamed(t, "toports.rsc", []byte(export))
	if !slices.ContainsFunc(p.Notes, func(n string) bool {
		return strings.Contains(n, "has to-ports=12566 and no dst-port: it takes every tcp port it sees")
	}) {
		t.Errorf("notes %q", p.Notes)
	}
	found, _ := p.Diagnose()
	if len(withCause(found, TakesRouterService)) == 0 {
		t.Fatalf("findings %+v", found)
	}
	fx := p.Propose(found)
	if !slices.Contains(fx.Lines, "/ip firewall nat set [ find where comment=game ] dst-port=12566") {
		t.Errorf("fix %q", fx.Lines)
	}
	for _, l := range fx.Lines {
		if strings.Contains(l, "action=accept") {
			t.Errorf("fix still accepts the service in dstnat: %q", fx.Lines)
		}
	}
}

// The same rule written without protocol= (a Minecraft forward from
// WinBox with only To Ports filled in): the note's fix named dst-port
// alone, which a rule with no protocol cannot take (the lab router refuses
// a port without one). Now it names protocol=tcp with it.
func TestToPortsWithoutProtocol(t *testing.T) {
	export := strings.Replace(toPortsExport, " protocol=tcp to-addresses", " to-addresses", 1)
	p := importNamed(t, "toports-noproto.rsc", []byte(export))
	if !slices.ContainsFunc(p.Notes, func(n string) bool {
		return strings.Contains(n, "/ip firewall nat set [ find where comment=game ] protocol=tcp dst-port=12566 (protocol=udp for a UDP service")
	}) {
		t.Errorf("notes %q", p.Notes)
	}
}
