package check

import (
	"strings"
	"testing"
)

// notWANList is realcheck26's m3: ether1 the DHCP WAN in list WAN, a LAN
// bridge with its DHCP server, and MikroTik's "NOT-WAN" list (include=all
// exclude=WAN) used only by the MAC server.
const notWANList = `# 2026-10-09 18:26:38 by RouterOS 7.23.7
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LAN
add exclude=WAN include=all name=NOT-WAN
/ip pool
add name=lan-pool ranges=192.168.88.10-192.168.88.100
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=ether1 list=WAN
add interface=bridge list=LAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip dhcp-server
add address-pool=lan-pool interface=bridge name=lan-dhcp
/ip dhcp-server network
add address=192.168.88.0/24 dns-server=192.168.88.1 gateway=192.168.88.1
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/tool mac-server mac-winbox
set allowed-interface-list=NOT-WAN
`

// TestNotWANListIsNoWAN (realcheck26 D1): a list whose name contains
// "wan" but whose membership is everything but the WAN (include=all
// exclude=WAN), or whose name negates it, holds no WAN: the bridge stays
// the LAN, no "DHCP server runs on the WAN" finding, no fix disabling the
// LAN's DHCP server. Controls: the same list renamed MGMT-ALL reads the
// same; a list named WAN2 with its own member is still a WAN list; a
// list NOT-LAN built the same way does not make the WAN a LAN.
func TestNotWANListIsNoWAN(t *testing.T) {
	for _, text := range []string{notWANList, strings.ReplaceAll(notWANList, "NOT-WAN", "MGMT-ALL"),
		// A negated name with its own member is no WAN list either.
		strings.Replace(notWANList, "add exclude=WAN include=all name=NOT-WAN", "add name=NOT-WAN", 1) + "/interface list member\nadd interface=bridge list=NOT-WAN\n"} {
		p := importText(t, text)
		if len(p.WANs) != 1 || p.WANs[0].Interface != "ether1" {
			t.Errorf("WANs %+v", p.WANs)
		}
		if len(p.Segments) != 1 || p.Segments[0].Interface != "bridge" {
			t.Errorf("segments %+v", p.Segments)
		}
		// The export's one real problem is its DNS: the LAN's DHCP
		// network hands out the router, which answers no other host
		// (forum51 D1); nothing is said of a WAN.
		found, _ := p.Diagnose()
		if len(found) != 1 || found[0].Cause != DHCPResolverOff {
			t.Errorf("findings: %+v", found)
		}
	}
	// Control: a second WAN list by name, with its own member, is read
	// as before.
	wan2 := strings.Replace(notWANList, "add exclude=WAN include=all name=NOT-WAN", "add name=WAN2", 1) +
		"/interface list member\nadd interface=ether3 list=WAN2\n/ip address\nadd address=198.51.100.2/30 interface=ether3 network=198.51.100.0\n"
	p := importText(t, wan2)
	var got []string
	for _, w := range p.WANs {
		got = append(got, w.Interface)
	}
	if strings.Join(got, ",") != "ether1,ether3" {
		t.Errorf("WAN2 list: WANs %v", got)
	}
	// Control: "NOT-LAN" (everything but the LAN) does not make ether1 a
	// LAN interface, which would hide its DHCP client.
	notLAN := strings.Replace(strings.Replace(notWANList, "add exclude=WAN include=all name=NOT-WAN", "add exclude=LAN include=all name=NOT-LAN", 1), "/interface list member\nadd interface=ether1 list=WAN\n", "/interface list member\n", 1)
	p = importText(t, notLAN)
	if len(p.WANs) != 1 || p.WANs[0].Interface != "ether1" {
		t.Errorf("NOT-LAN: WANs %+v", p.WANs)
	}
}
