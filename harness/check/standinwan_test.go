package check

import (
	"slices"
	"strings"
	"testing"
)

// A home LTE router (a Chateau's or an LHG LTE's defconf shape): its WAN
// list holds only lte1, the modem a lab router does not have.
const lteOnlyWAN = `# 2026-01-10 10:00:00 by RouterOS 7.18.2
# model = D53G-5HacD2HnD
/interface bridge
add admin-mac=48:A9:8A:00:00:01 auto-mac=no comment=defconf name=bridge
/interface lte apn
add add-default-route=yes apn=internet default-route-distance=3 name=isp use-peer-dns=no
/interface lte
set [ find default-name=lte1 ] allow-roaming=no apn-profiles=isp band=""
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/ip pool
add name=default-dhcp ranges=192.168.88.10-192.168.88.254
/ip dhcp-server
add address-pool=default-dhcp interface=bridge name=defconf
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
add bridge=bridge comment=defconf interface=ether3
/interface list member
add comment=defconf interface=bridge list=LAN
add comment=defconf interface=lte1 list=WAN
/ip address
add address=192.168.88.1/24 comment=defconf interface=bridge network=192.168.88.0
/ip dhcp-server network
add address=192.168.88.0/24 comment=defconf dns-server=192.168.88.1 gateway=192.168.88.1
/ip dns
set allow-remote-requests=yes
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
add action=accept chain=forward comment="defconf: accept established,related, untracked" connection-state=established,related,untracked
add action=drop chain=forward comment="defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=8080 in-interface=lte1 protocol=tcp to-addresses=192.168.88.10 to-ports=80
`

// The LTE WAN is a lab port named lte1 that leases its address by a DHCP
// client with the APN profile's settings. It was refused, exit 2: "the WAN
// interface list holds only lte1, which a lab router cannot have (set
// aside)" (rc30's LHG LTE export). The control, the same router with an
// ethernet WAN beside the modem, is read as before: ether1 is the WAN and
// lte1's lines stay set aside.
func TestLTEWANStandIn(t *testing.T) {
	p := importText(t, lteOnlyWAN)
	if len(p.WANs) != 1 || p.WANs[0].Interface != "lte1" || p.WANs[0].Port != "lte1" || p.WANs[0].Kind != "dhcp" {
		t.Fatalf("WANs = %+v, want lte1 on the lab port lte1 by DHCP", p.WANs)
	}
	pt := p.port("lte1")
	if pt == nil || pt.Lab != "ether4" {
		t.Fatalf("port lte1 = %+v, want lab ether4", pt)
	}
	for _, want := range []string{
		"/interface ethernet set [ find default-name=ether4 ] name=lte1",
		"add add-default-route=yes default-route-distance=3 disabled=no interface=lte1 use-peer-dns=no",
		"add comment=defconf interface=lte1 list=WAN",
		"in-interface=lte1",
	} {
		if !strings.Contains(p.RSC, want) {
			t.Errorf("RSC lacks %q:\n%s", want, p.RSC)
		}
	}
	// Refusals renders again with the keeper, which goes by line: the
	// client, on the modem's line, was lost and the lab's WAN had no
	// address ("router has no address on lte1").
	p.render(p.export, p.keeper(p.export))
	if !strings.Contains(p.RSC, "interface=lte1 use-peer-dns=no") {
		t.Errorf("rendered again by the keeper, RSC lacks the stand-in's client:\n%s", p.RSC)
	}
	if strings.Contains(p.RSC, "/interface lte") {
		t.Errorf("RSC keeps the modem's lines:\n%s", p.RSC)
	}
	if !slices.ContainsFunc(p.Aside, func(a Aside) bool { return a.Menu == "interface lte apn" }) {
		t.Errorf("the APN profile is not set aside: %+v", p.Aside)
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool {
		return strings.Contains(n, "check's stand-in makes lte1 a lab port (lab ether4)") && strings.Contains(n, "from APN profile isp (line 6)")
	}) {
		t.Errorf("no note of the stand-in: %q", p.Notes)
	}
	if len(p.Forwards) != 1 {
		t.Errorf("forwards = %+v, want the dst-nat in on lte1", p.Forwards)
	}

	// The modem beside an ethernet WAN that the export does not use as
	// a WAN (the WAN list holds ether1): no stand-in. (One it uses as a
	// WAN too is a second WAN: TestLTEBackupWANStandIn.)
	ctl := importText(t, strings.Replace(lteOnlyWAN, "add comment=defconf interface=lte1 list=WAN\n",
		"add comment=defconf interface=ether1 list=WAN\n", 1)+"/ip dhcp-client\nadd comment=defconf interface=ether1\n")
	if len(ctl.WANs) != 1 || ctl.WANs[0].Interface != "ether1" {
		t.Errorf("control: WANs = %+v, want ether1 alone", ctl.WANs)
	}
	if ctl.port("lte1") != nil || strings.Contains(ctl.RSC, "interface=lte1 use-peer-dns") {
		t.Errorf("control: a stand-in for lte1 beside an ethernet WAN:\n%s", ctl.RSC)
	}
}

// --map lte1=wan picks the modem as the WAN even beside an ethernet one.
func TestLTEWANStandInMapped(t *testing.T) {
	text := strings.Replace(lteOnlyWAN, "add comment=defconf interface=lte1 list=WAN\n",
		"add comment=defconf interface=lte1 list=WAN\nadd comment=defconf interface=ether1 list=WAN\n", 1) + "/ip dhcp-client\nadd comment=defconf interface=ether1\n"
	p := importWith(t, text, Options{Map: map[string]string{"lte1": "wan"}})
	if len(p.WANs) != 1 || p.WANs[0].Interface != "lte1" || !strings.Contains(p.WANs[0].Why, "--map lte1=wan") {
		t.Errorf("WANs = %+v, want lte1 by --map", p.WANs)
	}
}

// stationWAN is a WISP client's export: the radio in station mode is the
// WAN, with the export's own DHCP client on it. TestStationWANInterfaceRoute
// gives the radio a static address and route instead.
const stationWAN = `# 2024-05-02 by RouterOS 6.49.10
/interface bridge
add name=bridge1
/interface wireless
set [ find default-name=wlan1 ] band=5ghz-a/n disabled=no mode=station ssid=WISP-AP
/interface list
add name=WAN
/interface bridge port
add bridge=bridge1 interface=ether1
/interface list member
add interface=wlan1 list=WAN
/ip address
add address=192.168.10.1/24 interface=bridge1 network=192.168.10.0
/ip dhcp-client
add disabled=no interface=wlan1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=wlan1
`

// A WISP client (stationWAN): the export's own DHCP client on the radio is
// kept by the stand-in (no second client).
func TestStationWANStandIn(t *testing.T) {
	rsc := stationWAN
	p := importText(t, rsc)
	if len(p.WANs) != 1 || p.WANs[0].Interface != "wlan1" || p.WANs[0].Kind != "dhcp" {
		t.Fatalf("WANs = %+v, want wlan1 by its own DHCP client", p.WANs)
	}
	if n := strings.Count(p.RSC, "interface=wlan1"); n != 3 {
		t.Errorf("RSC names wlan1 %d times, want 3 (list, client, masquerade):\n%s", n, p.RSC)
	}
	if strings.Contains(p.RSC, "/interface wireless") || strings.Contains(p.RSC, "use-peer-dns") {
		t.Errorf("RSC keeps the radio's line or adds a client:\n%s", p.RSC)
	}
	// A wireless line without mode= is a station, the menu's default (a
	// 6.41 mAP lite whose wlan1 takes its uplink from an access point).
	p = importText(t, strings.Replace(rsc, " mode=station ssid=WISP-AP", " ssid=WISP-AP", 1))
	if len(p.WANs) != 1 || p.WANs[0].Interface != "wlan1" {
		t.Errorf("default mode: WANs = %+v, want wlan1", p.WANs)
	}
	// A wifi radio whose configuration profile is a station's (RouterOS
	// 7.13+: /interface wifi configuration add mode=station).
	wifi := strings.NewReplacer("/interface wireless\nset [ find default-name=wlan1 ] band=5ghz-a/n disabled=no mode=station ssid=WISP-AP\n",
		"/interface wifi configuration\nadd country=Latvia mode=station name=cfg-sta ssid=WISP-AP\n/interface wifi\nset [ find default-name=wifi1 ] configuration=cfg-sta disabled=no\n",
		"wlan1", "wifi1", "RouterOS 6.49.10", "RouterOS 7.16").Replace(rsc)
	p = importText(t, wifi)
	if len(p.WANs) != 1 || p.WANs[0].Interface != "wifi1" {
		t.Errorf("wifi profile: WANs = %+v, want wifi1", p.WANs)
	}
	if err := importErr(t, strings.Replace(wifi, "mode=station name=cfg-sta", "mode=ap name=cfg-sta", 1)); err == nil {
		t.Errorf("a wifi access point's profile was stood in for")
	}
	// An access point's radio is no station: refused as before.
	if err := importErr(t, strings.Replace(rsc, " mode=station ", " mode=ap-bridge ", 1)); err == nil {
		t.Errorf("an ap-bridge radio was stood in for")
	}
	// Control: a station-bridge radio that is a bridge's port is that
	// bridge's uplink (a client bridge): no stand-in, refused as before.
	bridged := strings.Replace(rsc, "add bridge=bridge1 interface=ether1\n", "add bridge=bridge1 interface=ether1\nadd bridge=bridge1 interface=wlan1\n", 1)
	if err := importErr(t, bridged); err == nil {
		t.Errorf("a client bridge's radio was stood in for")
	}
}

// A CCR's WAN on an 802.3ad bond: the bond is the port; its slaves are not
// built. It was refused: "the export's WAN candidates are bonds".
func TestBondWANStandIn(t *testing.T) {
	const rsc = `# 2025-11-02 by RouterOS 7.20
/interface bonding
add mode=802.3ad name=bond-isp slaves=sfp-sfpplus1,sfp-sfpplus2
/interface list
add name=WAN
/interface list member
add interface=bond-isp list=WAN
/ip address
add address=203.0.113.2/30 interface=bond-isp network=203.0.113.0
add address=10.0.0.1/24 interface=ether2 network=10.0.0.0
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
	p := importText(t, rsc)
	if len(p.WANs) != 1 || p.WANs[0].Interface != "bond-isp" || p.WANs[0].Kind != "static" || p.WANs[0].Gateway.String() != "203.0.113.1" {
		t.Fatalf("WANs = %+v, want bond-isp static by 203.0.113.1", p.WANs)
	}
	if strings.Contains(p.RSC, "/interface bonding") || !strings.Contains(p.RSC, "name=bond-isp") {
		t.Errorf("RSC builds the bond or lacks the port's name:\n%s", p.RSC)
	}
	if !slices.ContainsFunc(p.Aside, func(a Aside) bool { return a.Line == 3 && strings.Contains(a.Reason, "stand-in") }) {
		t.Errorf("the bond's line is not set aside for the stand-in: %+v", p.Aside)
	}
}

// The DNS fix of an LTE WAN whose APN profile says use-peer-dns=no is the
// profile's: the user's router has no DHCP client on lte1 (the lab's
// stand-in has), and the fix said "/ip dhcp-client set [ find where
// interface=lte1 ] use-peer-dns=yes", which changes nothing there. The lab
// router, without /interface lte, tries it on the stand-in's client. The
// control, an ethernet DHCP WAN, keeps the client's line.
func TestLTEWANStandInDNSFix(t *testing.T) {
	p := importText(t, lteOnlyWAN)
	const apn = "/interface lte apn set [ find where name=isp ] use-peer-dns=yes"
	if got := p.upstreamFix(); got != apn {
		t.Errorf("upstream fix %q, want %q", got, apn)
	}
	lines, untried := p.labFix(Fix{Lines: []string{apn}})
	if len(untried) != 0 || len(lines) != 1 || lines[0] != "/ip dhcp-client set [ find where interface=lte1 ] use-peer-dns=yes" {
		t.Errorf("lab fix %q, untried %v: want the stand-in client's line", lines, untried)
	}
	ctl := importText(t, strings.NewReplacer("interface=lte1 list=WAN", "interface=ether1 list=WAN", "in-interface=lte1", "in-interface=ether1").Replace(lteOnlyWAN)+
		"/ip dhcp-client\nadd interface=ether1 use-peer-dns=no\n")
	if got := ctl.upstreamFix(); got != "/ip dhcp-client set [ find where interface=ether1 ] use-peer-dns=yes" {
		t.Errorf("control: upstream fix %q", got)
	}
}

// An LTE WAN's default route by the interface (gateway=lte1, as the LTE
// page of the manual writes it) is right on the router: the modem's link
// has no ARP. The note that an Ethernet gateway needs the ISP's proxy ARP
// was given for it, and in the lab the internet path timed out; the
// stand-in's ISP now answers ARP (proxy-arp: true) and the note is not
// given. The control, the same route by an ethernet WAN, keeps the note
// and an ISP without proxy ARP.
func TestLTEWANStandInInterfaceRoute(t *testing.T) {
	text := strings.Replace(lteOnlyWAN, "add add-default-route=yes apn=internet default-route-distance=3 name=isp use-peer-dns=no", "add add-default-route=no apn=internet name=isp", 1) +
		"/ip route\nadd dst-address=0.0.0.0/0 gateway=lte1\n"
	gwNote := func(p *Plan) bool {
		return slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "an Ethernet interface, not an address") })
	}
	p := importText(t, text)
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.YAML, "proxy-arp: true") || gwNote(p) {
		t.Errorf("lte1: proxy-arp in the case %v, Ethernet gateway note %v; want true, false", strings.Contains(c.YAML, "proxy-arp: true"), gwNote(p))
	}
	ctl := importText(t, strings.NewReplacer("interface=lte1 list=WAN", "interface=ether1 list=WAN", "gateway=lte1", "gateway=ether1").Replace(text)+"/ip dhcp-client\nadd interface=ether1 add-default-route=no\n")
	c, err = ctl.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.YAML, "proxy-arp") || !gwNote(ctl) {
		t.Errorf("control ether1: proxy-arp in the case %v, note %v; want false, true", strings.Contains(c.YAML, "proxy-arp"), gwNote(ctl))
	}
}
