package check

import (
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/export"
)

// A dual-WAN export without interface lists (the PCC wiki's shape, a
// RouterOS 6 router): the second line is known only by its default route
// in the main table (distance=2). It is a WAN, not a LAN with a routed
// public subnet, and its forward is diagnosed on it (here the PCC that
// classifies the server's answers). A routing-mark= default route is in
// its mark's table, not main: it picks no WAN of its own.
const backupWANExport = `# 2025-03-10 10:00:00 by RouterOS 6.49.10
/interface bridge
add name=bridge
/interface bridge port
add bridge=bridge interface=ether3
/ip address
add address=192.168.1.1/24 interface=bridge network=192.168.1.0
add address=198.51.100.2/30 interface=ether1 network=198.51.100.0
add address=203.0.113.2/30 interface=ether2 network=203.0.113.0
/ip route
add distance=1 gateway=203.0.113.1 routing-mark=to_WAN2
add check-gateway=ping distance=1 gateway=198.51.100.1
add check-gateway=ping distance=2 gateway=203.0.113.1
/ip firewall mangle
add action=mark-connection chain=prerouting connection-mark=no-mark dst-address-type=!local in-interface=bridge new-connection-mark=WAN1_conn per-connection-classifier=both-addresses:2/0
add action=mark-connection chain=prerouting connection-mark=no-mark dst-address-type=!local in-interface=bridge new-connection-mark=WAN2_conn per-connection-classifier=both-addresses:2/1
add action=mark-routing chain=prerouting connection-mark=WAN2_conn in-interface=bridge new-routing-mark=to_WAN2
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=masquerade chain=srcnat out-interface=ether2
add action=dst-nat chain=dstnat dst-port=8443 in-interface=ether2 protocol=tcp to-addresses=192.168.1.30
`

func TestBackupDefaultRouteIsWAN(t *testing.T) {
	p := importText(t, backupWANExport)
	var wans []string
	for _, w := range p.WANs {
		wans = append(wans, w.Interface)
	}
	if strings.Join(wans, ",") != "ether1,ether2" {
		t.Fatalf("WANs %q, want ether1 (main table, distance 1) and ether2 (distance 2)", wans)
	}
	if len(p.Forwards) != 1 {
		t.Fatalf("forwards: %+v (notes %q)", p.Forwards, p.Notes)
	}
	found, _ := p.Diagnose()
	ok := false
	for _, f := range found {
		ok = ok || f.Cause == PCCAnswers && f.Path == "internet via ether2"
	}
	if !ok {
		t.Errorf("no PCC finding on ether2: %+v", found)
	}
}

// A second default route through a LAN list's interface (a backup via an
// LTE box on the LAN) makes no WAN of the LAN.
func TestBackupDefaultRouteThroughLAN(t *testing.T) {
	text := strings.Replace(backupWANExport, "/ip address\n", "/interface list\nadd name=LAN\n/interface list member\nadd interface=bridge list=LAN\n/ip address\n", 1)
	text = strings.Replace(text, "add check-gateway=ping distance=2 gateway=203.0.113.1\n", "add check-gateway=ping distance=2 gateway=203.0.113.1\nadd distance=3 gateway=192.168.1.254\n", 1)
	p := importText(t, text)
	for _, w := range p.WANs {
		if w.Interface == "bridge" {
			t.Errorf("the LAN bridge taken for a WAN: %+v", p.WANs)
		}
	}
}

// Without interface lists, a backup route through the subnet of a
// forward's server (an LTE box on the LAN) makes no WAN of the LAN.
func TestBackupDefaultRouteThroughServerSubnet(t *testing.T) {
	text := strings.Replace(backupWANExport, "add check-gateway=ping distance=2 gateway=203.0.113.1\n", "add check-gateway=ping distance=2 gateway=203.0.113.1\nadd distance=3 gateway=192.168.1.254\n", 1)
	p := importText(t, text)
	for _, w := range p.WANs {
		if w.Interface == "bridge" {
			t.Errorf("the LAN bridge taken for a WAN: %+v", p.WANs)
		}
	}
}

// Two PPPoE ISPs that add their own default routes, and the export's only
// static default route, distance=20, to a router on the office LAN (its
// DHCP server's network): the LAN stays the LAN (it was taken for a WAN,
// and none of the forwards to its servers was probed). The control: with
// no PPPoE client the static route's port is the WAN, as before.
func TestFirstStaticDefaultRouteBehindPPPoE(t *testing.T) {
	const rsc = `# 2025-03-10 10:00:00 by RouterOS 6.49.10
/interface pppoe-client
add add-default-route=yes default-route-distance=2 disabled=no interface=ether2 name=pp-isp1 user=a password=b
/ip pool
add name=lan ranges=192.168.0.100-192.168.0.200
/ip dhcp-server
add address-pool=lan disabled=no interface=ether1 name=lan
/ip address
add address=192.168.0.253/24 interface=ether1 network=192.168.0.0
/ip dhcp-server network
add address=192.168.0.0/24 gateway=192.168.0.254
/ip route
add distance=20 gateway=192.168.0.252
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pp-isp1
add action=dst-nat chain=dstnat dst-port=8080 in-interface=pp-isp1 protocol=tcp to-addresses=192.168.0.3 to-ports=80
`
	wans := func(p *Plan) string {
		var out []string
		for _, w := range p.WANs {
			out = append(out, w.Interface)
		}
		return strings.Join(out, ",")
	}
	if got := wans(importText(t, rsc)); got != "pp-isp1" {
		t.Errorf("WANs %q, want pp-isp1 alone (ether1 is the office LAN)", got)
	}
	noPPPoE := strings.Replace(rsc, "add add-default-route=yes default-route-distance=2 disabled=no interface=ether2 name=pp-isp1 user=a password=b\n", "", 1)
	noPPPoE = strings.ReplaceAll(noPPPoE, "pp-isp1", "ether1")
	if got := wans(importText(t, noPPPoE)); !strings.Contains(got, "ether1") {
		t.Errorf("without the PPPoE client: WANs %q, want ether1 by its default route", got)
	}
}

// TestMapOverridesWANs: --map ether2=wan of a port under a PPPoE client
// makes the client the WAN (it was the bare port, leased by DHCP in the
// lab); --map ether1=lan takes a port the default route made a WAN out
// of the WANs, with a note. The control: without --map ether1 is a WAN.
func TestMapOverridesWANs(t *testing.T) {
	const rsc = `# 2025-03-10 10:00:00 by RouterOS 6.49.10
/interface pppoe-client
add add-default-route=yes default-route-distance=2 disabled=no interface=ether2 name=pp-isp1 user=a password=b
/ip address
add address=192.168.0.253/24 interface=ether1 network=192.168.0.0
add address=192.168.5.1/24 interface=ether3 network=192.168.5.0
/ip route
add distance=1 gateway=192.168.0.252
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pp-isp1
add action=dst-nat chain=dstnat dst-port=8080 in-interface=pp-isp1 protocol=tcp to-addresses=192.168.5.3 to-ports=80
`
	imp := func(m map[string]string) *Plan {
		f, err := export.Read("map.rsc", []byte(rsc))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Import(f, Options{Map: m})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	wans := func(p *Plan) string {
		var out []string
		for _, w := range p.WANs {
			out = append(out, w.Interface)
		}
		return strings.Join(out, ",")
	}
	if got := wans(imp(nil)); !strings.Contains(got, "ether1") {
		t.Errorf("without --map: WANs %q, want ether1 among them (the control)", got)
	}
	if got := wans(imp(map[string]string{"ether2": "wan"})); got != "pp-isp1" {
		t.Errorf("--map ether2=wan: WANs %q, want the PPPoE client pp-isp1", got)
	}
	p := imp(map[string]string{"ether1": "lan"})
	if got := wans(p); strings.Contains(got, "ether1") {
		t.Errorf("--map ether1=lan: WANs %q, want no ether1", got)
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "--map ether1=lan says otherwise") {
		t.Errorf("--map ether1=lan: no note in %q", p.Notes)
	}
}
