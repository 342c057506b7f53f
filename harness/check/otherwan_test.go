package check

import (
	"strings"
	"testing"
)

// failoverMasq is a two-WAN failover (distance 1 and 2) whose masquerade
// names the first WAN only.
const failoverMasq = `# 2025-03-01 12:00:00 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether3
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
add interface=ether2 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=198.18.0.2/24 interface=ether2 network=198.18.0.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
/ip route
add distance=1 gateway=203.0.113.1
add distance=2 gateway=198.18.0.1
`

// The backup WAN of a failover whose masquerade names the first WAN only
// gets a note (the lab pulls the main WAN's cable to show it); a masquerade on the
// WAN list covers both, and a second WAN no main-table default route
// leads to (none, or a policy-routing table's only) is not judged.
func TestOtherWANOutNote(t *testing.T) {
	const want = "bridge (192.168.88.0/24) leaving by ether2"
	for _, c := range []struct {
		name, text string
		noted      bool
	}{
		{"masquerade on ether1 only", failoverMasq, true},
		{"masquerade on the WAN list", strings.Replace(failoverMasq, "out-interface=ether1", "out-interface-list=WAN", 1), false},
		{"no route by ether2", strings.Replace(failoverMasq, "add distance=2 gateway=198.18.0.1\n", "", 1), false},
		{"ether2 in a policy-routing table only", strings.Replace(failoverMasq, "add distance=2 gateway=198.18.0.1", "add gateway=198.18.0.1 routing-table=isp2\n/routing table\nadd fib name=isp2", 1), false},
	} {
		p := importNamed(t, "failover.rsc", []byte(c.text))
		notes := strings.Join(p.Notes, "\n")
		if got := strings.Contains(notes, want); got != c.noted {
			t.Errorf("%s: noted %v, want %v; notes:\n%s", c.name, got, c.noted, notes)
		}
	}
}
