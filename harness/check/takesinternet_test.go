package check

import (
	"strings"
	"testing"
)

const noDestination = `# 2025-10-04 09:12:40 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=ether1 list=WAN
add interface=bridge list=LAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment=nas dst-port=80 protocol=tcp to-addresses=192.168.88.10
add action=dst-nat chain=dstnat comment=game dst-port=27015 in-interface-list=WAN protocol=udp to-addresses=192.168.88.11
`

// A dst-nat with a port and no destination takes the LAN's browsing to
// every host on the internet: the finding, the fix that binds it to the
// router's addresses, and the lab's probe from the LAN to the internet's
// peer on that port. A forward bound to the WAN list is no such finding.
func TestTakesInternet(t *testing.T) {
	p := importText(t, noDestination)
	found, _ := p.Diagnose()
	got := withCause(found, TakesInternet)
	if len(got) != 1 || got[0].Line != 18 || got[0].Path != "LAN to the internet from bridge" || !strings.Contains(got[0].Detail, ":80") {
		t.Fatalf("findings: %+v", got)
	}
	fx := p.Propose(found)
	if all := strings.Join(fx.Lines, "\n"); !strings.Contains(all, "/ip firewall nat set [ find where comment=nas ] dst-address-type=local") {
		t.Errorf("fix lines:\n%s", all)
	}
	c, err := p.Case(fx)
	if err != nil {
		t.Fatal(err)
	}
	var probes []Probe
	for _, pr := range c.Probes {
		if strings.HasPrefix(pr.Path, lanInternetPrefix) {
			probes = append(probes, pr)
		}
	}
	if len(probes) != 2 || probes[0].Kind != "http" || probes[0].To != "peer:80" || probes[0].Phase != "before" || probes[1].Phase != "fixed" {
		t.Errorf("LAN to internet probes: %+v", probes)
	}
}

// The probe's outcome: answered by the server (or not at all) is a taken
// connection and a warning; answered by the peer is none.
func TestLANInternetTaken(t *testing.T) {
	pr := Probe{Forward: -1, Path: lanInternetPrefix + "bridge:0", Phase: "before", From: "client-bridge", To: "peer:80", Kind: "http", Want: "peer"}
	outs := []Outcome{{Probe: pr, Result: "timeout"}}
	if !lanInternetTaken(outs, "before") || !hijacked(outs, "before") {
		t.Error("a timeout to the internet's peer is not reported")
	}
	if w := ServiceWarnings(outs, "before"); len(w) != 1 || !strings.Contains(w[0], "peer:80") {
		t.Errorf("warnings: %q", w)
	}
	outs[0].Result, outs[0].By = "ok", "peer"
	if lanInternetTaken(outs, "before") || len(ServiceWarnings(outs, "before")) != 0 {
		t.Error("the peer's own answer is reported as taken")
	}
}

// A dst-nat bound to the LAN with no destination intercepts the LAN's DNS
// (to a Pi-hole): no forward, no fix that would open it to the internet,
// a note instead.
func TestInterceptionNotAForward(t *testing.T) {
	text := strings.Replace(noDestination, `add action=dst-nat chain=dstnat comment=nas dst-port=80 protocol=tcp to-addresses=192.168.88.10`,
		`add action=dst-nat chain=dstnat comment=pihole dst-port=53 in-interface-list=LAN protocol=udp to-addresses=192.168.88.10`, 1)
	p := importText(t, text)
	if len(p.Forwards) != 1 || p.Forwards[0].Comment != "game" {
		t.Fatalf("forwards: %+v", p.Forwards)
	}
	notes := strings.Join(p.Notes, "\n")
	if !strings.Contains(notes, "line 18 sends the LAN's udp 53 to any address to 192.168.88.10 (an interception") ||
		!strings.Contains(notes, "/ip firewall nat add chain=srcnat action=masquerade src-address=192.168.88.0/24 dst-address=192.168.88.10 protocol=udp dst-port=53 out-interface=bridge") ||
		!strings.Contains(notes, "/ip firewall nat set [ find where comment=pihole ] src-address=!192.168.88.10") {
		t.Errorf("notes: %q", p.Notes)
	}
	// Both in place: the note only says what the rule is.
	p = importText(t, strings.Replace(text, "comment=pihole dst-port=53", "comment=pihole src-address=!192.168.88.10 dst-port=53", 1)+
		"add action=masquerade chain=srcnat dst-address=192.168.88.10 dst-port=53 protocol=udp src-address=192.168.88.0/24\n")
	if notes := strings.Join(p.Notes, "\n"); strings.Contains(notes, "/ip firewall nat") {
		t.Errorf("notes with both in place: %q", p.Notes)
	}
	found, _ := p.Diagnose()
	if all := strings.Join(p.Propose(found).Lines, "\n"); strings.Contains(all, "pihole") {
		t.Errorf("the interception is rewritten:\n%s", all)
	}
	// The same rule bound to the WAN side is a forward.
	p = importText(t, strings.Replace(text, "in-interface-list=LAN protocol=udp", "in-interface=ether1 protocol=udp", 1))
	if len(p.Forwards) != 2 {
		t.Errorf("forwards: %+v", p.Forwards)
	}
}

// RDP bound to the LAN bridge with no destination is a port forward
// written with the server's side as in-interface, not an interception:
// the note says so and names the WAN (it was "an interception, as for
// DNS", with a masquerade and "its own queries to its upstream").
func TestLANBoundRDPIsNotInterception(t *testing.T) {
	p := importText(t, `# 2026-11-28 09:14:51 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall nat
add action=masquerade chain=srcnat ipsec-policy=out,none out-interface-list=WAN
add action=dst-nat chain=dstnat comment=rdp dst-port=3389 in-interface=bridge protocol=tcp to-addresses=192.168.88.10
/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.1
`)
	notes := strings.Join(p.Notes, "\n")
	if !strings.Contains(notes, "if it is meant as a port forward from the internet") ||
		!strings.Contains(notes, "/ip firewall nat set [ find where comment=rdp ] in-interface=ether1") ||
		strings.Contains(notes, "an interception, as for DNS") {
		t.Errorf("notes: %s", notes)
	}
}

// A web interception (tcp 443 bound to the LAN bridge, the server on the
// bridge) says the server's own connections out on 443 are taken too;
// the same rule for DNS keeps "its own queries to its upstream".
func TestInterceptionOwnTrafficWords(t *testing.T) {
	const rsc = listsHome + `/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment=web dst-port=443 in-interface=ether2 protocol=tcp to-addresses=192.168.88.20
`
	notes := strings.Join(importText(t, rsc).Notes, "\n")
	if !strings.Contains(notes, "192.168.88.20's own connections out on tcp 443 are taken too") || strings.Contains(notes, "queries") {
		t.Errorf("443: %s", notes)
	}
	notes = strings.Join(importText(t, strings.NewReplacer("dst-port=443", "dst-port=53", "protocol=tcp", "protocol=udp").Replace(rsc)).Notes, "\n")
	if !strings.Contains(notes, "192.168.88.20's own queries to its upstream are taken too") {
		t.Errorf("53: %s", notes)
	}
}

// A "guard" dst-address=!<LAN subnet> is no destination: the finding says
// the negation leaves out only what it names (before, it said "names no
// destination (no dst-address ...)" of a rule that has one).
func TestTakesInternetNegatedGuard(t *testing.T) {
	p := importText(t, strings.Replace(noDestination, "comment=nas dst-port=80", "comment=nas dst-address=!192.168.88.0/24 dst-port=80", 1))
	found, _ := p.Diagnose()
	got := withCause(found, TakesInternet)
	if len(got) != 1 || !strings.HasPrefix(got[0].Detail, "dst-address=!192.168.88.0/24 only leaves out what it names: every other address, the internet's included, is taken") {
		t.Fatalf("findings: %+v", got)
	}
}
