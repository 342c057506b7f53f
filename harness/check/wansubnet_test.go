package check

import (
	"strings"
	"testing"
)

// TestWANSubnetReachesLANs (realcheck27 D11): "allow inter-subnet
// routing" as src-address=192.168.0.0/16 dst-address=192.168.0.0/16 on a
// router whose WAN is 192.168.0.2/24 behind the ISP's router lets that
// router's LAN into every LAN before the defconf drop: warned of. Control:
// the accept names the LAN's own subnet as source, and nothing is said.
func TestWANSubnetReachesLANs(t *testing.T) {
	const export = `# 2025-06-01 10:00:00 by RouterOS 7.19.6
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
/ip address
add address=192.168.0.2/24 interface=ether1 network=192.168.0.0
add address=192.168.5.1/24 interface=ether2 network=192.168.5.0
/ip route
add gateway=192.168.0.1
/ip firewall filter
add action=accept chain=forward comment="allow inter-subnet routing" dst-address=192.168.0.0/16 src-address=%s
add action=accept chain=forward connection-state=established,related
add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
	w := strings.Join(importText(t, strings.Replace(export, "%s", "192.168.0.0/16", 1)).OfflineServiceWarnings(), "\n")
	if !strings.Contains(w, "line 12 lets the hosts of the WAN's own subnet 192.168.0.0/24") || !strings.Contains(w, "the LANs 192.168.5.0/24") {
		t.Errorf("no warning of the WAN subnet:\n%s", w)
	}
	w = strings.Join(importText(t, strings.Replace(export, "%s", "192.168.5.0/24", 1)).OfflineServiceWarnings(), "\n")
	if strings.Contains(w, "WAN's own subnet") {
		t.Errorf("control:\n%s", w)
	}
}
