package check

import (
	"fmt"
	"strings"
	"testing"
)

// TestLANCopyHasNoInternetPath: a forward on the WAN and its LAN copy (the
// same server and port, bound to the LAN by in-interface=bridge or
// in-interface-list=LAN, as forum posts write the hairpin's dst-nat). The
// copy is never reached from the internet: it has no internet path and no
// finding there. Before, check said the copy "is bound to an interface the
// traffic does not arrive on" for the internet and proposed rewriting it.
// Two WANs, so that the internet reaches the copy on the WAN the first
// forward is not bound to. A binding to a port of the bridge (the control)
// names no segment and stays a finding.
func TestLANCopyHasNoInternetPath(t *testing.T) {
	const export = "# 2024-11-03 14:22:10 by RouterOS 7.16.1\n" + homeBridge + `add interface=ether1 list=WAN
add interface=ether3 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.34/29 interface=ether1 network=203.0.113.32
add address=192.0.2.66/29 interface=ether3 network=192.0.2.64
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=3389 in-interface=ether1 protocol=tcp to-addresses=192.168.88.90
add action=dst-nat chain=dstnat dst-address-type=local %s dst-address=!192.168.88.1 dst-port=3389 protocol=tcp to-addresses=192.168.88.90
add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24
/ip route
add gateway=203.0.113.33
add distance=2 gateway=192.0.2.65
`
	for _, tt := range []struct {
		binding string
		lanOnly bool
	}{
		{"in-interface=bridge", true},
		{"in-interface-list=LAN", true},
		{"in-interface=ether2", false}, // a port of the bridge: names no segment
	} {
		p := importNamed(t, "lan-copy.rsc", []byte(fmt.Sprintf(export, tt.binding)))
		if len(p.Forwards) != 2 {
			t.Fatalf("%s: %d forwards", tt.binding, len(p.Forwards))
		}
		if got := p.lanOnly(p.Forwards[1]); got != tt.lanOnly {
			t.Errorf("%s: lanOnly = %v", tt.binding, got)
		}
		found, exp := p.Diagnose()
		internet := 0
		for _, f := range found {
			if f.Forward == 1 && f.Path == "internet" {
				internet++
			}
		}
		for _, e := range exp {
			if e.Forward == 1 && e.Path == "internet" && tt.lanOnly {
				t.Errorf("%s: the LAN copy expects an internet path", tt.binding)
			}
		}
		if tt.lanOnly && internet != 0 {
			t.Errorf("%s: findings %v", tt.binding, found)
		}
		if !tt.lanOnly && internet == 0 {
			t.Errorf("%s: no internet finding for a rule bound to a bridge port", tt.binding)
		}
	}
}

// TestLocalForwardOnAPortTheRouterLacks: dst-address-type=local with only
// the bridge's address excluded, on a router with a second LAN (guests).
// A guest asking the router's guest address on 8443 reaches the server, as
// through the public address: the router has nothing on 8443, so nothing
// is taken. Before, this was "takes the router's own addresses" and exit 1
// on a working router. On 80 (WebFig), 53 (the router's DNS for its LAN)
// and a port its input chain accepts (WireGuard), the finding stays.
func TestLocalForwardOnAPortTheRouterLacks(t *testing.T) {
	const export = `# 2024-11-03 14:22:10 by RouterOS 7.12.1
/interface bridge
add name=bridge
add name=bridge-guest
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
add bridge=bridge-guest interface=ether5
/interface list member
add interface=bridge list=LAN
add interface=bridge-guest list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=172.16.50.1/24 interface=bridge-guest network=172.16.50.0
/ip dhcp-client
add interface=ether1
/ip dns
set allow-remote-requests=yes
/ip firewall filter
add action=accept chain=input dst-port=13231 protocol=udp
add action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-type=local dst-address=!192.168.88.1 dst-port=%s protocol=%s to-addresses=192.168.88.80
add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24
`
	for _, tt := range []struct {
		port, proto string
		takes       bool
	}{
		{"8443", "tcp", false},
		{"8000-8100", "tcp", false},
		{"80", "tcp", true},
		{"8080-8300", "tcp", true}, // holds WinBox's 8291
		{"53", "udp", true},
		{"13231", "udp", true},
		{"13231", "tcp", false},
	} {
		p := importNamed(t, "guest.rsc", []byte(fmt.Sprintf(export, tt.port, tt.proto)))
		found, _ := p.Diagnose()
		got := len(withCause(found, TakesOwnAddress)) > 0
		if got != tt.takes {
			t.Errorf("%s/%s: takes the router's own address = %v, want %v (%v)", tt.proto, tt.port, got, tt.takes, found)
		}
	}
}

// TestPiholeRedirect: all the LAN's DNS to a Pi-hole, a dst-nat bound to
// the bridge with no destination (in-interface=bridge dst-port=53,
// src-address=!<pihole>), and the masquerade that brings the answers back.
// Taking the router's own 53 is what the rule is for: no "takes the
// router's own addresses" finding, exit 0. Without the masquerade the
// LAN's path fails (no hairpin rule), the finding that stays. The control:
// the LAN copy of a forward of 80 written with dst-address-type=local and
// no guard does take WebFig from the LAN; with no WAN copy beside it, it is
// the only forward of 80 and the bridge binding keeps the internet out.
func TestPiholeRedirect(t *testing.T) {
	const export = "# 2024-11-03 14:22:10 by RouterOS 7.16.1\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip dns
set allow-remote-requests=yes
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
%s`
	for _, tt := range []struct {
		name, nat string
		causes    []Cause
	}{
		{"pihole", "add action=dst-nat chain=dstnat dst-port=53 in-interface=bridge protocol=udp src-address=!192.168.88.5 to-addresses=192.168.88.5\n" +
			"add action=masquerade chain=srcnat dst-address=192.168.88.5 dst-port=53 protocol=udp src-address=192.168.88.0/24\n", nil},
		{"pihole without masquerade", "add action=dst-nat chain=dstnat dst-port=53 in-interface=bridge protocol=udp src-address=!192.168.88.5 to-addresses=192.168.88.5\n", nil},
		{"DNS of the router to a container", "add action=dst-nat chain=dstnat dst-address-type=local dst-port=53 in-interface-list=LAN protocol=udp to-addresses=192.168.88.5\n" +
			"add action=masquerade chain=srcnat dst-address=192.168.88.5 dst-port=53 protocol=udp src-address=192.168.88.0/24\n", nil},
		{"LAN copy taking WebFig", "add action=dst-nat chain=dstnat dst-port=80 in-interface=bridge dst-address-type=local protocol=tcp to-addresses=192.168.88.20\n" +
			"add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24\n", []Cause{BoundToWAN, TakesOwnAddress}},
		// The same with a WAN copy of the forward: the bridge's rule is
		// the LAN's copy, its internet path is not judged.
		{"LAN copy beside the WAN's", "add action=dst-nat chain=dstnat dst-port=80 in-interface=ether1 protocol=tcp to-addresses=192.168.88.20\n" +
			"add action=dst-nat chain=dstnat dst-port=80 in-interface=bridge dst-address-type=local protocol=tcp to-addresses=192.168.88.20\n" +
			"add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24\n", []Cause{TakesOwnAddress}},
	} {
		p := importNamed(t, "pihole.rsc", []byte(fmt.Sprintf(export, tt.nat)))
		found, _ := p.Diagnose()
		var got []Cause
		for _, f := range found {
			got = append(got, f.Cause)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.causes) {
			t.Errorf("%s: causes %q, want %q", tt.name, got, tt.causes)
		}
		// An interception is no port forward: what the one without a
		// masquerade lacks is a note (with the line to add), not a
		// finding whose fix would rewrite it as a forward.
		lacks := strings.Contains(strings.Join(p.Notes, "\n"), "answers bridge's clients directly")
		if want := tt.name == "pihole without masquerade"; lacks != want {
			t.Errorf("%s: note of the missing masquerade %v, want %v; notes %q", tt.name, lacks, want, p.Notes)
		}
	}
}
