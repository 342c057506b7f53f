package check

import (
	"strings"
	"testing"
)

// lanSide is realcheck33's ccr1036-720 cut down: a forward of 8041 to
// 10.90.0.5, a masquerade towards that server on its bridge (%s: its
// matchers), and a dst-nat whose dst-address is the LAN host it
// translates to (%s: its to-addresses).
const lanSide = `# 2025-10-01 10:00:00 by RouterOS 7.20
/interface bridge
add name=BRD
/interface bridge port
add bridge=BRD interface=ether2
/ip address
add address=10.90.0.1/16 interface=BRD network=10.90.0.0
add address=203.0.113.2/30 interface=ether1 network=203.0.113.0
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=8041 protocol=tcp to-addresses=10.90.0.5
add action=masquerade chain=srcnat comment=ScreenConnect %s dst-port=8040,8041 protocol=tcp
add action=dst-nat chain=dstnat comment=iPorto dst-address=10.90.0.25 dst-port=3390 protocol=tcp to-addresses=%s to-ports=3389
`

// TestLANSideRules (realcheck33 C4): a port translation for connections
// addressed to a LAN host itself is no port forward (before: "never
// matches", and the fix made it a forward of every router address), and
// a masquerade written towards a LAN server keeps its finding with no fix
// moving it to a WAN (before: out-interface=ether1, a rule that never
// matches). Control: a masquerade with no LAN side keeps its narrowing,
// and a dst-nat from one LAN address to another is still read as a
// forward.
func TestLANSideRules(t *testing.T) {
	for _, tt := range []struct {
		name, masq, to string
		lanSide        bool
	}{
		{"LAN side", "dst-address=10.90.0.5 out-interface=BRD", "10.90.0.25", true},
		{"control", "", "10.90.0.26", false},
	} {
		p := loadText(t, strings.Replace(strings.Replace(lanSide, "%s", tt.masq, 1), "%s", tt.to, 1))
		found, _ := p.Diagnose()
		fx := strings.Join(p.Propose(found).Lines, "\n")
		iPorto, hides := false, false
		for _, f := range found {
			if f.Line == 15 {
				iPorto = true
			}
			if f.Cause == HidesClients && f.Line == 14 {
				hides = true
			}
		}
		moved := strings.Contains(fx, "comment=ScreenConnect ] out-interface=ether1")
		noted := strings.Contains(strings.Join(p.Notes, "\n"), "line 15 translates connections addressed to 10.90.0.25 itself (a host of BRD) on port 3390 to port 3389: a port translation")
		if tt.lanSide && (iPorto || !noted || !hides || moved || strings.Contains(fx, "iPorto")) {
			t.Errorf("%s: line 15 found %v (want false), noted %v, line 14 hides clients %v, moved to the WAN %v\n%v\n%s", tt.name, iPorto, noted, hides, moved, found, fx)
		}
		if !tt.lanSide && (!iPorto || noted || !hides || !moved) {
			t.Errorf("%s: line 15 found %v (want true), noted %v, line 14 hides clients %v, moved to the WAN %v (want true)\n%v\n%s", tt.name, iPorto, noted, hides, moved, found, fx)
		}
	}
}
