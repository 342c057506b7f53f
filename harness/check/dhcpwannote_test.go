package check

import (
	"strings"
	"testing"
)

// TestDHCPOnWANLANNoteOnce (rc30 C4): the note of a DHCP server on a WAN
// port that also holds the LAN's address was added each time dhcpSubnet
// ran (the import, then the diagnosis), and check printed it twice.
// Control: the note is there.
func TestDHCPOnWANLANNoteOnce(t *testing.T) {
	const text = `# 2025-01-10 10:00:00 by RouterOS 7.21.3
/ip pool
add name=dhcp ranges=192.168.88.10-192.168.88.254
/ip dhcp-server
add address-pool=dhcp interface=ether1 name=defconf
/ip address
add address=192.168.88.1/24 interface=ether1 network=192.168.88.0
add address=10.0.0.254/24 interface=ether1 network=10.0.0.0
/ip dhcp-server network
add address=192.168.88.0/24 gateway=192.168.88.1
/ip route
add gateway=10.0.0.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
`
	p := loadText(t, text)
	p.Diagnose()
	p.OfflineDocument()
	n := 0
	for _, note := range p.Notes {
		if strings.Contains(note, "DHCP server runs on ether1, the WAN") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the note %d time(s), want once: %q", n, p.Notes)
	}
}
