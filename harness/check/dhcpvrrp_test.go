package check

import (
	"strings"
	"testing"
)

// vrrpGatewayDHCP is realcheck23's mini of D2 (reduced from a CHR's
// export): the DHCP network hands out the VRRP virtual address 10.0.0.254,
// held on vrrp1 over the DHCP server's interface ether2.
const vrrpGatewayDHCP = `# 2023-07-08 19:33:27 by RouterOS 7.10.1
/interface vrrp add interface=ether2 name=vrrp1
/ip pool add name=dhcp_pool0 ranges=10.0.0.33-10.0.0.222
/ip dhcp-server add address-pool=dhcp_pool0 interface=ether2 name=dhcp1
/ip address add address=10.0.0.1/24 interface=ether2
/ip address add address=10.0.0.254 interface=vrrp1
/ip dhcp-client add interface=ether1
/ip dhcp-server network add address=10.0.0.0/24 dns-server=77.88.8.8 gateway=10.0.0.254
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
`

// TestDHCPGatewayVRRP: the virtual address of a VRRP interface over the
// DHCP interface is the router's own there, the gateway a VRRP design
// hands its clients. Before, check found "gateway 10.0.0.254 (none of the
// router's addresses there)" and its fix set gateway=10.0.0.1, taking the
// failover away (realcheck23 D2). The controls: the same address on a
// VLAN over ether2 (another segment), on a VRRP interface over another
// port, and on a disabled VRRP interface are still not ether2's.
func TestDHCPGatewayVRRP(t *testing.T) {
	found, fix := dhcpFindings(t, vrrpGatewayDHCP)
	for _, f := range found {
		if f.Cause == DHCPOffSubnet {
			t.Errorf("finding on the VRRP gateway: %s", f.Detail)
		}
	}
	for _, l := range fix {
		if strings.Contains(l, "gateway=10.0.0.1") {
			t.Errorf("fix moves the clients off the virtual address: %s", l)
		}
	}
	for name, text := range map[string]string{
		"vlan":          strings.Replace(vrrpGatewayDHCP, "/interface vrrp add interface=ether2 name=vrrp1", "/interface vlan add interface=ether2 name=vrrp1 vlan-id=5", 1),
		"other port":    strings.Replace(vrrpGatewayDHCP, "/interface vrrp add interface=ether2 name=vrrp1", "/interface vrrp add interface=ether3 name=vrrp1", 1),
		"disabled vrrp": strings.Replace(vrrpGatewayDHCP, "/interface vrrp add interface=ether2 name=vrrp1", "/interface vrrp add disabled=yes interface=ether2 name=vrrp1", 1),
	} {
		found, fix := dhcpFindings(t, text)
		var off bool
		for _, f := range found {
			off = off || f.Cause == DHCPOffSubnet && strings.Contains(f.Detail, "gateway 10.0.0.254")
		}
		if !off || !strings.Contains(strings.Join(fix, "\n"), "gateway=10.0.0.1") {
			t.Errorf("%s: want the off-subnet gateway found and fixed (control), got %+v, fix %q", name, found, fix)
		}
	}
}
