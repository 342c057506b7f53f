package check

import (
	"strings"
	"testing"
)

// TestRenameToLeadingZero (realcheck26 D9): renaming ether1 to ether01
// (a hAP ax3 export) gives a port no name another port holds: no "swap or
// shift of port names" note. Control: a real swap (realcheck21's m8)
// keeps its note.
func TestRenameToLeadingZero(t *testing.T) {
	const text = `# 2025-09-09 16:28:25 by RouterOS 7.19.4
/interface ethernet
set [ find default-name=ether1 ] name=ether01
set [ find default-name=ether2 ] name=ether02
/interface list
add name=WAN
/interface list member
add interface=ether01 list=WAN
/ip address
add address=192.168.1.1/24 interface=ether02 network=192.168.1.0
/ip dhcp-client
add interface=ether01
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
	p := importText(t, text)
	if n := strings.Join(p.Notes, "\n"); strings.Contains(n, "a swap or shift of port names") {
		t.Errorf("notes:\n%s", n)
	}
	if len(p.WANs) != 1 || p.WANs[0].Interface != "ether01" {
		t.Errorf("WANs %+v", p.WANs)
	}
	if n := strings.Join(importText(t, renameSwap).Notes, "\n"); !strings.Contains(n, "a swap or shift of port names") {
		t.Errorf("swap: notes:\n%s", n)
	}
	if i, ok := etherIndex("ether01"); ok {
		t.Errorf("etherIndex(ether01) = %d", i)
	}
}
