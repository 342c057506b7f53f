package check

import (
	"strings"
	"testing"
)

// vlanLockout is the forum's lockout: vlan-filtering turned on with the
// bridge missing from its own tagged lists, so every VLAN interface on it
// is deaf, and no port forward. The check said "no problem found": the
// VLANNotOnBridge finding came only with a forward's paths (forum52 D3).
const vlanLockout = `# 2026-12-06 12:00:00 by RouterOS 7.16.2
/interface bridge
add name=bridge vlan-filtering=yes
/interface vlan
add interface=bridge name=vlan10-lan vlan-id=10
add interface=bridge name=vlan99-mgmt vlan-id=99
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2 frame-types=admit-only-vlan-tagged
add bridge=bridge interface=ether3 frame-types=admit-only-untagged-and-priority-tagged pvid=10
/interface bridge vlan
add bridge=bridge tagged=ether2 untagged=ether3 vlan-ids=10
add bridge=bridge tagged=ether2 vlan-ids=99
/interface list member
add interface=ether1 list=WAN
add interface=vlan10-lan list=LAN
add interface=vlan99-mgmt list=LAN
/ip address
add address=192.168.10.1/24 interface=vlan10-lan network=192.168.10.0
add address=192.168.99.1/24 interface=vlan99-mgmt network=192.168.99.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`

func TestVLANLockoutWithoutForwards(t *testing.T) {
	p := importText(t, vlanLockout)
	found, _ := p.Diagnose()
	lines := map[string]int{}
	for _, f := range found {
		if f.Cause == VLANNotOnBridge {
			if f.Forward != -1 {
				t.Errorf("finding with a forward: %s", f)
			}
			lines[f.Path] = f.Line
		}
	}
	if lines["router's address on vlan10-lan"] != 14 || lines["router's address on vlan99-mgmt"] != 15 || len(lines) != 2 {
		t.Fatalf("VLANNotOnBridge findings by path and line: %v (all findings %v)", lines, found)
	}
	text := strings.Join(p.Propose(found).Lines, "\n")
	for _, want := range []string{
		"/interface bridge vlan set [ find where bridge=bridge and vlan-ids=10 ] tagged=ether2,bridge",
		"/interface bridge vlan set [ find where bridge=bridge and vlan-ids=99 ] tagged=ether2,bridge",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the fix lacks %s:\n%s", want, text)
		}
	}
	// Control: the bridge tagged in both VLANs; no finding.
	ok := strings.ReplaceAll(vlanLockout, "tagged=ether2 ", "tagged=bridge,ether2 ")
	found, _ = importText(t, ok).Diagnose()
	for _, f := range found {
		if f.Cause == VLANNotOnBridge {
			t.Errorf("bridge tagged: %s", f)
		}
	}
}
