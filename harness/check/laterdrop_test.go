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
	for _, tt := range []struct {
		name, rules string
		want        bool
	}{
		{"new only", lan + "\n" + newOnly, true},
		{"established accepted above", est + "\n" + lan + "\n" + newOnly, false},
		{"no state asked", lan + "\n" + `add action=accept chain=forward connection-nat-state=dstnat in-interface=ether1`, false},
	} {
		p := importNamed(t, "later.rsc", []byte(fmt.Sprintf(export, tt.rules)))
		found, _ := p.Diagnose()
		got := withCause(found, ForwardDropsLater)
		if !tt.want {
			if len(got) != 0 {
				t.Errorf("%s: %v", tt.name, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Path != "internet" || got[0].Rule != "add action=drop chain=forward comment=drop" {
			t.Fatalf("%s: findings %v", tt.name, found)
		}
		want := `/ip firewall filter add chain=forward action=accept connection-state=established,related comment="accept answers" place-before=[ find where comment=drop ]`
		if fx := p.Propose(found); !slices.Contains(fx.Lines, want) {
			t.Errorf("%s: fix %q", tt.name, fx.Lines)
		}
	}
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
	for _, tt := range []struct {
		name, rules string
		want        bool
	}{
		{"drop all below", lan + "\nadd action=drop chain=forward comment=drop", true},
		{"established accepted above", "add action=accept chain=forward connection-state=established,related\n" + lan + "\nadd action=drop chain=forward comment=drop", false},
		{"drop of new connections", lan + "\nadd action=drop chain=forward comment=drop connection-state=new", false},
	} {
		p := importNamed(t, "lanans.rsc", []byte(fmt.Sprintf(export, tt.rules)))
		found, _ := p.Diagnose()
		got := withCause(found, LANAnswersDropped)
		if !tt.want {
			if len(got) != 0 {
				t.Errorf("%s: %v", tt.name, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Path != "lan-internet:ether2" || got[0].Line != 13 {
			t.Fatalf("%s: findings %v", tt.name, found)
		}
		want := `/ip firewall filter add chain=forward action=accept connection-state=established,related comment="accept answers" place-before=[ find where comment=drop ]`
		if fx := p.Propose(found); !slices.Contains(fx.Lines, want) {
			t.Errorf("%s: fix %q", tt.name, fx.Lines)
		}
	}
}
