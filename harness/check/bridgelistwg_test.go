package check

import (
	"strings"
	"testing"
)

// TestBridgeListWireGuardMember (realcheck27 D12): a WireGuard interface
// in the interface list a bridge port names is not a port of the bridge,
// so its address (the tunnel's 10.0.0.1/24) is no "LAN address on a
// bridge port". Control: an ethernet member with an address still is.
func TestBridgeListWireGuardMember(t *testing.T) {
	const base = `# 2023-08-01 10:00:00 by RouterOS 7.10.1
/interface bridge
add name=BRI-TEST
/interface wireguard
add listen-port=13231 name=wg-sonoshq
/interface list
add name=L10
/interface list member
add interface=ether3 list=L10
add interface=%s list=L10
/interface bridge port
add bridge=BRI-TEST interface=L10
/ip address
add address=192.168.1.1/24 interface=BRI-TEST network=192.168.1.0
add address=10.0.0.1/24 interface=%s network=10.0.0.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
`
	found := func(member string) string {
		p := importText(t, strings.ReplaceAll(base, "%s", member))
		fs, _ := p.Diagnose()
		var b strings.Builder
		for _, f := range fs {
			if f.Cause == AddressOnBridgePort {
				b.WriteString(f.Detail + "\n")
			}
		}
		return b.String()
	}
	if got := found("wg-sonoshq"); got != "" {
		t.Errorf("the WireGuard member read as a bridge port:\n%s", got)
	}
	if got := found("ether4"); !strings.Contains(got, "ether4") {
		t.Errorf("control: the ethernet member's address not found on a bridge port: %q", got)
	}
}
