package check

import (
	"strings"
	"testing"
)

// listBridgePort is realcheck19's hAP ac² case cut down: the bridge's
// ports are an interface list, as RouterOS 7 allows
// ("/interface bridge port add interface=LANPORTS").
const listBridgePort = `# 2024-10-01 10:00:00 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LANPORTS
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=LANPORTS
add interface=ether3 list=LANPORTS
/interface bridge port
add bridge=bridge interface=LANPORTS
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-type=local dst-port=8080 protocol=tcp to-addresses=192.168.88.10 to-ports=80
`

// TestListAsBridgePort: the bridge whose port is an interface list gets a
// lab host on the list's first member (realcheck19 D6b: "no port a lab
// host can reach it on", the forward not probed, "no problem found").
func TestListAsBridgePort(t *testing.T) {
	p := importText(t, listBridgePort)
	if len(p.Segments) != 1 || p.Segments[0].Interface != "bridge" || p.Segments[0].Port != "ether2" {
		t.Fatalf("segments %+v", p.Segments)
	}
	// Control: a list that is no bridge port changes nothing, the
	// literal port still carries the LAN.
	lit := strings.Replace(listBridgePort, "add bridge=bridge interface=LANPORTS", "add bridge=bridge interface=ether3", 1)
	p = importText(t, lit)
	if len(p.Segments) != 1 || p.Segments[0].Port != "ether3" {
		t.Fatalf("literal port: segments %+v", p.Segments)
	}
}
