package check

import (
	"slices"
	"strings"
	"testing"
)

// dhcpOnWAN is realcheck21's mini m6: a DHCP server on ether1, the WAN
// (the default route's gateway is on it), beside the LAN's own server on
// bridge1.
const dhcpOnWAN = `# by RouterOS 7.21.3
/interface bridge
add name=bridge1
/interface bridge port
add bridge=bridge1 interface=ether2
/ip pool
add name=dhcp_pool0 ranges=10.0.0.100-10.0.0.200
add name=lan ranges=192.168.1.10-192.168.1.254
/ip dhcp-server
add address-pool=dhcp_pool0 interface=ether1 name=dhcp-wan
add address-pool=lan interface=bridge1 name=dhcp-lan
/ip address
add address=10.0.0.254/24 interface=ether1 network=10.0.0.0
add address=192.168.1.1/24 interface=bridge1 network=192.168.1.0
/ip dhcp-server network
add address=10.0.0.0/24 gateway=10.0.0.254
add address=192.168.1.0/24 gateway=192.168.1.1 dns-server=192.168.1.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
/ip route
add dst-address=0.0.0.0/0 gateway=10.0.0.1
`

// TestDHCPServerOnWAN: a DHCP server on the WAN port hands leases to the
// ISP's segment: a finding on its line, fixed by disabling it. The
// controls: the LAN's server beside it, and the same server on a port
// that is no WAN (a second LAN on ether3), get no such finding.
func TestDHCPServerOnWAN(t *testing.T) {
	p := loadText(t, dhcpOnWAN)
	found, _ := p.Diagnose()
	on := withCause(found, DHCPOnWAN)
	if len(on) != 1 || on[0].Line != 10 || on[0].Path != "dhcp:ether1" || !strings.Contains(on[0].Detail, "server dhcp-wan on ether1, the WAN") {
		t.Fatalf("findings %+v: want one DHCP-on-WAN finding on line 10", found)
	}
	fx := p.Propose(found)
	if !slices.Contains(fx.Lines, "/ip dhcp-server set [ find where name=dhcp-wan ] disabled=yes") {
		t.Errorf("fix %+v", fx.Lines)
	}
	// Control: ether1 is a LAN port here (the WAN is ether4).
	lan := strings.NewReplacer("10.0.0.254/24 interface=ether1", "10.0.0.254/24 interface=ether3",
		"interface=ether1 name=dhcp-wan", "interface=ether3 name=dhcp-wan",
		"out-interface=ether1", "out-interface=ether4",
		"gateway=10.0.0.1\n", "gateway=203.0.113.1\n/ip address\nadd address=203.0.113.2/24 interface=ether4\n").Replace(dhcpOnWAN)
	p = loadText(t, lan)
	found, _ = p.Diagnose()
	if on := withCause(found, DHCPOnWAN); len(on) != 0 {
		t.Errorf("server on a LAN port: %+v", on)
	}
	if len(p.WANs) != 1 || p.WANs[0].Interface != "ether4" {
		t.Errorf("control's WANs %+v: want ether4", p.WANs)
	}
}

// TestDHCPServerOnWANPortWithLAN (judgement call): ether1 holds the ISP's
// lease (DHCP client) and defconf's 192.168.88.1/24, and the server on it
// leases from a pool in 192.168.88.0/24: it is that LAN's server on the
// same wire, so it gets a note, not the WAN finding whose fix (disable it)
// would leave those hosts without leases. The control is
// TestDHCPServerOnWAN: a pool in the WAN's own subnet keeps the finding.
func TestDHCPServerOnWANPortWithLAN(t *testing.T) {
	text := `# by RouterOS 7.16.2
/ip pool
add name=default-dhcp ranges=192.168.88.10-192.168.88.254
/ip dhcp-server
add address-pool=default-dhcp interface=ether1 name=defconf
/ip address
add address=192.168.88.1/24 interface=ether1 network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip dhcp-server network
add address=192.168.88.0/24 gateway=192.168.88.1 dns-server=192.168.88.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
`
	p := loadText(t, text)
	found, _ := p.Diagnose()
	if len(p.WANs) == 0 || p.WANs[0].Interface != "ether1" {
		t.Fatalf("WANs %+v", p.WANs)
	}
	if on := withCause(found, DHCPOnWAN); len(on) != 0 {
		t.Errorf("the LAN's server on the WAN port got the WAN finding: %+v", on)
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool {
		return strings.Contains(n, "line 5's DHCP server runs on ether1, the WAN") && strings.Contains(n, "also holds the LAN address 192.168.88.1/24")
	}) {
		t.Errorf("notes %q", p.Notes)
	}
}
