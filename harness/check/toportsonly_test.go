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

// TestToPortsRangeNotShifted: dst-port=37777-37780 to-ports=47777-47780
// (a camera recorder's range moved up by 10000) is no port-for-port map:
// RouterOS's NAT keeps a port already inside to-ports and gives any other
// one port of to-ports, so 37778 does not reach 47778. The lab probes the
// first port only and found nothing to say (forum53 D4); now a note says
// it. Controls: the same range on both sides, and one port to one port,
// are mapped as written and get no note.
func TestToPortsRangeNotShifted(t *testing.T) {
	const rule = "add action=dst-nat chain=dstnat comment=game in-interface-list=WAN protocol=tcp to-addresses=192.168.88.10 to-ports=12566"
	note := func(p *Plan) bool {
		return slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "does not map a range onto another port for port") })
	}
	for _, tt := range []struct {
		ports string
		want  bool
	}{
		{"dst-port=37777-37780 protocol=tcp to-addresses=192.168.88.10 to-ports=47777-47780", true},
		{"dst-port=5000-5010 protocol=udp to-addresses=192.168.88.10 to-ports=5005-5020", true},
		{"dst-port=5000-5010 protocol=tcp to-addresses=192.168.88.10 to-ports=5000-5010", false},
		{"dst-port=8080 protocol=tcp to-addresses=192.168.88.10 to-ports=80", false},
	} {
		export := strings.Replace(toPortsExport, rule, "add action=dst-nat chain=dstnat comment=game in-interface-list=WAN "+tt.ports, 1)
		p := importNamed(t, "range.rsc", []byte(export))
		if note(p) != tt.want {
			t.Errorf("%s: notes %q", tt.ports, p.Notes)
		}
	}
}
