package check

import (
	"strings"
	"testing"
)

// wanInBridge is forum45's rb5009-sfp mini cut down: the RB5009 defconf
// keeps sfp-sfpplus1 in the bridge, and the user moved the DHCP client
// onto it.
const wanInBridge = `# 2025-03-02 12:00:00 by RouterOS 7.16.2
# model = RB5009UG+S+
/interface bridge
add admin-mac=78:9A:18:00:00:01 auto-mac=no comment=defconf name=bridge
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
add bridge=bridge comment=defconf interface=sfp-sfpplus1
/interface list member
add comment=defconf interface=bridge list=LAN
add comment=defconf interface=sfp-sfpplus1 list=WAN
/ip address
add address=192.168.88.1/24 comment=defconf interface=bridge network=192.168.88.0
/ip dhcp-client
add comment=defconf interface=sfp-sfpplus1
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" out-interface-list=WAN
`

// TestWANPortInBridge (forum45 D8): the WAN port left in the LAN bridge is
// a finding on its bridge port line, fixed by taking it out of the bridge;
// before, "no problem found". Control: the same export without that port
// line has no such finding.
func TestWANPortInBridge(t *testing.T) {
	p := loadText(t, wanInBridge)
	found, _ := p.Diagnose()
	var got []Finding
	for _, f := range found {
		if f.Cause == WANPortInBridge {
			got = append(got, f)
		}
	}
	if len(got) != 1 || got[0].Line != 10 || !strings.Contains(got[0].Detail, "is a port of bridge bridge, so its DHCP client on sfp-sfpplus1 is not used") {
		t.Fatalf("want one WANPortInBridge finding on line 10, got %v (all: %v)", got, found)
	}
	want := "/interface bridge port remove [ find where interface=sfp-sfpplus1 bridge=bridge ]"
	if lines := p.Propose(found).Lines; !strings.Contains(strings.Join(lines, "\n"), want) {
		t.Errorf("fix lines:\n%s\nwant %s", strings.Join(lines, "\n"), want)
	}
	p = loadText(t, strings.Replace(wanInBridge, "add bridge=bridge comment=defconf interface=sfp-sfpplus1\n", "", 1))
	found, _ = p.Diagnose()
	for _, f := range found {
		if f.Cause == WANPortInBridge {
			t.Errorf("a WAN port out of the bridge: %v", f)
		}
	}
}
