package check

import (
	"slices"
	"strings"
	"testing"
)

// bridgePortDHCP is forum51's case: the LAN's DHCP server left on ether2
// after ether2 became a port of bridge1, which holds the LAN's address.
const bridgePortDHCP = `# by RouterOS 7.16.2
/interface bridge
add name=bridge1
/ip pool
add name=pool1 ranges=192.168.10.100-192.168.10.200
/ip dhcp-server
add address-pool=pool1 interface=ether2 name=dhcp1
/interface bridge port
add bridge=bridge1 interface=ether2
add bridge=bridge1 interface=ether3
/ip address
add address=192.168.10.1/24 interface=bridge1 network=192.168.10.0
/ip dhcp-client
add interface=ether1
/ip dhcp-server network
add address=192.168.10.0/24 gateway=192.168.10.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
`

// TestDHCPOnBridgePort (forum51 D3): the server on the bridge port is a
// finding on its line and the fix moves it to the bridge; before, "no
// problem found" (rosemu, like RouterOS, leaves such a server's clients
// without a lease). Control: the server on the bridge is no finding.
func TestDHCPOnBridgePort(t *testing.T) {
	found, lines := dhcpFindings(t, bridgePortDHCP)
	if len(found) != 1 || found[0].Line != 7 || found[0].Cause != DHCPOnBridgePort || found[0].Path != "dhcp:ether2" {
		t.Fatalf("want one finding on the server (line 7), got %v", found)
	}
	if want := "/ip dhcp-server set [ find where name=dhcp1 ] interface=bridge1"; !slices.Contains(lines, want) {
		t.Errorf("fix lines %q, want %s", lines, want)
	}
	found, lines = dhcpFindings(t, strings.Replace(bridgePortDHCP, "interface=ether2 name=dhcp1", "interface=bridge1 name=dhcp1", 1))
	if len(found) != 0 || len(lines) != 0 {
		t.Errorf("server on the bridge: findings %v, fix %q", found, lines)
	}
}
