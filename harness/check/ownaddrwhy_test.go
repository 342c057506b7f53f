package check

import (
	"strings"
	"testing"
)

// A forward of port 80 with no destination (the forum's dst-nat with a
// port only) takes the router's own LAN address as a dst-address-type=local
// one does; the finding says which of the two the rule is. It said
// "dst-address-type=local also takes ..." of a rule with no such matcher.
// A forward on the WAN's own address does not take the router's LAN
// address: no finding (the control).
func TestOwnAddressSaysWhatTakesIt(t *testing.T) {
	const head = `# by RouterOS 7.18.2
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
/ip address
add address=203.0.113.10/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat dst-address=192.168.88.20 src-address=192.168.88.0/24
`
	for _, c := range []struct {
		name, rule, want string
	}{
		{"no destination", "add action=dst-nat chain=dstnat dst-port=80 protocol=tcp to-addresses=192.168.88.20", "the rule names no destination"},
		{"local", "add action=dst-nat chain=dstnat dst-address-type=local dst-port=80 protocol=tcp to-addresses=192.168.88.20", "dst-address-type=local holds them"},
		{"wan address", "add action=dst-nat chain=dstnat dst-address=203.0.113.10 dst-port=80 protocol=tcp to-addresses=192.168.88.20", ""},
	} {
		p := importText(t, head+c.rule+"\n")
		found, _ := p.Diagnose()
		got := withCause(found, TakesOwnAddress)
		if c.want == "" {
			if len(got) > 0 {
				t.Errorf("%s: %+v", c.name, got)
			}
			continue
		}
		if len(got) != 1 || !strings.Contains(got[0].Detail, c.want) || strings.Contains(got[0].String(), "dst-address-type=local") != (c.name == "local") {
			t.Errorf("%s: %+v", c.name, got)
		}
	}
}
