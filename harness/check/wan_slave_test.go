package check

import (
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/export"
)

// A DHCP client on a port of the LAN bridge (a 7.18 wAP LTE kit's export,
// whose WAN is its LTE modem: "# DHCP client can not run on slave or
// passthrough interface!" above "add interface=ether1") is no WAN: it was
// taken for one, and the LAN was then diagnosed as lacking a masquerade
// on ether1. A DHCP client on a port outside the bridge stays the WAN.
func TestImportDHCPClientOnBridgePortIsNoWAN(t *testing.T) {
	base := `# 2025-04-20 16:18:22 by RouterOS 7.18.2
/interface bridge
add name=bridge-local
/interface bridge port
add bridge=bridge-local interface=ether1
add bridge=bridge-local interface=ether2
/ip address
add address=192.168.100.1/24 interface=bridge-local network=192.168.100.0
/ip dhcp-client
# DHCP client can not run on slave or passthrough interface!
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=lte1
`
	f, err := export.Read("lte.rsc", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	// The WAN is the modem the masquerade names, a lab port standing
	// for it (standinwan.go), not the bridge port's client.
	if p, err := Import(f, Options{}); err != nil || len(p.WANs) != 1 || p.WANs[0].Interface != "lte1" {
		t.Errorf("err %v: want lte1's stand-in the only WAN", err)
	}
	f, err = export.Read("wan.rsc", []byte(base+"/ip dhcp-client\nadd interface=ether3\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Import(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// lte1, which the masquerade names, is a second WAN beside it
	// (TestLTEBackupWANStandIn).
	if len(p.WANs) != 2 || p.WANs[0].Interface != "ether3" || p.WANs[0].Kind != "dhcp" || p.WANs[1].Interface != "lte1" {
		t.Errorf("WANs %+v, want the DHCP client on ether3, and lte1's stand-in", p.WANs)
	}
}

// A WAN list that holds only the LTE modem (a Chateau's defconf: lte1 in
// WAN, ether1 a port of the LAN bridge): the error named lte1 as set aside,
// where it said the export had no WAN interface list at all; a lab port
// now stands for it (standinwan.go). A WAN list that holds only a radio
// bridged into the LAN (a station-bridge client bridge) has no stand-in,
// and the error names it.
func TestImportWANListOfAnLTEModem(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.17.2
/interface bridge
add name=bridge
/interface lte
set [ find default-name=lte1 ] allow-roaming=no
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether1
add bridge=bridge interface=ether2
/interface list member
add interface=bridge list=LAN
add interface=lte1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
	f, err := export.Read("chateau.rsc", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Import(f, Options{})
	if err != nil || len(p.WANs) != 1 || p.WANs[0].Interface != "lte1" || p.WANs[0].Kind != "dhcp" {
		t.Errorf("err %v: want lte1's stand-in the WAN", err)
	}
	bridged := strings.NewReplacer("/interface lte\nset [ find default-name=lte1 ] allow-roaming=no\n", "/interface wifi\nset [ find default-name=wifi1 ] configuration.mode=station-bridge\n",
		"add bridge=bridge interface=ether2\n", "add bridge=bridge interface=ether2\nadd bridge=bridge interface=wifi1\n",
		"add interface=lte1 list=WAN", "add interface=wifi1 list=WAN").Replace(text)
	if f, err = export.Read("stationbridge.rsc", []byte(bridged)); err != nil {
		t.Fatal(err)
	}
	if _, err = Import(f, Options{}); err == nil || !strings.Contains(err.Error(), "the WAN interface list holds only wifi1, which a lab router cannot have") {
		t.Errorf("station-bridge: err %v", err)
	}
}

// A PPPoE client on a WAN bridge whose port is in the WAN list too, with a
// DHCP client on that port (a 6.46 hAP's export): the port is the PPPoE
// client's, not a second WAN. It was taken for a DHCP WAN of its own, the
// lab wired a second ISP to it and the run failed "router has no address
// on WAN-Bridge or pppoe-out1". A WAN list port outside the bridge stays a
// WAN.
func TestImportPPPoEOnWANBridgeCoversItsPorts(t *testing.T) {
	base := `# jan/02/2021 10:00:00 by RouterOS 6.46.4
/interface bridge
add name=LAN
add name=WAN-Bridge
/interface pppoe-client
add add-default-route=yes disabled=no interface=WAN-Bridge name=pppoe-out1 user=u password=p
/interface list
add name=WAN
/interface bridge port
add bridge=WAN-Bridge interface=ether5
add bridge=LAN interface=ether2
add bridge=WAN-Bridge interface=ether1
/interface list member
add interface=pppoe-out1 list=WAN
add interface=ether1 list=WAN
/ip address
add address=192.168.90.1/24 interface=LAN network=192.168.90.0
/ip dhcp-client
add disabled=no interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=1935 in-interface=pppoe-out1 protocol=tcp to-addresses=192.168.90.245
`
	p := loadText(t, base)
	if len(p.WANs) != 1 || p.WANs[0].Interface != "pppoe-out1" || p.WANs[0].Kind != "pppoe" {
		t.Errorf("WANs %+v, want only the PPPoE client", p.WANs)
	}
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	caseLoads(t, c)
	p = loadText(t, strings.Replace(base, "add bridge=WAN-Bridge interface=ether1\n", "", 1))
	if len(p.WANs) != 2 || p.WANs[1].Interface != "ether1" || p.WANs[1].Kind != "dhcp" {
		t.Errorf("WANs %+v, want ether1 outside the bridge to stay a DHCP WAN", p.WANs)
	}
}
