package check

import (
	"fmt"
	"strings"
	"testing"
)

// TestOfflineServiceWarnings: --offline said "no problem found" and no
// warning for a router whose input chain accepts WinBox from anywhere above
// defconf's drop, which the lab reports as open to the internet. The
// prediction now names the accepting line; defconf alone, a service bound
// to the LAN by address=, and a router with no NAT in a routed network stay quiet; a
// resolver with no drop on the WAN is an open resolver.
func TestOfflineServiceWarnings(t *testing.T) {
	const export = "# 2024-11-03 14:22:10 by RouterOS 7.16.1\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.34/29 interface=ether1 network=203.0.113.32
/ip dns
set allow-remote-requests=%s
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
%sadd action=drop chain=input in-interface-list=!LAN
%s/ip route
add gateway=203.0.113.33
%s`
	const nat = "/ip firewall nat\nadd action=masquerade chain=srcnat out-interface-list=WAN\n"
	const winbox = "add action=accept chain=input dst-port=8291 protocol=tcp\n"
	for _, tt := range []struct {
		name, dns, accept, nat, service string
		want                            []string
	}{
		{"defconf", "yes", "", nat, "", nil},
		{"winbox from anywhere", "yes", winbox, nat, "", []string{"WinBox (8291) would be open to the internet on 203.0.113.34 (line 19 accepts it"}},
		{"winbox for the LAN only", "yes", winbox, nat, "/ip service\nset winbox address=192.168.88.0/24\n", nil},
		// No NAT at all: the LAN leaves by the WAN untranslated, a
		// finding that takes the WAN for the internet, so its services
		// are judged there too (realcheck18 D4: a note called the WAN a
		// LAN beside that finding); inside a routed network (OSPF) the
		// neighbours route the LAN and the router is no gateway.
		{"no NAT", "yes", winbox, "", "", []string{"WinBox (8291) would be open to the internet"}},
		// (An OSPF instance runs only where a template of an enabled
		// area of it names the interface: rc29 C1.)
		{"no NAT in a routed network", "yes", winbox, "", "/routing ospf instance\nadd name=default-v2\n/routing ospf area\nadd instance=default-v2 name=backbone-v2\n/routing ospf interface-template\nadd area=backbone-v2 interfaces=bridge\n", nil},
	} {
		p := importNamed(t, "svc.rsc", []byte(fmt.Sprintf(export, tt.dns, tt.accept, tt.nat, tt.service)))
		got := p.OfflineServiceWarnings()
		if len(got) != len(tt.want) {
			t.Errorf("%s: warnings %q", tt.name, got)
			continue
		}
		for i := range got {
			if !strings.Contains(got[i], tt.want[i]) {
				t.Errorf("%s: warning %q, want %q", tt.name, got[i], tt.want[i])
			}
		}
	}
	// No drop for the WAN at all: WinBox, SSH, WebFig and the DNS.
	p := importNamed(t, "open.rsc", []byte(strings.Replace(fmt.Sprintf(export, "yes", "", nat, ""), "add action=drop chain=input in-interface-list=!LAN\n", "", 1)))
	got := strings.Join(p.OfflineServiceWarnings(), "\n")
	for _, w := range []string{"WinBox (8291)", "SSH (22)", "WebFig (80)", "open resolver"} {
		if !strings.Contains(got, w) {
			t.Errorf("no drop: %q missing from\n%s", w, got)
		}
	}
	// and Telnet, FTP, API, API-SSL and the bandwidth-test server, on by
	// default and not turned off (realcheck27 D5).
	if d := p.OfflineDocument(); len(d.Warnings) != 9 {
		t.Errorf("offline document warnings %q", d.Warnings)
	}
}

// TestDMZTakesEveryPort: a "DMZ" dst-nat with dst-address-type=local and
// no port takes every port of the router's LAN address; the finding said
// "192.168.88.1:8080", the port the lab probes, as if only that one were
// lost.
func TestDMZTakesEveryPort(t *testing.T) {
	const export = "# 2024-11-03 14:22:10 by RouterOS 7.16.1\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment=DMZ dst-address-type=local to-addresses=192.168.88.77
add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24
`
	p := importNamed(t, "dmz.rsc", []byte(export))
	found, _ := p.Diagnose()
	got := withCause(found, TakesOwnAddress)
	if len(got) != 1 || !strings.Contains(got[0].Detail, "every port of 192.168.88.1 from bridge") {
		t.Errorf("findings %v", found)
	}
}

// TestForwardOnTheLANAddress: a forward written with dst-address=<the
// server's own LAN address> ("the forward goes to 192.168.88.10") on a
// DHCP WAN. The check took that address for the WAN's lease and said "it
// stops working when the ISP renumbers"; the internet's connections never
// carry it at all. Later the finding named the LAN address and the fix
// replaced it with method 4; but dst-address and to-addresses naming one
// LAN host is also a deliberate port translation for hosts that reach it
// directly (realcheck33 C4: an MSP's VPN users on 10.90.0.25:3390), which
// that fix turned into a forward of every router address. Now it is no
// forward: a note gives both readings and the method-4 rule for the slip,
// and no fix line rewrites it. Written with
// the router's own LAN address (dst-address=192.168.88.1: LAN clients asking
// the router on that port reach a container's page, or a slip) the rule is
// no port forward: a note says so, and nothing is probed or counted.
func TestForwardOnTheLANAddress(t *testing.T) {
	const export = "# 2024-11-03 14:22:10 by RouterOS 7.16.1\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=%s dst-port=8443 protocol=tcp to-addresses=192.168.88.10 to-ports=443
add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24
`
	p := importNamed(t, "lan-dst.rsc", []byte(fmt.Sprintf(export, "192.168.88.10")))
	found, _ := p.Diagnose()
	if len(withCause(found, LiteralWAN)) != 0 {
		t.Errorf("the LAN address taken for the WAN's lease: %v", found)
	}
	if len(p.Forwards) != 0 || Problems(found) != 0 || !strings.Contains(strings.Join(p.Notes, "\n"), "line 18 translates connections addressed to 192.168.88.10 itself (a host of bridge) on port 8443 to port 443") ||
		!strings.Contains(strings.Join(p.Notes, "\n"), "!dst-address dst-address-type=local dst-address-list=!<the LAN subnets>") {
		t.Errorf("the server's address: forwards %v, findings %v, notes %q", p.Forwards, found, p.Notes)
	}
	p = importNamed(t, "router-dst.rsc", []byte(fmt.Sprintf(export, "192.168.88.1")))
	found, _ = p.Diagnose()
	if len(p.Forwards) != 0 || Problems(found) != 0 || !strings.Contains(strings.Join(p.Notes, "\n"), "line 18 sends LAN clients' connections to the router's own address 192.168.88.1") {
		t.Errorf("router's address: forwards %v, findings %v, notes %q", p.Forwards, found, p.Notes)
	}
}

// TestServerBehindARouterIsANote: a forward to a server behind a second
// router on the LAN, with the route to it. The rules alone cannot judge it
// (the lab has no host there): a note, not a problem. --offline said
// "1 problem(s) found" and exit 1 on a working router.
func TestServerBehindARouterIsANote(t *testing.T) {
	const export = "# 2024-11-03 14:22:10 by RouterOS 7.16.1\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=8554 in-interface-list=WAN protocol=tcp to-addresses=10.50.0.20
/ip route
add dst-address=10.50.0.0/24 gateway=192.168.88.2
`
	p := importNamed(t, "behind.rsc", []byte(export))
	found, _ := p.Diagnose()
	if len(found) != 1 || Problems(found) != 0 {
		t.Fatalf("findings %v", found)
	}
	if d := p.OfflineDocument(); d.Verdict != "ok" || !strings.Contains(d.Summary, "1 note(s)") {
		t.Errorf("verdict %s: %s", d.Verdict, d.Summary)
	}
}

// TestEmptyMatchersAreUnset: a 7.21.5 export rejects WinBox and SSH from
// outside the IT VLAN with connection-nat-state="" in each rule; offline
// took "" for a state no packet has, let the rules match nothing, and
// warned WinBox and SSH open to the internet where the lab found them shut.
func TestEmptyMatchersAreUnset(t *testing.T) {
	const export = "# 2026-10-03 14:44:44 by RouterOS 7.21.5\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.34/29 interface=ether1 network=203.0.113.32
/ip dns
set allow-remote-requests=yes
/ip firewall filter
add action=reject chain=input connection-nat-state="" connection-state=new dst-port=8291 protocol=tcp reject-with=tcp-reset src-address=!192.168.88.0/24
add action=reject chain=input connection-nat-state="" connection-state=new dst-port=22 protocol=tcp reject-with=tcp-reset src-address=!192.168.88.0/24
add action=reject chain=input connection-state="" dst-port=80 protocol=tcp reject-with=tcp-reset src-address=!192.168.88.0/24
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add gateway=203.0.113.33
`
	p := importNamed(t, "empty.rsc", []byte(export))
	got := strings.Join(p.OfflineServiceWarnings(), "\n")
	for _, w := range []string{"WinBox", "SSH", "WebFig"} {
		if strings.Contains(got, w) {
			t.Errorf("%s warned open although a reject rule shuts it:\n%s", w, got)
		}
	}
	if !strings.Contains(got, "open resolver") {
		t.Errorf("the DNS, which no rule shuts, is not warned:\n%s", got)
	}
}

// WinBox redirected from 48291 on the WAN, with the input chain's accept
// of DSTNATed connections: --offline warns that WinBox is open on that
// port, as it warns of 8291 itself; with defconf's drop and no such
// accept the redirect leads nowhere and there is no warning. The lab's
// probe of a dst-nat to the router's WinBox warns the same when it
// answers, and says it does not answer when it is filtered.
func TestWinBoxOpenThroughARedirect(t *testing.T) {
	const rsc = listsHome + `/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=accept chain=input comment="port forwards to me" connection-nat-state=dstnat
add action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=redirect chain=dstnat dst-port=48291 in-interface-list=WAN protocol=tcp to-ports=8291
`
	w := importText(t, rsc).OfflineServiceWarnings()
	if len(w) != 1 || !strings.Contains(w[0], "WinBox (8291) would be open to the internet on 203.0.113.10 port 48291, through the redirect at line 19 (line 15 accepts it") {
		t.Errorf("warnings %q", w)
	}
	dropped := strings.Replace(rsc, "add action=accept chain=input comment=\"port forwards to me\" connection-nat-state=dstnat\n", "", 1)
	if w := importText(t, dropped).OfflineServiceWarnings(); len(w) != 0 {
		t.Errorf("dropped: warnings %q", w)
	}
	pr := Probe{Forward: -1, Path: "service:winbox-by-18291@wan", Phase: "before", From: "peer", To: "router.wan:18291", Kind: "port", Wanted: true}
	if w := ServiceWarnings([]Outcome{{Probe: pr, Result: "open"}}, "before"); len(w) != 1 || !strings.Contains(w[0], "WinBox (8291) is open to the internet through the forward to it") {
		t.Errorf("lab, open: %q", w)
	}
	if w := ServiceWarnings([]Outcome{{Probe: pr, Result: "filtered"}}, "before"); len(w) != 1 || !strings.Contains(w[0], "does not answer") {
		t.Errorf("lab, filtered: %q", w)
	}
}
