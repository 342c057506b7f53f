package check

import (
	"strings"
	"testing"
)

// TestRadioCutVLANLineKept (rc30 C1): a bridge VLAN line with a radio
// among its members (a hAP ax's renamed wifi interface untagged in VLAN
// 50, beside tagged=ether1,bridge) is kept without the radio, as the
// summary says; the keeper dropped it whole all the same, so the lab
// had no VLAN 50 and the diagnosis asked to tag the bridge in it, a line
// the router already has. Control: the same line without the bridge
// among its tagged members still gets that finding.
func TestRadioCutVLANLineKept(t *testing.T) {
	const text = `# 2025-11-02 10:00:00 by RouterOS 7.23.3
/interface bridge
add name=bridge vlan-filtering=yes
/interface wifi
add configuration.ssid=Skynet disabled=no name=Skynet
/interface vlan
add interface=bridge name=lan vlan-id=50
/interface bridge port
add bridge=bridge interface=ether1
add bridge=bridge interface=Skynet pvid=50
/interface bridge vlan
add bridge=bridge tagged=ether1,bridge untagged=Skynet vlan-ids=50
/ip address
add address=10.10.50.1/24 interface=lan network=10.10.50.0
add address=203.0.113.2/24 interface=ether4 network=203.0.113.0
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether4
`
	for _, tc := range []struct {
		name, text string
		finding    bool
	}{
		{"bridge tagged", text, false},
		{"bridge not tagged (control)", strings.Replace(text, "tagged=ether1,bridge untagged", "tagged=ether1 untagged", 1), true},
	} {
		p := loadText(t, tc.text)
		found, _ := p.Diagnose()
		if got := len(withCause(found, VLANNotOnBridge)) > 0; got != tc.finding {
			t.Errorf("%s: VLANNotOnBridge %v, want %v: %+v", tc.name, got, tc.finding, found)
		}
		if !strings.Contains(p.RSC, "vlan-ids=50") || strings.Contains(p.RSC, "untagged=Skynet") {
			t.Errorf("%s: the lab's configuration lacks the VLAN 50 line without the radio:\n%s", tc.name, p.RSC)
		}
	}
}
