package check

import (
	"strings"
	"testing"
)

// TestSNMPOpenToInternet (chk57 D7): an SNMP agent turned on with the
// default community, udp 161 accepted from the LAN only and no input drop
// after it, answers the internet too (rc30's RB951 7.24.5 and four other
// exports with a community at addresses=::/0); check warned of every other
// open service but not of this one. Controls: the agent off (the
// default), an input drop of the WAN, and a community limited by
// addresses= (rc27's wAP LTE).
func TestSNMPOpenToInternet(t *testing.T) {
	const base = "# 2025-03-01 10:00:00 by RouterOS 7.18.2\n" + etherLists + `/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall filter
add action=accept chain=input dst-port=161 protocol=udp src-address=192.168.88.0/24
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip service
set telnet disabled=yes
set ftp disabled=yes
set api disabled=yes
set api-ssl disabled=yes
`
	for _, tt := range []struct {
		name, extra string
		warned      bool
	}{
		{"agent on, no drop", "/snmp\nset enabled=yes trap-community=public1\n", true},
		{"agent off (control)", "", false},
		{"a WAN drop (control)", "/snmp\nset enabled=yes\n/ip firewall filter\nadd action=drop chain=input in-interface-list=WAN\n", false},
		{"a limited community (control)", "/snmp community\nset [ find default=yes ] addresses=192.168.88.0/24\n/snmp\nset enabled=yes\n", false},
	} {
		p := importText(t, base+tt.extra)
		w := strings.Join(p.OfflineServiceWarnings(), "\n")
		if strings.Contains(w, "the router's SNMP agent (161) would answer the internet") != tt.warned {
			t.Errorf("%s: warnings:\n%s", tt.name, w)
		}
		// A lab run does not probe udp 161: it carries the prediction.
		lab := strings.Join(p.LabServiceWarnings(nil, ""), "\n")
		if strings.Contains(lab, "SNMP agent (161)") != tt.warned || tt.warned && !strings.Contains(lab, "(predicted from the rules: the lab does not probe it)") {
			t.Errorf("%s: lab warnings:\n%s", tt.name, lab)
		}
	}
}
