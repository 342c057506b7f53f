package check

import (
	"slices"
	"strings"
	"testing"
)

const masqWAN = "/ip firewall nat\nadd action=masquerade chain=srcnat out-interface-list=WAN\n"

// fwd is masqWAN with a port forward from the WAN.
const fwd = masqWAN + "add action=dst-nat chain=dstnat dst-port=12566 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.10\n"

// A raw notrack with the LAN as source and no destination takes the LAN's
// internet NAT away: noted, with the LAN-to-LAN fix for both directions.
// With a destination of the other segment, no note.
func TestRawNotrackLANNote(t *testing.T) {
	text := twoLANs + masqWAN + "/ip firewall raw\nadd action=notrack chain=prerouting comment=fast src-address=192.168.88.0/24\n"
	wantNotes(t, text, "line 20 untracks everything the LAN segment ether2 sends, its connections to the internet too",
		"only one direction is untracked",
		"/ip firewall raw set [ find where comment=fast ] dst-address=192.168.89.0/24",
		"/ip firewall raw add chain=prerouting action=notrack src-address=192.168.89.0/24 dst-address=192.168.88.0/24")
	wantNoNote(t, strings.Replace(text, "src-address=192.168.88.0/24", "dst-address=192.168.89.0/24 src-address=192.168.88.0/24", 1), "untracks everything")
	// Without NAT the untracked connections lose nothing of it.
	wantNoNote(t, strings.Replace(text, masqWAN, "", 1), "untracks everything")
}

// passthrough=no on the mark-connection rule keeps its packets from the
// mark-routing below; passthrough=yes, no note.
func TestPassthroughNoNote(t *testing.T) {
	text := twoLANs + "/ip firewall mangle\nadd action=mark-connection chain=prerouting comment=c2 connection-state=new new-connection-mark=isp2 passthrough=no src-address=192.168.88.23\nadd action=mark-routing chain=prerouting connection-mark=isp2 in-interface-list=LAN new-routing-mark=to_isp2 passthrough=no\n"
	wantNotes(t, text, "line 18 marks connections isp2 with passthrough=no", "line 19's routing mark for isp2 never reaches them",
		"/ip firewall mangle set [ find where comment=c2 ] passthrough=yes")
	wantNoNote(t, strings.Replace(text, "new-connection-mark=isp2 passthrough=no", "new-connection-mark=isp2 passthrough=yes", 1), "with passthrough=no")
}

// A default route to an Ethernet port instead of an address is noted; to
// the ISP's address, or to a PPPoE interface, it is not.
func TestGatewayInterfaceNote(t *testing.T) {
	text := strings.Replace(twoLANs, "add gateway=203.0.113.1", "add comment=isp dst-address=0.0.0.0/0 gateway=ether1", 1)
	wantNotes(t, text, "line 13 routes the internet to gateway=ether1, an Ethernet interface, not an address",
		"name the ISP's gateway address on 203.0.113.0/24 instead: /ip route set [ find where comment=isp ] gateway=")
	wantNoNote(t, twoLANs, "an Ethernet interface, not an address")
	pppoe := strings.Replace(text, "gateway=ether1", "gateway=pppoe-out1", 1) + "/interface pppoe-client\nadd interface=ether1 name=pppoe-out1 user=u\n"
	wantNoNote(t, pppoe, "an Ethernet interface, not an address")
}

// A src-nat for tcp and one for udp leave ICMP untranslated: noted; a
// third rule for every protocol, or a hairpin rule beside them, changes it
// as it should.
func TestSrcnatProtocolNote(t *testing.T) {
	text := twoLANs + "/ip firewall nat\nadd action=src-nat chain=srcnat comment=t out-interface=ether1 protocol=tcp to-addresses=203.0.113.2\nadd action=src-nat chain=srcnat out-interface=ether1 protocol=udp to-addresses=203.0.113.2\n"
	wantNotes(t, text, "the src-nat to the internet (lines 18 and 19) covers only tcp, udp", "/ip firewall nat set [ find where comment=t ] !protocol")
	wantNoNote(t, text+"add action=masquerade chain=srcnat out-interface=ether1\n", "covers only")
	// A hairpin for tcp is not the way out: the masquerade still covers all.
	wantNoNote(t, twoLANs+masqWAN+"add action=masquerade chain=srcnat dst-address=192.168.88.10 protocol=tcp\n", "covers only")
}

// A split-DNS regexp that needs a label before the domain leaves the bare
// name to upstream: noted with the regexp that takes both; the fixed
// regexp, or a name entry for the domain beside it, is not noted.
func TestRegexpApexNote(t *testing.T) {
	text := twoLANs + "/ip dns\nset allow-remote-requests=yes\n/ip dns static\nadd address=192.168.88.10 comment=split regexp=\".*\\\\.myserver\\\\.net\\$\"\n"
	wantNotes(t, text, "line 20 answers every name under myserver.net with 192.168.88.10 but not myserver.net itself",
		`/ip dns static set [ find where comment=split ] regexp="(^|\\.)myserver\\.net\$"`)
	wantNoNote(t, strings.Replace(text, `".*\\.myserver`, `"(^|\\.)myserver`, 1), "but not myserver.net itself")
	wantNoNote(t, text+"add address=192.168.88.10 name=myserver.net\n", "but not myserver.net itself")
}

// The main table's default route to the static WAN's port (gateway=ether1)
// loses a forward's answers as a marked route to the port does: the
// internet path is PortGateway, at the route's line. With the ISP's
// address beside it as a second default route, or instead of it, not.
func TestMainRouteViaPort(t *testing.T) {
	port := strings.Replace(twoLANs, "add gateway=203.0.113.1", "add dst-address=0.0.0.0/0 gateway=ether1", 1) + fwd
	portGateway := func(text string) []Finding {
		found, _ := importText(t, text).Diagnose()
		return withCause(found, PortGateway)
	}
	if got := portGateway(port); len(got) != 1 || got[0].Line != 13 || got[0].Path != "internet via ether1" {
		t.Errorf("port: findings %v", got)
	}
	both := strings.Replace(port, "gateway=ether1\n", "gateway=ether1\nadd distance=2 gateway=203.0.113.1\n", 1)
	for name, text := range map[string]string{"address": twoLANs + fwd, "both": both} {
		if got := portGateway(text); len(got) != 0 {
			t.Errorf("%s: %v", name, got)
		}
	}
}

// defconf's WAN drop without connection-nat-state=!dstnat drops every
// forward from the internet: the fix puts the matcher back rather than
// adding an accept above it. A drop that matches more (a port) keeps the
// accept.
func TestWANDropLacksDstnatFix(t *testing.T) {
	drop := twoLANs + "add action=drop chain=forward comment=\"drop new from WAN\" connection-state=new in-interface-list=WAN\n" + fwd
	p := importText(t, drop)
	found, _ := p.Diagnose()
	lines := p.Propose(found).Lines
	if !slices.Contains(lines, `/ip firewall filter set [ find where comment="drop new from WAN" ] connection-nat-state=!dstnat`) ||
		slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, "accept port forwards") }) {
		t.Errorf("fix %q", lines)
	}
	p = importText(t, strings.Replace(drop, "connection-state=new in-interface-list=WAN", "connection-state=new dst-port=12566 in-interface-list=WAN protocol=tcp", 1))
	found, _ = p.Diagnose()
	if lines := p.Propose(found).Lines; !slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, "accept port forwards") }) {
		t.Errorf("port drop: fix %q", lines)
	}
}

// D5: a mark-connection on what arrives from the WAN and a mark-routing on
// what arrives from elsewhere (in-interface-list=WAN, then !WAN) match
// different packets: passthrough=no takes nothing from the second rule, no
// note. Control: the second rule without its interface matcher is noted.
func TestPassthroughNoDisjointRules(t *testing.T) {
	text := "# 2024-10-28 12:28:48 by RouterOS 7.16.1\n/interface list\nadd name=WAN\n/interface list member\nadd interface=ether1 list=WAN\n/routing table\nadd fib name=to-wan\n/ip address\nadd address=192.168.88.1/24 interface=ether3\n/ip dhcp-client\nadd interface=ether1\n/ip firewall mangle\n" +
		"add action=mark-connection chain=prerouting connection-state=new in-interface-list=WAN new-connection-mark=conn-wan passthrough=no\n" +
		"add action=mark-routing chain=prerouting connection-mark=conn-wan in-interface-list=!WAN new-routing-mark=to-wan passthrough=no\n" +
		"/ip firewall nat\nadd action=masquerade chain=srcnat out-interface-list=WAN\n"
	wantNoNote(t, text, "with passthrough=no")
	wantNotes(t, strings.Replace(text, " in-interface-list=!WAN", "", 1), "line 13 marks connections conn-wan with passthrough=no")
	// Two single interfaces cannot both be a packet's in-interface.
	wantNoNote(t, strings.NewReplacer("in-interface-list=WAN", "in-interface=ether1", "in-interface-list=!WAN", "in-interface=ether3").Replace(text), "with passthrough=no")
}

// D6: a distance=254 default route to a bridge with no port, behind a
// PPPoE route of distance 1, is a sink for when the PPPoE link is down:
// neither the "Ethernet interface, not an address" note nor a WAN.
// Controls: the same route as the only default route, or to a bridge
// with a port, is noted.
func TestEmergencyRouteToEmptyBridge(t *testing.T) {
	text := "# 2023-02-17 07:47:02 by RouterOS 7.7\n/interface bridge\nadd name=bridge-loopback\n/interface pppoe-client\nadd disabled=no interface=ether1 name=pppoe-out1 user=isp\n/ip address\nadd address=192.168.100.1/24 interface=ether2\n/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=pppoe-out1\n/ip route\nadd comment=\"Emergency route\" distance=254 gateway=bridge-loopback\nadd distance=1 gateway=pppoe-out1\n"
	wantNoNote(t, text, "an Ethernet interface, not an address")
	wantNoNote(t, text, "bridge-loopback looks like a WAN")
	alone := strings.Replace(text, "add distance=1 gateway=pppoe-out1\n", "", 1)
	wantNotes(t, alone, "line 11 routes the internet to gateway=bridge-loopback, an Ethernet interface")
	ported := strings.Replace(text, "/interface pppoe-client", "/interface bridge port\nadd bridge=bridge-loopback interface=ether3\n/interface pppoe-client", 1)
	wantNotes(t, ported, "routes the internet to gateway=bridge-loopback, an Ethernet interface")
}

// D3: a forward with src-port= takes only connections from that source
// port, which an internet client does not choose: noted with the fix.
// Control: the same forward without src-port=.
func TestSrcPortForwardNote(t *testing.T) {
	text := "# 2024-10-28 12:28:48 by RouterOS 7.16.1\n/ip address\nadd address=192.168.88.1/24 interface=ether2\n/ip dhcp-client\nadd interface=ether1\n/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n" +
		"add action=dst-nat chain=dstnat dst-port=44158 in-interface=ether1 protocol=tcp src-port=44158 to-addresses=192.168.88.231 to-ports=44158\n"
	wantNotes(t, text, "line 8 (forward 1, tcp/44158) matches only connections whose source port is 44158", "src-port=44158 and to-addresses=192.168.88.231 and to-ports=44158 ] !src-port")
	wantNoNote(t, strings.Replace(text, " src-port=44158", "", 1), "whose source port")
}
