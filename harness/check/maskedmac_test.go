package check

import (
	"context"
	"strings"
	"testing"
)

// TestMaskedMAC (rc29 C5): a bridge whose admin-mac the author masked
// (F4:1E:57:7A:XX:XX) keeps its line without the MAC: before, the lab
// router refused the bridge, then its port, its LAN list membership, its
// address and DHCP server, and the check diagnosed the LAN's DNS queries
// as dropped by "in-interface-list=!LAN" with two accepts to paste.
// Control: a real MAC stays on the line and nothing is set aside.
func TestMaskedMAC(t *testing.T) {
	const export = `# jan/02/2025 10:00:00 by RouterOS 7.16.2
/interface bridge
add admin-mac=%s auto-mac=no comment=defconf name=bridge
/interface list
add name=WAN
add name=LAN
/ip pool
add name=dhcp ranges=192.168.88.10-192.168.88.254
/ip dhcp-server
add address-pool=dhcp interface=bridge name=defconf
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip dhcp-server network
add address=192.168.88.0/24 dns-server=192.168.88.1 gateway=192.168.88.1
/ip dns
set allow-remote-requests=yes
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
	for _, tt := range []struct {
		mac    string
		masked bool
	}{
		{"F4:1E:57:7A:XX:XX", true},
		{"F4:1E:57:7A:12:34", false},
	} {
		p := importText(t, strings.Replace(export, "%s", tt.mac, 1))
		p.Refusals(context.Background())
		found, _ := p.Diagnose()
		aside := ""
		for _, a := range p.Aside {
			aside += a.Reason + "\n"
		}
		if Problems(found) != 0 {
			t.Errorf("%s: findings %v", tt.mac, found)
		}
		if tt.masked != strings.Contains(aside, "admin-mac="+tt.mac+" is no MAC address") || tt.masked == strings.Contains(p.RSC, "admin-mac=") {
			t.Errorf("%s: set aside:\n%s\nlab-ready:\n%s", tt.mac, aside, p.RSC)
		}
	}
}
