package check

import (
	"slices"
	"strings"
	"testing"
)

// disabledFixBase is a home router whose forward works once one of its
// disabled rules is enabled; each case below adds the rules.
const disabledFixBase = "# 2026-12-01 18:40:02 by RouterOS 7.16.1\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.66/29 interface=ether1 network=203.0.113.64
/ip route
add gateway=203.0.113.65
`

// A disabled rule that, enabled, lets the connection through (a forward
// accept for DSTNATed connections written without action=, as RouterOS 6
// exports leave the default out; a disabled LAN copy of the forward; a
// disabled hairpin masquerade) is named in the finding and is what the
// fix enables, instead of a new rule beside it. A disabled rule
// below the drop, or to another server, is not.
func TestFixEnablesTheDisabledRule(t *testing.T) {
	filter := disabledFixBase + `/ip firewall filter
add chain=forward connection-state=established,related
add chain=forward comment="port forwards" connection-nat-state=dstnat disabled=yes
add action=drop chain=forward
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=203.0.113.66 dst-port=2222 protocol=tcp to-addresses=192.168.88.15 to-ports=22
add action=masquerade chain=srcnat dst-address=192.168.88.15 out-interface=bridge src-address=192.168.88.0/24
`
	copyNAT := disabledFixBase + `/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=443 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.20
add action=dst-nat chain=dstnat disabled=yes dst-address=203.0.113.66 dst-port=443 in-interface-list=LAN protocol=tcp to-addresses=192.168.88.20
add action=masquerade chain=srcnat dst-address=192.168.88.20 out-interface=bridge src-address=192.168.88.0/24
`
	for _, c := range []struct {
		name, text, want string
	}{
		{"filter accept", filter, `/ip firewall filter enable [ find where comment="port forwards" ]`},
		{"filter accept below the drop", strings.Replace(strings.Replace(filter, "add chain=forward comment=\"port forwards\" connection-nat-state=dstnat disabled=yes\n", "", 1),
			"add action=drop chain=forward\n", "add action=drop chain=forward\nadd chain=forward comment=\"port forwards\" connection-nat-state=dstnat disabled=yes\n", 1), ""},
		{"LAN copy", copyNAT, "/ip firewall nat enable [ find where action=dst-nat and chain=dstnat and dst-address=203.0.113.66"},
		{"hairpin masquerade", disabledFixBase + `/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-type=local dst-address=!192.168.88.1 dst-port=443 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment=hairpin disabled=yes dst-address=192.168.88.0/24 src-address=192.168.88.0/24
`, "/ip firewall nat enable [ find where comment=hairpin ]"},
		{"LAN copy to another server", strings.Replace(copyNAT, "in-interface-list=LAN protocol=tcp to-addresses=192.168.88.20", "in-interface-list=LAN protocol=tcp to-addresses=192.168.88.21", 1), ""},
	} {
		p := importText(t, c.text)
		found, _ := p.Diagnose()
		if len(found) == 0 {
			t.Errorf("%s: no finding", c.name)
			continue
		}
		lines := p.Propose(found).Lines
		enables := slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, " enable [") })
		if c.want == "" {
			if enables {
				t.Errorf("%s: fix enables a rule:\n%s", c.name, strings.Join(lines, "\n"))
			}
			continue
		}
		if !slices.ContainsFunc(found, func(f Finding) bool { return f.Enable != 0 && strings.Contains(f.Detail, "but it is disabled") }) {
			t.Errorf("%s: findings: %+v", c.name, found)
		}
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, c.want) }) || len(lines) != 1 {
			t.Errorf("%s: fix:\n%s", c.name, strings.Join(lines, "\n"))
		}
	}
}
