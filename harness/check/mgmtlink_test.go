package check

import (
	"strings"
	"testing"
)

// TestManagementLink (realcheck21 D6): a switch's management address
// (10.0.77.2/24 on a VLAN of the bridge whose DHCP client is the uplink,
// no DHCP server, no NAT rule anywhere) and a /30 transfer link of a
// router without NAT get no masquerade finding but a note. Controls keep
// the finding: the same switch with the address at .1 (a home router's
// LAN), or with a DHCP server on the VLAN, or with a NAT rule; and the
// transfer-link router's .1 LAN on a port of its own.
func TestManagementLink(t *testing.T) {
	const sw = `# by RouterOS 6.45.9
/interface bridge
add name=bridge vlan-filtering=yes
/interface vlan
add interface=bridge name=bridge.77 vlan-id=77
/interface bridge port
add bridge=bridge interface=ether1
add bridge=bridge interface=ether2 pvid=77
/interface bridge vlan
add bridge=bridge tagged=bridge untagged=ether2 vlan-ids=77
/ip address
add address=10.0.77.2/24 interface=bridge.77 network=10.0.77.0
/ip dhcp-client
add disabled=no interface=bridge
`
	p := importText(t, sw)
	found, _ := p.Diagnose()
	if got := withCause(found, NoMasquerade); len(got) != 0 || !hasNote(p.Notes, "bridge.77 (10.0.77.2/24) is taken as a management address", "on bridge bridge with the WAN bridge") {
		t.Errorf("switch: findings %+v, notes %q", got, p.Notes)
	}
	for name, text := range map[string]string{
		"address .1":  strings.Replace(sw, "10.0.77.2/24", "10.0.77.1/24", 1),
		"DHCP server": sw + "/ip pool\nadd name=p77 ranges=10.0.77.100-10.0.77.200\n/ip dhcp-server\nadd address-pool=p77 disabled=no interface=bridge.77 name=d77\n",
		"a NAT rule":  sw + "/ip firewall nat\nadd action=dst-nat chain=dstnat dst-port=2222 protocol=tcp to-addresses=10.0.77.9 to-ports=22\n",
	} {
		p := importText(t, text)
		found, _ := p.Diagnose()
		if got := withCause(found, NoMasquerade); len(got) != 1 || hasNote(p.Notes, "is taken as a management address") {
			t.Errorf("control %s: findings %+v, notes %q", name, found, p.Notes)
		}
	}

	const link = `# by RouterOS 7.21.5
/ip address
add address=10.0.0.18/30 interface=ether1 network=10.0.0.16
add address=10.0.0.26/30 interface=ether2 network=10.0.0.24
add address=192.168.10.1/24 interface=ether3 network=192.168.10.0
/ip route
add gateway=10.0.0.17
`
	p = importText(t, link)
	found, _ = p.Diagnose()
	got := withCause(found, NoMasquerade)
	if len(got) != 1 || got[0].Path != "lan-internet:ether3" || !hasNote(p.Notes, "ether2 (10.0.0.26/30) is taken as a transfer link") {
		t.Errorf("transfer link: findings %+v, notes %q", got, p.Notes)
	}
}

// TestManagementPortSwitch (realcheck23 D4, mini m2 reduced from a 7.18.1
// switch's export): the only address a host's (.10) on a bridge of ports,
// the DHCP client on a port of its own (ether1_MGMT), no DHCP server,
// route, filter or NAT rule. It is a switch managed out of band, not a
// router whose LAN lacks a masquerade. Controls keep the finding: a DHCP
// server on the bridge, a static route, a filter rule, the address on a
// port of its own instead of a bridge.
func TestManagementPortSwitch(t *testing.T) {
	const sw = `# 2025-04-19 23:42:52 by RouterOS 7.18.1
/interface bridge
add name=bridge_LAN
/interface ethernet
set [ find default-name=ether1 ] name=ether1_MGMT
/interface bridge port
add bridge=bridge_LAN interface=ether2
add bridge=bridge_LAN interface=ether3
/ip address
add address=192.168.88.10/24 interface=bridge_LAN network=192.168.88.0
/ip dhcp-client
add interface=ether1_MGMT
`
	p := importText(t, sw)
	found, _ := p.Diagnose()
	if got := withCause(found, NoMasquerade); len(got) != 0 || !hasNote(p.Notes, "bridge_LAN (192.168.88.10/24) is taken as a management address", "its WAN ether1_MGMT is a port of its own outside the bridge") {
		t.Errorf("switch: findings %+v, notes %q", got, p.Notes)
	}
	for name, text := range map[string]string{
		"DHCP server": sw + "/ip pool\nadd name=p ranges=192.168.88.100-192.168.88.200\n/ip dhcp-server\nadd address-pool=p disabled=no interface=bridge_LAN name=d\n",
		"a route":     sw + "/ip route\nadd dst-address=10.9.0.0/16 gateway=192.168.88.1\n",
		"a filter":    sw + "/ip firewall filter\nadd action=drop chain=forward connection-state=invalid\n",
		"own port":    strings.Replace(strings.Replace(sw, "add bridge=bridge_LAN interface=ether2\n", "", 1), "interface=bridge_LAN network", "interface=ether2 network", 1),
	} {
		p := importText(t, text)
		found, _ := p.Diagnose()
		if got := withCause(found, NoMasquerade); len(got) != 1 || hasNote(p.Notes, "is taken as a management address") {
			t.Errorf("control %s: findings %+v, notes %q", name, found, p.Notes)
		}
	}
}
