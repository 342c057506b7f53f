package check

import (
	"fmt"
	"slices"
	"testing"
)

// TestRawDropsAnswers: a raw drop of the private ranges without
// in-interface-list=WAN lets the internet's SYN in (to the public address)
// but takes the server's answers to the hairpin, which come in addressed to
// the router's LAN address (the masquerade's). Before, the diagnosis found
// nothing. The negative control: the rule bound to the WAN.
func TestRawDropsAnswers(t *testing.T) {
	const export = `# 2026-11-30 18:42:07 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip firewall address-list
add address=10.0.0.0/8 list=bogons
add address=192.168.0.0/16 list=bogons
/ip firewall raw
add action=drop chain=prerouting comment=bogons dst-address-list=bogons%s
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=12566 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat dst-address=192.168.88.10 src-address=192.168.88.0/24
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		name, extra string
		want        bool
	}{
		{"unbound", "", true},
		{"bound to the WAN", " in-interface-list=WAN", false},
	} {
		p := importNamed(t, "raw.rsc", []byte(fmt.Sprintf(export, tt.extra)))
		found, exp := p.Diagnose()
		got := withCause(found, RawDropsAnswers)
		if !tt.want {
			if len(got) != 0 {
				t.Errorf("%s: %v", tt.name, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Line != 15 || got[0].Path != "hairpin:ether2" {
			t.Fatalf("%s: findings %v", tt.name, found)
		}
		for _, e := range exp {
			if e.Path == "internet" && !e.Works {
				t.Errorf("%s: the internet path predicted broken: %+v", tt.name, e)
			}
			if e.Path == "hairpin:ether2" && e.Works {
				t.Errorf("%s: the hairpin predicted to work", tt.name)
			}
		}
		if fx := p.Propose(found); !slices.Contains(fx.Lines, `/ip firewall raw set [ find where comment=bogons ] in-interface-list=WAN`) {
			t.Errorf("%s: fix %q", tt.name, fx.Lines)
		}
	}
}

// TestForwardDropsAnswers: a DMZ isolation drop (in-interface=ether3
// out-interface=ether2) at the top of forward, without
// connection-state=new, takes the DMZ server's answers to the LAN's
// connection through the public address (a routed hairpin: another
// subnet). The negative controls: the drop limited to new connections,
// and the same drop below the accept of established connections.
func TestForwardDropsAnswers(t *testing.T) {
	const export = `# 2026-11-30 18:42:07 by RouterOS 7.16.2
` + etherLists + `add interface=ether3 list=LAN
/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
add address=10.10.10.1/24 interface=ether3 network=10.10.10.0
/ip firewall filter
%s
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=443 protocol=tcp to-addresses=10.10.10.10
/ip route
add gateway=203.0.113.1
`
	const drop = `add action=drop chain=forward comment=dmz in-interface=ether3 out-interface=ether2`
	const est = `add action=accept chain=forward connection-state=established,related`
	for _, tt := range []struct {
		name, rules string
		want        bool
	}{
		{"drop on top", drop + "\n" + est, true},
		{"drop of new connections", drop + " connection-state=new\n" + est, false},
		{"drop below the accept", est + "\n" + drop, false},
	} {
		p := importNamed(t, "dmz.rsc", []byte(fmt.Sprintf(export, tt.rules)))
		found, _ := p.Diagnose()
		got := withCause(found, ForwardDropsAnswers)
		if !tt.want {
			if len(got) != 0 {
				t.Errorf("%s: %v", tt.name, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Line != 14 || got[0].Path != "hairpin:ether2" {
			t.Fatalf("%s: findings %v", tt.name, found)
		}
		if fx := p.Propose(found); !slices.Contains(fx.Lines, `/ip firewall filter set [ find where comment=dmz ] connection-state=new`) {
			t.Errorf("%s: fix %q", tt.name, fx.Lines)
		}
	}
}
