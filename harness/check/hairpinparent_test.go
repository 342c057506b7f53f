package check

import (
	"slices"
	"strings"
	"testing"
)

// Servers on vlan20-srv, a VLAN on the bridge, and a hairpin masquerade
// bound to out-interface=bridge: routed packets to the server leave by
// vlan20-srv, so the rule never matches. The diagnosis said "no hairpin
// rule" (as if there were none); it names the rule now, and the fix's
// hairpin is on the VLAN. Bound to the VLAN, the rule is no finding.
func TestHairpinBoundToTheBridgeUnderTheVLAN(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface vlan
add interface=bridge name=vlan20-srv vlan-id=20
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
/interface bridge vlan
add bridge=bridge tagged=bridge,ether2 vlan-ids=20
/interface list member
add interface=ether1 list=WAN
add interface=vlan20-srv list=LAN
/ip address
add address=192.168.20.1/24 interface=vlan20-srv network=192.168.20.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-type=local dst-address=!192.168.20.1 dst-port=443 protocol=tcp to-addresses=192.168.20.10
add action=masquerade chain=srcnat out-interface=%OUT% src-address=192.168.20.0/24
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		out  string
		want bool
	}{{"bridge", true}, {"vlan20-srv", false}} {
		p := importText(t, strings.Replace(text, "%OUT%", tt.out, 1))
		found, _ := p.Diagnose()
		got := slices.ContainsFunc(found, func(f Finding) bool {
			return f.Cause == HairpinOutParent && f.Path == "hairpin:vlan20-srv" && f.Line == 22
		})
		if got != tt.want {
			t.Errorf("out-interface=%s: finding %v, want %v: %+v", tt.out, got, tt.want, found)
		}
		if slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == NoHairpin }) {
			t.Errorf("out-interface=%s: 'no hairpin rule': %+v", tt.out, found)
		}
		if tt.want && !slices.ContainsFunc(p.Propose(found).Lines, func(l string) bool {
			return strings.Contains(l, "src-address=192.168.20.0/24 dst-address=192.168.20.10 out-interface=vlan20-srv")
		}) {
			t.Errorf("fix %q", p.Propose(found).Lines)
		}
	}
}

// The hairpin masquerade bound to out-interface=ether2, the server's port
// of the LAN bridge (f69 C2, a forum write-up's rule): routed packets
// leave by bridge1, so the rule never matches. The diagnosis said "no
// hairpin rule"; it names the rule and its line now, and the fix's hairpin
// is on the bridge. Bound to the bridge, the rule is no finding (control).
func TestHairpinBoundToABridgePort(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
/interface bridge
add name=bridge1
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge1 interface=ether2
add bridge=bridge1 interface=ether3
/interface list member
add interface=ether1 list=WAN
add interface=bridge1 list=LAN
/ip address
add address=192.168.88.1/24 interface=bridge1 network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=80 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat out-interface=%OUT% src-address=192.168.88.0/24 dst-address=192.168.88.10
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		out  string
		want bool
	}{{"ether2", true}, {"bridge1", false}} {
		p := importText(t, strings.Replace(text, "%OUT%", tt.out, 1))
		found, _ := p.Diagnose()
		got := slices.ContainsFunc(found, func(f Finding) bool {
			return f.Cause == HairpinOutPort && f.Path == "hairpin:bridge1" && f.Line == 19
		})
		if got != tt.want {
			t.Errorf("out-interface=%s: finding %v, want %v: %+v", tt.out, got, tt.want, found)
		}
		if slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == NoHairpin }) {
			t.Errorf("out-interface=%s: 'no hairpin rule': %+v", tt.out, found)
		}
		if tt.want && !slices.ContainsFunc(p.Propose(found).Lines, func(l string) bool {
			return strings.Contains(l, "out-interface=bridge1")
		}) {
			t.Errorf("fix %q", p.Propose(found).Lines)
		}
	}
}
