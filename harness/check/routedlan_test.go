package check

import (
	"bytes"
	"strings"
	"testing"
)

// routedDMZ is forum47's e8: a static /30 transfer network, a private LAN
// the router masquerades, and a public /29 on a DMZ bridge whose hosts
// leave with their own addresses; a forward accept opens one host's
// HTTPS. %s is the DMZ's address line (empty: no DMZ, the control).
const routedDMZ = `# jan/02/2025 10:00:00 by RouterOS 7.16.2
/interface bridge
add name=bridge
add name=dmz
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
add bridge=dmz interface=ether3
/interface list member
add interface=bridge list=LAN
add interface=dmz list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/30 interface=ether1 network=203.0.113.0
%s/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input connection-state=invalid
add action=drop chain=input in-interface-list=!LAN
add action=accept chain=forward connection-state=established,related,untracked
add action=drop chain=forward connection-state=invalid
add action=accept chain=forward dst-address=203.0.113.10 protocol=tcp dst-port=443 in-interface=ether1
add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN src-address=192.168.88.0/24
/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.1
`

// TestRoutedPublicLAN (forum47 D2): the lab's ISP routes a public /29 on
// a DMZ bridge to the router's WAN address, as the real ISP does, and the
// DMZ's way out is probed from its own host: before, the lab had no route
// to it, probed nothing there and said "no problem found". The forward
// accept of a DMZ host's port is named in a note as not probed. Control:
// without the DMZ the lab is as it was (no route, one way out probed).
func TestRoutedPublicLAN(t *testing.T) {
	for _, tt := range []struct {
		name, dmz string
		want      bool
	}{
		{"public DMZ", "add address=203.0.113.9/29 interface=dmz network=203.0.113.8\n", true},
		{"no DMZ", "", false},
	} {
		p := loadText(t, strings.Replace(routedDMZ, "%s", tt.dmz, 1))
		found, _ := p.Diagnose()
		c, err := p.Case(p.Propose(found))
		if err != nil {
			t.Fatal(err)
		}
		route := strings.Contains(c.YAML, "routes: [{to: 203.0.113.8/29, via: 203.0.113.2}]")
		ways := strings.Count(c.YAML, "to: peer:12566")
		dmzWay := strings.Contains(c.YAML, "from: client2\n    to: peer:12566")
		note := strings.Contains(strings.Join(p.Notes, "\n"), "line 25 lets the internet's connections in to 203.0.113.10")
		if tt.want && (!route || !dmzWay || ways != 2 || !note) {
			t.Errorf("%s: route %v, DMZ's way out probed %v, ways out %d (want 2: one per segment, no fix to run), accept noted %v\n%s\n%v", tt.name, route, dmzWay, ways, note, c.YAML, p.Notes)
		}
		if !tt.want && (route || dmzWay || ways != 1 || note) {
			t.Errorf("%s: route %v, DMZ's way out probed %v, ways out %d (want 1), accept noted %v\n%s", tt.name, route, dmzWay, ways, note, c.YAML)
		}
	}
}

// TestUnroutedPublicLAN (rc28 D2): a public /26 on the LAN behind a
// PPPoE WAN. The lab's PPPoE ISP routes no block to the router, so the
// LAN's way out failed in the lab, with the fix too, inviting a masquerade
// the user does not need: it is not probed, and a note says why. Control:
// a private LAN behind the same WAN keeps its probe and gets no note.
func TestUnroutedPublicLAN(t *testing.T) {
	const export = `# jan/02/2025 10:00:00 by RouterOS 6.47.8
/interface bridge
add name=aa
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=AAISP user=u@a.1
/interface bridge port
add bridge=aa interface=ether2
/ip address
add address=%s interface=aa
/ip firewall filter
add action=accept chain=forward connection-state=established,related
add action=drop chain=forward in-interface=AAISP
`
	for _, tt := range []struct {
		name, addr string
		want       bool
	}{
		{"public LAN", "81.187.180.129/26 network=81.187.180.128", true},
		{"private LAN", "192.168.88.1/24 network=192.168.88.0", false},
	} {
		text := strings.Replace(export, "%s", tt.addr, 1)
		if !tt.want {
			text += "/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=AAISP\n"
		}
		p := loadText(t, text)
		found, _ := p.Diagnose()
		c, err := p.Case(p.Propose(found))
		if err != nil {
			t.Fatal(err)
		}
		probed := strings.Contains(c.YAML, "to: peer:12566")
		note := strings.Contains(strings.Join(p.Notes, "\n"), "the lab's PPPoE ISP routes no block")
		if probed == tt.want || note != tt.want {
			t.Errorf("%s: way out probed %v, note %v\n%s\n%v", tt.name, probed, note, c.YAML, p.Notes)
		}
	}
}

// TestUnexplainedWayOut: a LAN's way out that the lab broke while the
// rules name no cause reads "broken, cause not identified" in the verdict
// and the console's diagnosis, never "no problem found" (the DMZ's way
// out of TestRoutedPublicLAN, now probed, has no finding to fail with).
// Control: the same probe answered by the internet's peer keeps the
// all-clear.
func TestUnexplainedWayOut(t *testing.T) {
	p := loadText(t, strings.Replace(routedDMZ, "%s", "add address=203.0.113.9/29 interface=dmz network=203.0.113.8\n", 1))
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	if Problems(found) != 0 {
		t.Fatalf("the export must have no finding: %v", found)
	}
	for _, tt := range []struct {
		name, result, by string
		code             int
	}{
		{"timeout", "timeout", "", 1},
		{"answered", "ok", "peer", 0},
	} {
		outs := []Outcome{
			{Probe: Probe{Forward: -1, Path: lanReachPrefix + "bridge", Phase: "before", From: "client1", To: "peer:12566", Kind: "tcp", Want: "peer"}, Result: "ok", By: "peer"},
			{Probe: Probe{Forward: -1, Path: lanReachPrefix + "dmz", Phase: "before", From: "client2", To: "peer:12566", Kind: "tcp", Want: "peer"}, Result: tt.result, By: tt.by},
		}
		word, text, code := p.LabVerdict(found, fx, outs)
		var b bytes.Buffer
		PrintLabFindings(&b, p, found, fx, outs)
		if code != tt.code {
			t.Errorf("%s: verdict %s (%d): %s", tt.name, word, code, text)
		}
		if tt.code == 1 && (!strings.Contains(text, "cause not identified") || !strings.Contains(text, "from dmz: timeout") ||
			!strings.Contains(b.String(), "cause not identified") || strings.Contains(b.String(), "no problem found")) {
			t.Errorf("%s: verdict %q, console:\n%s", tt.name, text, b.String())
		}
		if tt.code == 0 && strings.Contains(b.String(), "cause not identified") {
			t.Errorf("%s: console:\n%s", tt.name, b.String())
		}
	}
}

// TestBorrowedPublicLAN (realcheck33 C1): a public /24 behind a PPPoE
// WAN's masquerade is someone else's range used as private space far more
// often than a block the ISP routes to a one-address line; the no-NAT
// exemption check proposed took the LAN off the internet. It is named as
// borrowed, the masquerade kept, no exemption given, and the LAN's way out
// probed like a private LAN's. Controls: the same LAN behind a static
// public WAN, or behind the PPPoE WAN of a router with a BGP session (an
// ISP's edge, whose blocks are its own), keeps the routed block's
// exemption.
func TestBorrowedPublicLAN(t *testing.T) {
	const export = `# jan/02/2025 10:00:00 by RouterOS 6.42.1
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=TELKOM user=u
/ip address
add address=11.254.11.1/24 interface=ether2 network=11.254.11.0
%s/ip firewall nat
add action=masquerade chain=srcnat out-interface=%s
`
	for _, tt := range []struct {
		name, wan, out string
		borrowed       bool
	}{
		{"PPPoE WAN", "", "TELKOM", true},
		{"static public WAN", "add address=198.18.7.2/30 interface=ether1 network=198.18.7.0\n/ip route\nadd gateway=198.18.7.1\n/ip address\n", "ether1", false},
		{"PPPoE WAN of a BGP speaker", "/routing bgp connection\nadd as=65010 local.role=ebgp name=up remote.address=198.18.9.1 remote.as=3356\n/ip address\n", "TELKOM", false},
	} {
		text := strings.Replace(strings.Replace(export, "%s", tt.wan, 1), "%s", tt.out, 1)
		if !tt.borrowed && tt.out == "ether1" {
			text = strings.Replace(text, "/interface pppoe-client\nadd add-default-route=yes disabled=no interface=ether1 name=TELKOM user=u\n", "", 1)
		}
		p := loadText(t, text)
		found, _ := p.Diagnose()
		c, err := p.Case(p.Propose(found))
		if err != nil {
			t.Fatal(err)
		}
		notes := strings.Join(p.Notes, "\n")
		exempt := strings.Contains(notes, "action=accept src-address=11.254.11.0/24")
		named := strings.Contains(notes, "ether2 uses the public range 11.254.11.0/24 behind TELKOM, a PPPoE WAN") && strings.Contains(notes, "line 7 translates its hosts")
		probed := strings.Contains(c.YAML, "to: peer:12566")
		if tt.borrowed && (exempt || !named || !probed) {
			t.Errorf("%s: exemption given %v (want false), named borrowed %v, way out probed %v\n%s\n%s", tt.name, exempt, named, probed, notes, c.YAML)
		}
		if !tt.borrowed && (!exempt || named) {
			t.Errorf("%s: exemption given %v (want true), named borrowed %v\n%s", tt.name, exempt, named, notes)
		}
	}
}
