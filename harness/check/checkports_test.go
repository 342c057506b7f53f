package check

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/export"
)

// listBridgePort is realcheck19's hAP ac² case cut down: the bridge's
// ports are an interface list, as RouterOS 7 allows
// ("/interface bridge port add interface=LANPORTS").
const listBridgePort = `# 2024-10-01 10:00:00 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LANPORTS
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=LANPORTS
add interface=ether3 list=LANPORTS
/interface bridge port
add bridge=bridge interface=LANPORTS
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-type=local dst-port=8080 protocol=tcp to-addresses=192.168.88.10 to-ports=80
`

// TestListAsBridgePort: the bridge whose port is an interface list gets a
// lab host on the list's first member (realcheck19 D6b: "no port a lab
// host can reach it on", the forward not probed, "no problem found").
func TestListAsBridgePort(t *testing.T) {
	p := importText(t, listBridgePort)
	if len(p.Segments) != 1 || p.Segments[0].Interface != "bridge" || p.Segments[0].Port != "ether2" {
		t.Fatalf("segments %+v", p.Segments)
	}
	// Control: a list that is no bridge port changes nothing, the
	// literal port still carries the LAN.
	lit := strings.Replace(listBridgePort, "add bridge=bridge interface=LANPORTS", "add bridge=bridge interface=ether3", 1)
	p = importText(t, lit)
	if len(p.Segments) != 1 || p.Segments[0].Port != "ether3" {
		t.Fatalf("literal port: segments %+v", p.Segments)
	}
}

// scriptPorts is realcheck19's thanosnm setup scripts cut down: the WAN
// port in a global, the LAN bridge's name in another, and its ports added
// by a loop over a literal list.
const scriptPorts = `:global wanIf "ether1"
:global lanBridge "bridge-lan"
:global dns1 "8.8.8.8"
:global dns2 "1.1.1.1"
/interface bridge add name=$lanBridge
:foreach i in={2;3} do={
  :local ethName ("ether" . $i)
  /interface bridge port add bridge=$lanBridge interface=$ethName
}
/ip address add address=192.168.20.1/24 interface=$lanBridge
/ip dhcp-client add interface=$wanIf
/ip dns set servers="$dns1,$dns2"
/ip firewall nat add chain=srcnat out-interface=$wanIf action=masquerade
/ip firewall nat add chain=dstnat in-interface=$wanIf protocol=tcp dst-port=8080 action=dst-nat to-addresses=192.168.20.10 to-ports=80
`

// TestScriptNamedPorts: the ports a setup script names (a global, a loop
// over a literal list) are the router's, as validate reads them; the
// script's literal globals stand for their values; the LAN's host goes on
// the loop's first port (realcheck19 D6: "the export names no ethernet
// port", or a LAN silently not probed).
func TestScriptNamedPorts(t *testing.T) {
	p := importText(t, scriptPorts)
	var names []string
	for _, pt := range p.Ports {
		names = append(names, pt.Name)
	}
	if strings.Join(names, " ") != "ether1 ether2 ether3" {
		t.Errorf("ports %v", names)
	}
	if len(p.WANs) != 1 || p.WANs[0].Port != "ether1" {
		t.Errorf("WANs %+v", p.WANs)
	}
	if len(p.Segments) != 1 || p.Segments[0].Interface != "bridge-lan" || p.Segments[0].Port != "ether2" {
		t.Fatalf("segments %+v", p.Segments)
	}
	if len(p.Forwards) != 1 {
		t.Errorf("forwards %+v", p.Forwards)
	}
	if !strings.Contains(p.RSC, "servers=8.8.8.8,1.1.1.1") {
		t.Errorf("the lab's lines keep the variables:\n%s", p.RSC)
	}
	// Only the global: the export names no other port, and is read.
	p = importText(t, ":global wanIf \"ether1\"\n/ip dhcp-client add interface=$wanIf\n/ip address add address=192.168.1.1/24 interface=ether2\n")
	if len(p.WANs) != 1 || p.WANs[0].Port != "ether1" {
		t.Errorf("global only: WANs %+v", p.WANs)
	}
}

// TestScriptLANUnread: a loop over what the router finds at run time
// ("[/interface find ...]") makes the bridge's ports: the check cannot
// read them, says so in a note, and its verdict does not say "no problem
// found" of that LAN (realcheck19 D6).
func TestScriptLANUnread(t *testing.T) {
	src := strings.Replace(scriptPorts, "in={2;3}", `in=[/interface find where name~"ether[2-5]"]`, 1)
	src = strings.Replace(src, `("ether" . $i)`, `[/interface get $i name]`, 1)
	p := importText(t, src)
	if len(p.Segments) != 1 || p.Segments[0].Port != "" {
		t.Fatalf("segments %+v", p.Segments)
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool {
		return strings.Contains(n, "line 6: a script adds the ports of bridge-lan") && strings.Contains(n, "not probed")
	}) {
		t.Errorf("notes %q", p.Notes)
	}
	_, text, _ := p.LabVerdict(nil, Fix{}, nil)
	if !strings.HasPrefix(text, "LAN segment(s) bridge-lan not probed") {
		t.Errorf("verdict %q", text)
	}
	if s := p.OfflineDocument().Summary; !strings.HasPrefix(s, "LAN segment(s) bridge-lan not probed") {
		t.Errorf("offline summary %q", s)
	}
}

// lanDNSDrop is realcheck19's ElMoix lan-config cut down: an input chain
// of a few accepts and a drop of the rest, no accept of established
// connections; the router resolves for the LAN.
const lanDNSDrop = `# 2024-10-01 10:00:00 by RouterOS 7.16.2
/interface bridge
add name=bridge-lan
/interface bridge port
add bridge=bridge-lan interface=ether2
/interface list
add name=LAN
add name=WAN
/interface list member
add interface=bridge-lan list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.1.1/24 interface=bridge-lan network=192.168.1.0
/ip dhcp-client
add interface=ether1
/ip pool
add name=dhcp ranges=192.168.1.100-192.168.1.200
/ip dhcp-server
add address-pool=dhcp interface=bridge-lan name=dhcp1
/ip dhcp-server network
add address=192.168.1.0/24 dns-server=%s gateway=192.168.1.1
/ip dns
set allow-remote-requests=yes servers=8.8.8.8,1.1.1.1
/ip firewall filter
add action=accept chain=input protocol=icmp
add action=accept chain=input dst-port=8291 protocol=tcp
add action=drop chain=input comment=DROP-other
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`

// TestLANDNSFixAcceptsQueries: the drop that takes the answers upstream
// also takes the LAN's own queries to the router; the fix lets both in
// (realcheck19 D7: the lab failed with the established accept alone). A
// segment whose DHCP network hands out public resolvers only does not ask
// the router: a note, not a failure, and not probed.
func TestLANDNSFixAcceptsQueries(t *testing.T) {
	p := importText(t, strings.Replace(lanDNSDrop, "%s", "192.168.1.1", 1))
	found, _ := p.Diagnose()
	if len(withCause(found, UpstreamAnswersDropped)) != 1 || len(withCause(found, LANQueriesDropped)) != 1 {
		t.Fatalf("findings %v", found)
	}
	all := strings.Join(p.Propose(found).Lines, "\n")
	for _, l := range []string{
		"connection-state=established,related",
		`/ip firewall filter add chain=input action=accept in-interface=bridge-lan protocol=udp dst-port=53 comment="DNS from bridge-lan" place-before=[ find where comment=DROP-other ]`,
		"in-interface=bridge-lan protocol=tcp dst-port=53",
	} {
		if !strings.Contains(all, l) {
			t.Errorf("fix lacks %s:\n%s", l, all)
		}
	}
	p = importText(t, strings.Replace(lanDNSDrop, "%s", "8.8.8.8,1.1.1.1", 1))
	found, _ = p.Diagnose()
	if Problems(found) != 0 || !slices.ContainsFunc(found, func(f Finding) bool {
		return f.Path == "lan-dns:bridge-lan" && strings.Contains(f.Detail, "hands out 8.8.8.8,1.1.1.1, not the router")
	}) {
		t.Fatalf("public resolvers: findings %v", found)
	}
	c, err := p.Case(p.Propose(found))
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(c.Probes, func(pr Probe) bool { return strings.HasPrefix(pr.Path, "lan-dns:") }) {
		t.Errorf("a segment that does not ask the router is probed")
	}
}

// TestMapPortNotInExport: --map names a port of the device that the
// export does not name (a hEX hotspot export naming only ether3): the lab
// router gets it as the WAN (realcheck19 D9: check asked for --map, then
// refused ether1). A name that is no port is still refused.
func TestMapPortNotInExport(t *testing.T) {
	const src = `# 2025-03-01 10:00:00 by RouterOS 7.18.2
# model = E50UG
/ip address
add address=192.168.99.1/24 interface=ether3 network=192.168.99.0
`
	f, err := export.Read("hotspot.rsc", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Import(f, Options{Map: map[string]string{"ether1": "wan"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.WANs) != 1 || p.WANs[0].Port != "ether1" || p.port("ether1") == nil || p.port("ether1").Lab != "ether1" {
		t.Errorf("WANs %+v ports %+v", p.WANs, p.Ports)
	}
	if len(p.Segments) != 1 || p.Segments[0].Port != "ether3" {
		t.Errorf("segments %+v", p.Segments)
	}
	f, _ = export.Read("hotspot.rsc", []byte(src))
	if _, err := Import(f, Options{Map: map[string]string{"wan0": "wan"}}); err == nil || !strings.Contains(err.Error(), "--map names wan0") {
		t.Errorf("err = %v", err)
	}
}

// TestLANDNSNoteNotUnprobed: the lab verdict of a segment that does not
// ask the router's broken resolver does not count the note as a finding
// left unproven (exit 1 with "not probed" before).
func TestLANDNSNoteNotUnprobed(t *testing.T) {
	p := importText(t, strings.Replace(lanDNSDrop, "%s", "8.8.8.8,1.1.1.1", 1))
	found, _ := p.Diagnose()
	if _, text, code := p.LabVerdict(found, p.Propose(found), nil); code != 0 {
		t.Errorf("verdict %d %q", code, text)
	}
}

// TestDNSNoteExpandsGlobals: the note on the router's DNS servers names
// the values the script's globals hold, or says a variable sets them
// (realcheck19 D10: "$dns1,$dns2" printed as servers).
func TestDNSNoteExpandsGlobals(t *testing.T) {
	note := func(p *Plan) string {
		p.labDNS()
		for _, n := range p.Notes {
			if strings.Contains(n, "the router's DNS servers") {
				return n
			}
		}
		return ""
	}
	if n := note(importText(t, scriptPorts)); !strings.Contains(n, "DNS servers 8.8.8.8,1.1.1.1 are outside") {
		t.Errorf("note %q", n)
	}
	// dns2 set again: no literal value.
	src := strings.Replace(scriptPorts, `/ip dns set`, ":set dns2 [:resolve \"dns.example\"]\n/ip dns set", 1)
	if n := note(importText(t, src)); !strings.Contains(n, "DNS servers (set by the script's variables $dns1,$dns2) are outside") {
		t.Errorf("note %q", n)
	}
}

// TestRefusedLinesOwnHeading: a line the lab router refuses is listed
// under its own heading, not among the hardware a lab router cannot have
// (realcheck19 D10).
func TestRefusedLinesOwnHeading(t *testing.T) {
	p := importText(t, `# 2024-10-01 10:00:00 by RouterOS 7.15.3
/interface bridge add name=bridge
/routing ospf instance add disabled=no name=ospf1 router-id=10.255.255.2 routing-table=vpn
/routing table add fib name=vpn
/interface wireless set [ find default-name=wlan1 ] ssid=home
/interface bridge port add bridge=bridge interface=ether2
/ip address add address=192.168.99.1/24 interface=bridge
/ip dhcp-client add interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
`)
	p.Refusals(context.Background())
	var b strings.Builder
	p.Summary(&b)
	out := b.String()
	hw, ref, _ := strings.Cut(out, "refused, left out (1 line the lab router refuses):\n  line 3 /routing ospf instance: the lab router refuses it")
	if ref == "" || !strings.Contains(hw, "set aside (1 line a lab router cannot have):\n  line 5 /interface wireless") {
		t.Errorf("summary:\n%s", out)
	}
}

// D2: an LTE WAN (WAN list = lte1, set aside) checked with --map
// ether6=wan: the stand-in port takes lte1's place in the WAN list, in the
// lab configuration and in the reading, so the in-interface-list=WAN
// forward and the out-interface-list=WAN masquerade match from the
// internet and no fix adds ether6 to the list or rewrites the forward.
func TestMapStandsInWANList(t *testing.T) {
	const src = `# 2026-04-03 19:05:28 by RouterOS 7.20
# model = S53UG+M-5HaxD2HaxD
/interface bridge
add name=bridge
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
add address=192.168.88.1/24 interface=bridge
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=443 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.222
`
	f, err := export.Read("chateau.rsc", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Import(f, Options{Map: map[string]string{"ether6": "wan"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.RSC, "/interface list member add interface=ether6 list=WAN") {
		t.Errorf("the stand-in is not in the lab's WAN list:\n%s", p.RSC)
	}
	// The fix is made of the findings: none but the hairpin's is left.
	found, _ := p.Diagnose()
	for _, fd := range found {
		if !strings.HasPrefix(fd.Path, "hairpin") {
			t.Errorf("finding on %s: %s", fd.Path, fd.Detail)
		}
	}
}

// TestMapStandsInForRules: a forward bound to lte1 itself
// (in-interface=lte1) follows --map ether6=wan as the WAN list does: it
// read "never matches (in-interface=lte1, traffic arrives on ether6)"
// and the fix rewrote it. The control: the in-interface-list=WAN forward
// beside it stays as it was.
func TestMapStandsInForRules(t *testing.T) {
	const src = `# 2026-04-03 19:05:28 by RouterOS 7.20
# model = S53UG+M-5HaxD2HaxD
/interface bridge
add name=bridge
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
add address=192.168.88.1/24 interface=bridge
/ip firewall nat
add action=masquerade chain=srcnat out-interface=lte1
add action=dst-nat chain=dstnat dst-port=443 in-interface=lte1 protocol=tcp to-addresses=192.168.88.222
add action=dst-nat chain=dstnat dst-port=8443 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.223
`
	f, err := export.Read("chateau.rsc", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Import(f, Options{Map: map[string]string{"ether6": "wan"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.RSC, "dst-port=443 in-interface=ether6") || strings.Contains(p.RSC, "lte1") {
		t.Errorf("the rules naming lte1 do not follow the map:\n%s", p.RSC)
	}
	if !strings.Contains(p.RSC, "in-interface-list=WAN") {
		t.Errorf("control: the list-bound forward changed:\n%s", p.RSC)
	}
	found, _ := p.Diagnose()
	for _, fd := range found {
		if !strings.HasPrefix(fd.Path, "hairpin") {
			t.Errorf("finding on %s: %s %s", fd.Path, fd.Cause, fd.Detail)
		}
	}
}
