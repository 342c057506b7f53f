package check

import (
	"strings"
	"testing"
)

// TestMarkedTableWANsOwnRoute (realcheck21 D7 c): each WAN read from a
// marked routing table is justified by the active default route of its
// own table (the lowest distance there), not by a backup of another table
// that comes first in the file. The 3-ISP PCC export cited table
// to_isp1's distance-2 and -3 routes (lines 70, 71) for ISP3 and ISP2.
func TestMarkedTableWANsOwnRoute(t *testing.T) {
	p := load(t, "testdata/rb750gr3-3isp-pcc-tables.rsc")
	why := map[string]string{}
	for _, w := range p.WANs {
		why[w.Interface] = w.Why
	}
	for iface, want := range map[string]string{
		"ISP1": "line 58's default route in routing table to_isp1 goes by 8.8.8.8",
		"ISP2": "line 61's default route in routing table to_isp2 goes by 8.8.4.4",
		"ISP3": "line 63's default route in routing table to_isp3 goes by 1.0.0.1",
	} {
		if !strings.Contains(why[iface], want) {
			t.Errorf("WAN %s: %q, want %q", iface, why[iface], want)
		}
	}
}

// TestMarkedTableBackupSaid: a WAN that only a backup of a marked table
// goes by is still a WAN, and its reason says it is a backup and of which
// table; a WAN of the main table's default route keeps its reason
// (control).
func TestMarkedTableBackupSaid(t *testing.T) {
	p := loadText(t, `# by RouterOS 6.49.18
/ip address
add address=203.0.113.2/24 interface=ether1
add address=198.51.100.2/24 interface=ether2
add address=192.168.88.1/24 interface=ether3
/ip route
add gateway=203.0.113.1
add distance=1 gateway=203.0.113.1 routing-mark=to_isp1
add distance=2 gateway=198.51.100.1 routing-mark=to_isp1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=masquerade chain=srcnat out-interface=ether2
`)
	why := map[string]string{}
	for _, w := range p.WANs {
		why[w.Interface] = w.Why
	}
	if !strings.Contains(why["ether1"], "the default route's gateway 203.0.113.1") {
		t.Errorf("ether1: %q", why["ether1"])
	}
	if want := "line 9's backup default route (distance 2) in routing table to_isp1 goes by 198.51.100.1 on it"; !strings.Contains(why["ether2"], want) {
		t.Errorf("ether2: %q, want %q", why["ether2"], want)
	}
}
