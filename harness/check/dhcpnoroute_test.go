package check

import (
	"errors"
	"strings"
	"testing"
)

// TestDHCPNoRouteIsNoWAN: a DHCP client with add-default-route=no leases
// the router an address on its link and adds no way out, so the port that
// holds the default route is the WAN and the client is no second line
// (realcheck18 D8: a 7.5 router's vlan10 client was its first WAN, ahead of
// ether1 and its static default route; a VLAN switch's management clients
// were noted as second lines beside its real uplink). With no other sign it
// is still the WAN (a routed lab's router learns its way out by OSPF).
// Control: the same client without add-default-route=no stays a WAN.
func TestDHCPNoRouteIsNoWAN(t *testing.T) {
	static := `# by RouterOS 7.5
/interface bridge
add name=bridge vlan-filtering=yes
/interface vlan
add interface=bridge name=vlan10 vlan-id=10
add interface=bridge name=vlan20 vlan-id=20
/interface bridge port
add bridge=bridge interface=ether2
/interface bridge vlan
add bridge=bridge tagged=bridge,ether2 vlan-ids=10
add bridge=bridge tagged=bridge,ether2 vlan-ids=20
/ip address
add address=10.10.10.6/30 interface=ether1 network=10.10.10.4
add address=192.168.50.1/24 interface=ether3 network=192.168.50.0
/ip dhcp-client
add add-default-route=no interface=vlan10 use-peer-dns=no use-peer-ntp=no
add add-default-route=no interface=vlan20 use-peer-dns=no use-peer-ntp=no
/ip route
add gateway=10.10.10.5
`
	p := importText(t, static)
	if len(p.WANs) != 1 || p.WANs[0].Interface != "ether1" || p.WANs[0].Kind != "static" {
		t.Errorf("static default route: WANs %+v", p.WANs)
	}
	if notes := strings.Join(p.Notes, "\n"); strings.Contains(notes, "vlan10") || strings.Contains(notes, "vlan20") {
		t.Errorf("static default route: the route-less clients are noted: %q", p.Notes)
	}

	// A VLAN switch: its management client adds the default route, the
	// others only lease an address.
	sw := `# by RouterOS 7.14
/interface bridge
add name=bridge1 vlan-filtering=yes
/interface vlan
add interface=bridge1 name=MGMT vlan-id=99
add interface=bridge1 name=vlan10 vlan-id=10
/interface bridge port
add bridge=bridge1 interface=ether1
/interface bridge vlan
add bridge=bridge1 tagged=bridge1,ether1 vlan-ids=99
add bridge=bridge1 tagged=bridge1,ether1 vlan-ids=10
/ip dhcp-client
add interface=MGMT
add add-default-route=no interface=vlan10 use-peer-dns=no use-peer-ntp=no
`
	p = importText(t, sw)
	if len(p.WANs) != 1 || p.WANs[0].Interface != "MGMT" || p.WANs[0].Kind != "dhcp" {
		t.Errorf("switch: WANs %+v", p.WANs)
	}
	if notes := strings.Join(p.Notes, "\n"); strings.Contains(notes, "vlan10 looks like a WAN") {
		t.Errorf("switch: the route-less client is noted as a second line: %q", p.Notes)
	}

	// Nothing else: the route-less clients are the WANs, and say why.
	routed := `# by RouterOS 6.43.8
/ip address
add address=192.168.121.1/24 interface=ether1 network=192.168.121.0
/ip dhcp-client
add add-default-route=no disabled=no interface=ether3
`
	p = importText(t, routed)
	if len(p.WANs) != 1 || p.WANs[0].Interface != "ether3" || !strings.Contains(p.WANs[0].Why, "adds no default route") {
		t.Errorf("no other sign: WANs %+v", p.WANs)
	}

	// Control: a client that adds its default route is a WAN beside the
	// static one (a dual-WAN router).
	p = importText(t, strings.Replace(static, "add add-default-route=no interface=vlan10", "add interface=vlan10", 1))
	if len(p.WANs) != 2 || p.WANs[0].Interface != "vlan10" || p.WANs[1].Interface != "ether1" {
		t.Errorf("control: WANs %+v", p.WANs)
	}
}

// TestCAPUplinkOnBridgePort: a CAP (defconf's CAP mode: ether1 in the WAN
// list and a port of its bridge, no default route, no client, no NAT)
// with its address on ether1 is refused for its uplink, said to be an
// access point's, not as a question of which port is the WAN (realcheck18
// D11). Control: with a default route it stays the WAN question.
func TestCAPUplinkOnBridgePort(t *testing.T) {
	capText := `# by RouterOS 7.12.1
/interface bridge
add name=bridge1
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge1 interface=ether1
add bridge=bridge1 interface=ether2
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=LAN
/ip address
add address=172.18.2.20/24 interface=ether1 network=172.18.2.0
`
	err := importErr(t, capText)
	if err == nil || !strings.Contains(err.Error(), "the uplink has no usable address: ether1's address 172.18.2.20/24 is on a port of bridge bridge1") ||
		!strings.Contains(err.Error(), "as an access point, a CAP or a switch has") || strings.Contains(err.Error(), "cannot tell which port is the WAN") || !errors.Is(err, ErrNotARouter) {
		t.Errorf("CAP: %v", err)
	}
	err = importErr(t, capText+"/ip route\nadd gateway=172.18.2.1\n")
	if err == nil || !strings.Contains(err.Error(), "cannot tell which port is the WAN") || errors.Is(err, ErrNotARouter) {
		t.Errorf("control: %v", err)
	}
}

// TestDHCPNoRouteWordsStaticDefault (realcheck22 D6): DHCP clients with
// add-default-route=no beside a static default route by a gateway no
// address of the export holds (an RB951's backup route by 192.168.2.1):
// the WAN line names that route instead of saying there is none. Control:
// without the route the line still says no port holds one.
func TestDHCPNoRouteWordsStaticDefault(t *testing.T) {
	text := `# 2023-11-04 10:00:00 by RouterOS 7.12.1
/ip address
add address=192.168.88.1/24 interface=ether3 network=192.168.88.0
/ip dhcp-client
add add-default-route=no interface=ether1
add add-default-route=no interface=ether2
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
/ip route
add comment="Backup WAN" distance=2 dst-address=0.0.0.0/0 gateway=192.168.2.1
`
	p := importText(t, text)
	if len(p.WANs) == 0 {
		t.Fatalf("no WAN: %+v", p.Notes)
	}
	why := p.WANs[0].Why
	if strings.Contains(why, "no port holds one") || !strings.Contains(why, "line 10's default route by 192.168.2.1 is on no address of the export") {
		t.Errorf("WAN line with a static default route: %q", why)
	}
	p = importText(t, strings.Replace(text, "add comment=\"Backup WAN\" distance=2 dst-address=0.0.0.0/0 gateway=192.168.2.1\n", "add dst-address=10.9.0.0/16 gateway=192.168.88.2\n", 1))
	if len(p.WANs) == 0 || !strings.Contains(p.WANs[0].Why, "and no port holds one") {
		t.Errorf("control without a default route: %+v", p.WANs)
	}
}
