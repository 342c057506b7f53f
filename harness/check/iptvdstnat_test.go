package check

import (
	"strings"
	"testing"
)

// iptvDstNAT is realcheck26's m4: a PPPoE WAN on ether1, the LAN on
// ether2, an IPTV upstream on ether3 (DHCP client without a default
// route, masquerade out of it, RIP) and Movistar's IPTV rule: what the
// IPTV network sends to the router goes to the decoder.
const iptvDstNAT = `# may/14/2016 00:18:01 by RouterOS 6.49.10
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 user=adslppp@telefonicanetpa password=adslppp
/ip address
add address=192.168.1.1/24 interface=ether2 network=192.168.1.0
/ip dhcp-client
add add-default-route=no disabled=no interface=ether3
/ip firewall filter
add chain=input connection-state=established,related
add chain=input dst-port=8291 in-interface=pppoe-out1 protocol=tcp
add action=drop chain=input in-interface=pppoe-out1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pppoe-out1
add action=masquerade chain=srcnat out-interface=ether3
add action=dst-nat chain=dstnat dst-address-type=local in-interface=ether3 to-addresses=192.168.1.199
/routing rip interface
add interface=ether3 passive=yes receive=v2 send=v1-2
/routing rip network
add network=10.0.0.0/8
`

// TestDstNATOnOtherUpstream (realcheck26 D2): a dst-nat bound to an
// upstream that is not the WAN (an IPTV port, by DHCP or a static
// address) is no port forward from the internet: no forward, no
// finding, no fix, a note. Controls: the same rule bound to the PPPoE
// WAN is a forward; bound to the port under the PPPoE client it is still
// found never to match from the internet, but the fix does not widen a
// dst-nat of every port to the router's addresses (it would take the
// router's WinBox, which line 10 accepts from the WAN).
func TestDstNATOnOtherUpstream(t *testing.T) {
	static := strings.Replace(strings.Replace(iptvDstNAT, "/ip dhcp-client\nadd add-default-route=no disabled=no interface=ether3\n", "", 1),
		"network=192.168.1.0\n", "network=192.168.1.0\nadd address=10.90.1.2/10 interface=ether3 network=10.64.0.0\n", 1)
	for _, text := range []string{iptvDstNAT, static} {
		p := importText(t, text)
		if len(p.Forwards) != 0 {
			t.Errorf("forwards %+v", p.Forwards)
		}
		if n := strings.Join(p.Notes, "\n"); !strings.Contains(n, "forwards what arrives on ether3 to 192.168.1.199; ether3 is an upstream the router masquerades out of, not the WAN, so the rule is no port forward from the internet") {
			t.Errorf("notes:\n%s", n)
		}
		found, _ := p.Diagnose()
		if len(found) != 0 {
			t.Errorf("findings %+v", found)
		}
		if fx := p.Propose(found); len(fx.Lines) != 0 {
			t.Errorf("fix %q", fx.Lines)
		}
	}
	p := importText(t, strings.Replace(iptvDstNAT, "in-interface=ether3 to-addresses", "in-interface=pppoe-out1 to-addresses", 1))
	if len(p.Forwards) != 1 {
		t.Errorf("bound to the WAN: forwards %+v", p.Forwards)
	}
	p = importText(t, strings.Replace(iptvDstNAT, "in-interface=ether3 to-addresses", "in-interface=ether1 to-addresses", 1))
	if len(p.Forwards) != 1 {
		t.Fatalf("bound to the WAN's port: forwards %+v", p.Forwards)
	}
	found, _ := p.Diagnose()
	if len(withCause(found, BoundToWAN)) == 0 {
		t.Errorf("bound to the WAN's port: findings %+v", found)
	}
	for _, l := range p.Propose(found).Lines {
		if strings.Contains(l, "!in-interface") || strings.Contains(l, "dst-address-type=local") {
			t.Errorf("a dst-nat of every port widened to the router's addresses: %s", l)
		}
	}
}

// TestSecondUpstreamDHCPNote (realcheck26 D8b): a DHCP client that adds
// no default route, beside a PPPoE WAN, is no WAN and gets a note that
// the lab leases it nothing. Control: alone, such a client is the WAN
// (a routed lab's uplink), with no such note.
func TestSecondUpstreamDHCPNote(t *testing.T) {
	p := importText(t, iptvDstNAT)
	if n := strings.Join(p.Notes, "\n"); !strings.Contains(n, "ether3's DHCP client (line 7) adds no default route: a second upstream (IPTV, VoIP) beside the WAN") {
		t.Errorf("notes:\n%s", n)
	}
	const alone = "# by RouterOS 7.19.4\n/ip address\nadd address=192.168.1.1/24 interface=ether2\n/ip dhcp-client\nadd add-default-route=no interface=ether1\n"
	p = importText(t, alone)
	if len(p.WANs) != 1 || p.WANs[0].Interface != "ether1" || strings.Contains(strings.Join(p.Notes, "\n"), "a second upstream") {
		t.Errorf("alone: WANs %+v notes %q", p.WANs, p.Notes)
	}
}
