package check

import (
	"fmt"
	"slices"
	"testing"
)

// TestForwardDropsLater: a forward chain that accepts a port forward's
// connection-state=new only and drops the rest, with no accept of
// established connections, lets the first packet through and drops the
// client's next one (the TCP handshake's ACK): the lab saw the forward
// time out with the drop counting the peer's packets. The negative
// controls: the accept of established connections above the drop, and an
// accept that asks no connection state.
func TestForwardDropsLater(t *testing.T) {
	const export = `# 2026-12-03 07:40:00 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip firewall filter
%s
add action=drop chain=forward comment=drop
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=12566 protocol=tcp to-addresses=192.168.88.10
/ip route
add gateway=203.0.113.1
`
	const lan = `add action=accept chain=forward in-interface=ether2`
	const newOnly = `add action=accept chain=forward connection-nat-state=dstnat connection-state=new in-interface=ether1`
	const est = `add action=accept chain=forward connection-state=established,related`
	checkCause(t, export, ForwardDropsLater, "internet", 14,
		`/ip firewall filter add chain=forward action=accept connection-state=established,related comment="accept answers" place-before=[ find where comment=drop ]`,
		[]causeCase{
			{"new only", lan + "\n" + newOnly, true},
			{"syn only", lan + "\n" + `add action=accept chain=forward connection-nat-state=dstnat in-interface=ether1 protocol=tcp tcp-flags=syn`, true},
			{"established accepted above", est + "\n" + lan + "\n" + newOnly, false},
			{"no state asked", lan + "\n" + `add action=accept chain=forward connection-nat-state=dstnat in-interface=ether1`, false},
		})
}

// TestLANAnswersDropped: the same forward chain lets the LAN's new
// connections out (accept in-interface=ether2) and drops their answers
// from the internet, which are established: the lab's LAN client timed out
// towards the peer and worked with the fix. The negative controls: the
// accept of established connections above, and a drop bound to new
// connections (answers pass the end of the chain).
func TestLANAnswersDropped(t *testing.T) {
	const export = `# 2026-12-03 07:40:00 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip firewall filter
%s
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add gateway=203.0.113.1
`
	const lan = `add action=accept chain=forward in-interface=ether2`
	checkCause(t, export, LANAnswersDropped, "lan-internet:ether2", 13,
		`/ip firewall filter add chain=forward action=accept connection-state=established,related comment="accept answers" place-before=[ find where comment=drop ]`,
		[]causeCase{
			{"drop all below", lan + "\nadd action=drop chain=forward comment=drop", true},
			{"established accepted above", "add action=accept chain=forward connection-state=established,related\n" + lan + "\nadd action=drop chain=forward comment=drop", false},
			{"drop of new connections", lan + "\nadd action=drop chain=forward comment=drop connection-state=new", false},
		})
}

// causeCase is one export of a table test of a single cause: the rules
// that fill the export's %s, and whether the cause should be found.
type causeCase struct {
	name, rules string
	want        bool
}

// checkCause diagnoses each case's export: the cause must be found once,
// on path and naming the rule at line, with fix among the proposed lines,
// exactly when the case wants it.
func checkCause(t *testing.T, export string, cause Cause, path string, line int, fix string, cases []causeCase) {
	t.Helper()
	for _, tt := range cases {
		p := importNamed(t, "case.rsc", []byte(fmt.Sprintf(export, tt.rules)))
		found, _ := p.Diagnose()
		got := withCause(found, cause)
		if !tt.want {
			if len(got) != 0 {
				t.Errorf("%s: %v", tt.name, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Path != path || got[0].Line != line {
			t.Fatalf("%s: findings %v", tt.name, found)
		}
		if fx := p.Propose(found); !slices.Contains(fx.Lines, fix) {
			t.Errorf("%s: fix %q", tt.name, fx.Lines)
		}
	}
}

// TestTCPFlagsMatch: each flag listed must be set and each with "!"
// unset; a packet whose flags the walk does not know is unknown, and a
// packet that is not TCP never matches.
func TestTCPFlagsMatch(t *testing.T) {
	syn := packet{proto: "tcp", tcpFlags: "syn"}
	ack := packet{proto: "tcp", tcpFlags: "ack"}
	for _, tt := range []struct {
		v    string
		p    packet
		want tri
	}{
		{"syn", syn, yes},
		{"syn,!ack", syn, yes},
		{"!syn", syn, no},
		{"syn", ack, no},
		{"!syn", ack, yes},
		{"syn", packet{proto: "tcp"}, unknown},
		{"syn", packet{proto: "udp"}, no},
	} {
		if got := tcpFlagsMatch(tt.v, tt.p); got != tt.want {
			t.Errorf("tcp-flags=%s on %+v: %v, want %v", tt.v, tt.p, got, tt.want)
		}
	}
}
