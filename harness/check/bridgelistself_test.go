package check

import (
	"strings"
	"testing"
)

// bridgeListSelf is realcheck26's m1 (a hAP ax3 7.19.4): the bridge's
// port line names the interface list LAN, whose only member is the bridge
// itself, and the LAN address is on the bridge.
const bridgeListSelf = `# 2025-09-09 16:28:25 by RouterOS 7.19.4
/interface bridge
add name=bridge01
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge01 interface=ether2
add bridge=bridge01 interface=LAN
/interface list member
add interface=bridge01 list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.1.1/24 interface=bridge01 network=192.168.1.0
/ip dhcp-client
add interface=ether1
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`

// TestBridgeListHoldingItself (realcheck26 D3): a list port whose member
// is the bridge itself adds no port: no "LAN address on a port of a
// bridge" finding and no fix moving the address onto the bridge it is on.
// Control: a list port whose member is a real port still makes that port
// a bridge port, and an address on it is still found (realcheck19 D6b).
func TestBridgeListHoldingItself(t *testing.T) {
	p := importText(t, bridgeListSelf)
	found, _ := p.Diagnose()
	if got := withCause(found, AddressOnBridgePort); len(got) != 0 {
		t.Errorf("findings: %+v", got)
	}
	if len(p.Segments) != 1 || p.Segments[0].Interface != "bridge01" || p.Segments[0].onPort != "" {
		t.Errorf("segments %+v", p.Segments)
	}
	ctl := strings.Replace(bridgeListSelf, "add interface=bridge01 list=LAN\n", "add interface=bridge01 list=LAN\nadd interface=ether3 list=LAN\n", 1) +
		"/ip address\nadd address=192.168.3.1/24 interface=ether3 network=192.168.3.0\n"
	p = importText(t, ctl)
	found, _ = p.Diagnose()
	if got := withCause(found, AddressOnBridgePort); len(got) != 1 || !strings.Contains(got[0].Detail, "on ether3, a port of bridge bridge01") {
		t.Errorf("control findings: %+v", got)
	}
}
