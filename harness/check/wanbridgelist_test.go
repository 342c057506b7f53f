package check

import (
	"strings"
	"testing"
)

// TestWANBridgeListHoldsPort: the WAN's address on bridge-wan, whose port
// ether1 is what the WAN list holds. The fix adds bridge-wan to the list;
// its method named "the PPPoE interface" before, of a router with no PPPoE.
func TestWANBridgeListHoldsPort(t *testing.T) {
	const export = `# 2026-12-01 21:17:44 by RouterOS 7.16.2
/interface bridge
add name=bridge-wan
/interface bridge port
add bridge=bridge-wan interface=ether1
` + etherLists + `/ip address
add address=203.0.113.2/24 interface=bridge-wan network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment=nas dst-port=12566 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.10
/ip route
add gateway=203.0.113.1
`
	p := importNamed(t, "wanbridge.rsc", []byte(export))
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	if !strings.Contains(strings.Join(fx.Lines, "\n"), "/interface list member add interface=bridge-wan list=WAN") {
		t.Errorf("fix %q", fx.Lines)
	}
	if strings.Contains(fx.Method, "PPPoE") || !strings.Contains(fx.Method, "the WAN's interface (over the listed port) in the WAN list") {
		t.Errorf("method %q", fx.Method)
	}
}
