package check

import (
	"strings"
	"testing"
)

// noNetworkDHCP is realcheck21's m5 (D8): a DHCP server with a pool on
// bridge1's subnet and no /ip dhcp-server network.
const noNetworkDHCP = `# by RouterOS 7.21.3
/interface bridge
add name=bridge1
/interface bridge port
add bridge=bridge1 interface=ether2
/ip pool
add name=dhcp_pool0 ranges=192.168.1.10-192.168.1.254
/ip dhcp-server
add address-pool=dhcp_pool0 interface=bridge1 name=dhcp1
/ip address
add address=192.168.1.1/24 interface=bridge1 network=192.168.1.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
`

// TestDHCPNoNetwork (D8): the server without a network is a finding on its
// line, and the fix adds the network of the bridge's subnet with the
// router as gateway (and as DNS server once it answers its LAN). Before,
// "no problem found". Without dns-server= the clients get the router's own
// DNS servers (DNS page; forum40 D7), which the finding says.
func TestDHCPNoNetwork(t *testing.T) {
	found, lines := dhcpFindings(t, noNetworkDHCP)
	if len(found) != 1 || found[0].Line != 9 || found[0].Cause != DHCPNoNetwork {
		t.Fatalf("want one finding on the server (line 9), got %v", found)
	}
	for _, want := range []string{"server dhcp1 on bridge1", "no /ip dhcp-server network holds 192.168.1.0/24", "its clients get the router's own DNS servers"} {
		if !strings.Contains(found[0].Detail, want) {
			t.Errorf("the finding lacks %q: %s", want, found[0].Detail)
		}
	}
	if want := "/ip dhcp-server network add address=192.168.1.0/24 gateway=192.168.1.1"; !strings.Contains(strings.Join(lines, "\n"), want) {
		t.Errorf("fix lines:\n%s\nwant %s", strings.Join(lines, "\n"), want)
	}
	// A router that answers its LAN's queries is the DNS server to hand out.
	_, lines = dhcpFindings(t, noNetworkDHCP+"/ip dns set allow-remote-requests=yes\n")
	if want := "/ip dhcp-server network add address=192.168.1.0/24 gateway=192.168.1.1 dns-server=192.168.1.1"; !strings.Contains(strings.Join(lines, "\n"), want) {
		t.Errorf("fix lines:\n%s\nwant %s", strings.Join(lines, "\n"), want)
	}
}

// TestDHCPWithNetworkNoFinding: control. The same server with its network
// (m6's LAN half), and a server whose pool lies off the subnet (a finding
// of its own, DHCPOffSubnet), get no DHCPNoNetwork finding.
func TestDHCPWithNetworkNoFinding(t *testing.T) {
	found, _ := dhcpFindings(t, noNetworkDHCP+"/ip dhcp-server network\nadd address=192.168.1.0/24 gateway=192.168.1.1 dns-server=192.168.1.1\n")
	if len(found) != 0 {
		t.Errorf("findings with the network: %v", found)
	}
	found, _ = dhcpFindings(t, offSubnetDHCP)
	for _, f := range found {
		if f.Cause == DHCPNoNetwork {
			t.Errorf("an off-subnet pool read as a server without a network: %v", f)
		}
	}
}
