package check

import (
	"strings"
	"testing"
)

// The forum's commonest LTE router: an ethernet WAN by DHCP and the modem
// as its backup, both in the WAN list (an LtAP's setup script found on
// GitHub has this shape: ether1 and lte1 in WAN, masquerade
// out-interface-list=WAN, a DHCP client on ether1), and the APN profile
// giving the modem's default route a distance of the user's, which says
// the modem is used (lteUse).
const lteBackupWAN = `# 2026-01-10 10:00:00 by RouterOS 7.18.2
# model = RBLtAP-2HnD
/interface lte
set [ find default-name=lte1 ] allow-roaming=no disabled=no network-mode=lte
/interface lte apn
set [ find default=yes ] apn=m2mglobal default-route-distance=3 name=default
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=ether1 list=WAN
add interface=lte1 list=WAN
add interface=bridge list=LAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall filter
add action=accept chain=forward connection-state=established,related,untracked
add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`

// The modem beside an ethernet WAN is a second WAN on a lab port of its
// own: the dual-WAN reading sees it (the main WAN's default route watches
// nothing; a backup without masquerade), and the lab fails ether1 over to
// it. Before, lte1 stayed set aside and the export was a one-WAN router
// (WANs = [ether1], no failover gap). Controls: the modem named but not a
// WAN, and a modem switched off, leave ether1 alone; --map keeps the
// user's pick.
func TestLTEBackupWANStandIn(t *testing.T) {
	p := importText(t, lteBackupWAN)
	if len(p.WANs) != 2 || p.WANs[0].Interface != "ether1" || p.WANs[1].Interface != "lte1" || p.WANs[1].Port != "lte1" {
		t.Fatalf("WANs = %+v, want ether1 and lte1's stand-in", p.WANs)
	}
	if m := p.mainWAN(); m != 0 {
		t.Errorf("main WAN %d, want ether1 (distance 1 against the APN profile's 3)", m)
	}
	if !strings.Contains(p.RSC, "add add-default-route=yes default-route-distance=3 disabled=no interface=lte1 use-peer-dns=yes") {
		t.Errorf("RSC lacks the stand-in's client:\n%s", p.RSC)
	}
	if !hasNote(p.failoverGaps, "the main WAN ether1's default route (line 21) does not watch its gateway") {
		t.Errorf("no failover gap for the unwatched main route: %q", p.failoverGaps)
	}
	cs, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cs.YAML, "  - action: link-down\n    interface: ether1\n") {
		t.Errorf("no failover phase pulling ether1:\n%s", cs.YAML)
	}

	// One masquerade, out of ether1: the backup has none.
	q := importText(t, strings.Replace(lteBackupWAN, "out-interface-list=WAN", "out-interface=ether1", 1))
	if !hasNote(q.failoverGaps, "leaving by lte1, the backup default route sends traffic to when the main WAN fails, finds no srcnat rule") {
		t.Errorf("no failover gap for the backup's missing masquerade: %q", q.failoverGaps)
	}

	for name, text := range map[string]string{
		"not a WAN": strings.Replace(lteBackupWAN, "add interface=lte1 list=WAN\n", "", 1),
		"off":       strings.Replace(lteBackupWAN, "allow-roaming=no disabled=no", "allow-roaming=no disabled=yes", 1),
	} {
		c := importText(t, text)
		if len(c.WANs) != 1 || c.WANs[0].Interface != "ether1" || c.port("lte1") != nil {
			t.Errorf("control %s: WANs = %+v, want ether1 alone", name, c.WANs)
		}
	}
	m := importWith(t, lteBackupWAN, Options{Map: map[string]string{"ether1": "wan"}})
	if len(m.WANs) != 1 || m.port("lte1") != nil {
		t.Errorf("control --map ether1=wan: WANs = %+v, want ether1 alone", m.WANs)
	}
}

// --map ether6=wan copies lte1's WAN list member for ether6 on the
// member's line, which stays set aside: the re-render by line that
// Refusals does (keeper) dropped the copy, and the lab's WAN list lost the
// port. The control: the member check did not copy stays out.
func TestMapCopiedMemberKept(t *testing.T) {
	const src = `# 2026-04-03 19:05:28 by RouterOS 7.20
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether1
/interface list member
add interface=bridge list=LAN
add interface=lte1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
	p := importWith(t, src, Options{Map: map[string]string{"ether6": "wan"}})
	p.render(p.export, p.keeper(p.export))
	if !strings.Contains(p.RSC, "/interface list member add interface=ether6 list=WAN") {
		t.Errorf("rendered again by the keeper, the lab's WAN list lost ether6:\n%s", p.RSC)
	}
	if strings.Contains(p.RSC, "interface=lte1 list=WAN") {
		t.Errorf("the set-aside member came back:\n%s", p.RSC)
	}
}

// An LTE main WAN beside an ethernet backup: the finding on its default
// route cited the /interface lte line (line 4) and proposed
// "/ip dhcp-client set [find interface=lte1] check-gateway=ping", a client
// the user's router does not have. It cites the APN profile the route
// comes from (line 6), says the lab's client is the stand-in's, and fixes
// the profile. The control, an ethernet main WAN by DHCP, keeps its
// client's line and fix.
func TestLTEMainWANWatchFix(t *testing.T) {
	text := strings.Replace(lteBackupWAN, "/ip dhcp-client\nadd interface=ether1\n", "/ip dhcp-client\nadd default-route-distance=5 interface=ether1\n", 1)
	p := importText(t, text)
	if p.mainWAN() < 0 || p.WANs[p.mainWAN()].Interface != "lte1" {
		t.Fatalf("WANs %+v, want lte1 main", p.WANs)
	}
	if !hasNote(p.failoverGaps, "the main WAN lte1's default route (line 6) does not watch its gateway",
		"its route is the APN profile default's (line 6; the lab's stand-in DHCP client carries it)",
		"/interface lte apn set [ find where name=default ] add-default-route=no") {
		t.Errorf("failover gap: %q", p.failoverGaps)
	}
	// The silent ISP's example is the LTE link's, not an ethernet
	// modem's (f63); the ethernet control keeps the modem.
	if !hasNote(p.failoverGaps, "(an LTE link that stays up while the mobile network passes nothing)") || hasNote(p.failoverGaps, "keeps its Ethernet up") {
		t.Errorf("silent ISP's example on an LTE main WAN: %q", p.failoverGaps)
	}
	// No APN profile line (the default profile untouched): the client
	// carries the WAN list member's line 14, which is no profile's.
	// A masquerade out of lte1 says the modem is used (lteUse).
	noAPN := importText(t, strings.Replace(text, "/interface lte apn\nset [ find default=yes ] apn=m2mglobal default-route-distance=3 name=default\n", "", 1)+"add action=masquerade chain=srcnat out-interface=lte1\n")
	if !hasNote(noAPN.failoverGaps, "the main WAN lte1's default route (line 14)",
		"its route is the APN profile default's (RouterOS's defaults, which the export does not print; the lab's stand-in DHCP client carries it)") {
		t.Errorf("no APN profile line: failover gap: %q", noAPN.failoverGaps)
	}
	ctl := importText(t, lteBackupWAN)
	if !hasNote(ctl.failoverGaps, "the main WAN ether1's default route (line 21)", "a DHCP client before RouterOS 7.19 cannot watch its gateway", "(a modem that keeps its Ethernet up)") {
		t.Errorf("control: failover gap: %q", ctl.failoverGaps)
	}
}

// A route by a station radio's interface (gateway=wlan1) keeps the
// Ethernet-gateway note and its ISP answers no ARP for others: a station
// is an Ethernet-like link that resolves every next hop by ARP, as a bond
// is, unlike the LTE interface (TestLTEWANStandInInterfaceRoute). The
// stand-in models the router here, so the lab shows what the user's
// router would do behind an access point without proxy ARP.
func TestStationWANInterfaceRoute(t *testing.T) {
	rsc := strings.Replace(stationWAN, "/ip dhcp-client\nadd disabled=no interface=wlan1\n",
		"add address=10.20.30.2/24 interface=wlan1 network=10.20.30.0\n/ip route\nadd dst-address=0.0.0.0/0 gateway=wlan1\n", 1)
	if rsc == stationWAN {
		t.Fatal("stationWAN has no DHCP client line to replace")
	}
	p := importText(t, rsc)
	if len(p.WANs) != 1 || p.WANs[0].Interface != "wlan1" {
		t.Fatalf("WANs = %+v, want wlan1", p.WANs)
	}
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.YAML, "proxy-arp") || !hasNote(p.Notes, "gateway=wlan1, an Ethernet interface, not an address") {
		t.Errorf("wlan1: proxy-arp in the case %v, notes %q; want no proxy ARP and the note", strings.Contains(c.YAML, "proxy-arp"), p.Notes)
	}
}

// A modem in the WAN list beside an ethernet WAN is a second WAN only when
// the export shows it used as one (lteUse). The control is the defconf of
// a hAP ac³ LTE or LtAP with no SIM in use: lte1 in the WAN list, the APN
// profile untouched. Before, it too became a second WAN (WANs [ether1
// lte1]), with a failover gap on ether1's route and a failover phase; now
// ether1 alone, and a note says lte1 is set aside and how to pick it. An
// APN with add-default-route=no or a passthrough one is no second WAN
// either (before: WANs [ether1 lte1]) unless a route goes by lte1. Signs
// of use besides the APN distance: a route, a masquerade or a netwatch
// naming lte1, a carrier's APN name, ether1's default route put behind
// the profile's distance 2.
func TestLTESecondWANNeedsUse(t *testing.T) {
	apn := "/interface lte apn\nset [ find default=yes ] apn=m2mglobal default-route-distance=3 name=default\n"
	defconf := strings.Replace(lteBackupWAN, apn, "", 1)
	alone := func(name, text, why string) {
		t.Helper()
		p := importText(t, text)
		if len(p.WANs) != 1 || p.WANs[0].Interface != "ether1" || p.port("lte1") != nil {
			t.Errorf("%s: WANs = %+v, want ether1 alone", name, p.WANs)
		}
		if !hasNote(p.Notes, "lte1, an LTE modem, is in the WAN list WAN (line ", why, "leaves it set aside", "--map ether1=wan,lte1=wan2 puts a lab port in its place beside them") {
			t.Errorf("%s: no set-aside note: %q", name, p.Notes)
		}
		if len(p.failoverGaps) != 0 {
			t.Errorf("%s: failover gaps %q, want none", name, p.failoverGaps)
		}
		cs, err := p.Case(Fix{})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(cs.YAML, "action: link-down") {
			t.Errorf("%s: a failover phase:\n%s", name, cs.YAML)
		}
	}
	second := func(name, text string) {
		t.Helper()
		p := importText(t, text)
		if len(p.WANs) != 2 || p.WANs[1].Interface != "lte1" || p.WANs[1].Port != "lte1" {
			t.Errorf("%s: WANs = %+v, want ether1 and lte1's stand-in", name, p.WANs)
		}
		if hasNote(p.Notes, "leaves it set aside") {
			t.Errorf("%s: the set-aside note with lte1 a WAN: %q", name, p.Notes)
		}
	}
	alone("defconf", defconf, "nothing else in the export uses lte1")
	alone("add-default-route=no", strings.Replace(lteBackupWAN, "default-route-distance=3", "add-default-route=no", 1), "its APN profile adds no default route (add-default-route=no)")
	alone("add-default-route=no with a masquerade", strings.Replace(lteBackupWAN, "default-route-distance=3", "add-default-route=no", 1)+"add action=masquerade chain=srcnat out-interface=lte1\n", "adds no default route")
	alone("passthrough", strings.Replace(lteBackupWAN, "default-route-distance=3", "passthrough-interface=ether2", 1), "passes the modem's address through to ether2")

	second("APN distance", lteBackupWAN)
	second("route by lte1", defconf+"/ip route\nadd distance=5 gateway=lte1\n")
	second("route by lte1, add-default-route=no", strings.Replace(lteBackupWAN, "default-route-distance=3", "add-default-route=no", 1)+"/ip route\nadd dst-address=10.0.0.0/8 gateway=lte1\n")
	second("masquerade", defconf+"add action=masquerade chain=srcnat out-interface=lte1\n")
	second("netwatch", defconf+"/tool netwatch\nadd down-script=\"/interface disable lte1\" host=8.8.8.8\n")
	second("carrier's APN", defconf+"/interface lte apn\nset [ find default=yes ] apn=internet.carrier.example name=default\n")
	second("ether1 behind the modem", strings.Replace(defconf, "/ip dhcp-client\nadd interface=ether1\n", "/ip dhcp-client\nadd default-route-distance=5 interface=ether1\n", 1))
	alone("ether1 at distance 2", strings.Replace(defconf, "/ip dhcp-client\nadd interface=ether1\n", "/ip dhcp-client\nadd default-route-distance=2 interface=ether1\n", 1), "nothing else in the export uses lte1")

	// The note's --map does what it says: both WANs, no note.
	m := importWith(t, defconf, Options{Map: map[string]string{"ether1": "wan", "lte1": "wan2"}})
	if len(m.WANs) != 2 || m.WANs[0].Interface != "ether1" || m.WANs[1].Port != "lte1" || hasNote(m.Notes, "leaves it set aside") {
		t.Errorf("--map ether1=wan,lte1=wan2: WANs = %+v, notes %q; want ether1 and lte1's port, no set-aside note", m.WANs, m.Notes)
	}
}
