package check

import (
	"slices"
	"strings"
	"testing"
)

// An export whose server is reached over IPv6 (a forward accept of its
// global address and port, no IPv4 forward) says which lines open it and
// that the check does not diagnose IPv6; it said only "no problem found".
// The usual accepts (established, ICMPv6) are no opening.
func TestIPv6OpeningNoted(t *testing.T) {
	const rsc = `# by RouterOS 7.18
/ip/address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip/dhcp-client
add interface=ether1
/ip/firewall/nat
add action=masquerade chain=srcnat out-interface=ether1
/ipv6/firewall/filter
add action=accept chain=forward connection-state=established,related,untracked
add action=accept chain=forward protocol=icmpv6
add action=accept chain=forward dst-address=2001:db8:1::10/128 dst-port=443 protocol=tcp
add action=drop chain=forward in-interface=ether1
`
	p := importText(t, rsc)
	if !slices.ContainsFunc(p.Notes, func(n string) bool {
		return strings.HasPrefix(n, "line 11 opens IPv6") && strings.Contains(n, "IPv4 only")
	}) {
		t.Errorf("notes: %q", p.Notes)
	}
}
