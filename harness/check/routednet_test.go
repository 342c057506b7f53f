package check

import (
	"strings"
	"testing"
)

// TestRoutedNetworkLANOut: a router that runs OSPF and translates nothing
// routes its private LAN to its neighbours; its way out is not called
// broken, and a note says why. Controls: the same LAN without OSPF, and an
// edge router with OSPF whose one masquerade misses the LAN, are findings.
func TestRoutedNetworkLANOut(t *testing.T) {
	base := "# by RouterOS 7.19\n" + etherLists + `/ip address
add address=172.16.50.1/24 interface=ether2
/ip dhcp-client
add interface=ether1
`
	ospf := `/routing ospf instance
add disabled=no name=default-v2 router-id=10.255.0.5
/routing ospf area
add disabled=no instance=default-v2 name=area50
/routing ospf interface-template
add area=area50 disabled=no networks=172.16.50.0/24
`
	lanOut := func(text string) (bool, string) {
		p := loadText(t, text)
		for _, f := range p.lanOutFindings() {
			if f.Cause == NoMasquerade {
				return true, strings.Join(p.Notes, "\n")
			}
		}
		return false, strings.Join(p.Notes, "\n")
	}
	if broken, notes := lanOut(base + ospf); broken || !strings.Contains(notes, "runs /routing ospf instance and no rule translates anything") {
		t.Errorf("OSPF, no NAT: broken %v, notes:\n%s", broken, notes)
	}
	if broken, _ := lanOut(base); !broken {
		t.Error("no OSPF, no NAT: the LAN's way out is not a finding")
	}
	edge := base + ospf + "/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether3\n"
	if broken, notes := lanOut(edge); !broken || strings.Contains(notes, "no rule translates anything") {
		t.Errorf("OSPF with a masquerade elsewhere: broken %v, notes:\n%s", broken, notes)
	}
	disabled := strings.Replace(base+ospf, "add disabled=no name=default-v2", "add disabled=yes name=default-v2", 1)
	if broken, _ := lanOut(disabled); !broken {
		t.Error("a disabled OSPF instance still excused the LAN")
	}
}

// TestStaticRoutedNetwork: a tower router of a routed network (its default
// route and a static route to another private network both by private
// next hops, no NAT rule at all) is not told its LAN lacks a masquerade
// (realcheck17 D7); a note says why. Controls: the same router with a
// public next hop, or with any NAT rule, is judged as before.
func TestStaticRoutedNetwork(t *testing.T) {
	text := "# by RouterOS 7.19.1\n/ip address\nadd address=10.0.3.2/24 interface=ether1\nadd address=10.1.2.1/24 interface=ether2\n/ip route\nadd gateway=10.0.3.1\nadd dst-address=10.2.0.0/16 gateway=10.1.2.2\n"
	lanOut := func(text string) (bool, string) {
		p := loadText(t, text)
		for _, f := range p.lanOutFindings() {
			if f.Cause == NoMasquerade {
				return true, strings.Join(p.Notes, "\n")
			}
		}
		return false, strings.Join(p.Notes, "\n")
	}
	if broken, notes := lanOut(text); broken || !strings.Contains(notes, "line 7 has a static route to 10.2.0.0/16 by 10.1.2.2 and no rule translates anything") {
		t.Errorf("routed tower: broken %v, notes:\n%s", broken, notes)
	}
	if broken, _ := lanOut(strings.Replace(text, "add dst-address=10.2.0.0/16 gateway=10.1.2.2\n", "", 1)); !broken {
		t.Error("control without the static route: the LAN's way out is not a finding")
	}
	if broken, _ := lanOut(text + "/ip firewall nat\nadd action=dst-nat chain=dstnat dst-port=80 protocol=tcp to-addresses=10.1.2.9\n"); !broken {
		t.Error("control with a NAT rule: the LAN's way out is not a finding")
	}
}

// D4: a static route to the WAN's own connected subnet (192.168.1.0/24 by
// 192.168.1.1 on a 192.168.1.20/24 WAN) adds nothing to the connected
// route: a router with no NAT is told its LAN lacks a masquerade, as the
// same router without the route (control) is.
func TestRouteToConnectedSubnetNotRouted(t *testing.T) {
	text := "# 2026-09-27 00:06:54 by RouterOS 7.21.5\n/ip address\nadd address=192.168.20.1/24 interface=ether2\nadd address=192.168.1.20/24 interface=ether1\n/ip dhcp-client\nadd interface=ether1\n/ip route\nadd dst-address=192.168.1.0/24 gateway=192.168.1.1\n"
	for _, tc := range []struct{ name, text string }{
		{"route to the WAN's subnet", text},
		{"control without it", strings.Replace(text, "/ip route\nadd dst-address=192.168.1.0/24 gateway=192.168.1.1\n", "", 1)},
	} {
		p := loadText(t, tc.text)
		broken := false
		for _, f := range p.lanOutFindings() {
			broken = broken || f.Cause == NoMasquerade
		}
		if !broken || strings.Contains(strings.Join(p.Notes, "\n"), "by design") {
			t.Errorf("%s: missing masquerade found %v, notes:\n%s", tc.name, broken, strings.Join(p.Notes, "\n"))
		}
	}
}
