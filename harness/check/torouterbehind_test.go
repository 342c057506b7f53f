package check

import (
	"strings"
	"testing"
)

// TestToRouterBehindISPRouterNotProbed: a dst-nat to the router's own
// WinBox on a WAN with a private address is not probed from the internet,
// which cannot address that WAN (the probe read "unreachable" whatever the
// rules, and its warning blamed the input chain); a note says why.
// Control: the same export on a public address probes it.
func TestToRouterBehindISPRouterNotProbed(t *testing.T) {
	rsc := `/interface bridge add name=bridge
/interface bridge port add bridge=bridge interface=ether2
/ip address add address=192.168.99.1/24 interface=bridge network=192.168.99.0
/ip address add address=192.168.100.7/24 interface=ether1 network=192.168.100.0
/ip route add dst-address=0.0.0.0/0 gateway=192.168.100.1
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
/ip firewall nat add action=dst-nat chain=dstnat dst-port=9999 in-interface=ether1 protocol=tcp to-addresses=192.168.99.1 to-ports=8291
`
	probes := func(rsc string) (string, []string) {
		t.Helper()
		p := importNamed(t, "edge.rsc", []byte(rsc))
		if len(p.ToRouter) != 1 {
			t.Fatalf("ToRouter %+v, want the dst-nat to WinBox", p.ToRouter)
		}
		c, err := p.Case(Fix{})
		if err != nil {
			t.Fatal(err)
		}
		return c.YAML, p.Notes
	}
	y, notes := probes(rsc)
	if strings.Contains(y, "router.wan:9999") {
		t.Errorf("the forward to WinBox is probed at a private WAN address:\n%s", y)
	}
	if !hasNote(notes, "line 7 forwards tcp/9999", "192.168.100.7", "not probed from the internet") {
		t.Errorf("no note of the probe left out: %q", notes)
	}
	y, _ = probes(strings.NewReplacer("192.168.100.7/24", "203.0.113.7/24", "192.168.100.0", "203.0.113.0", "192.168.100.1", "203.0.113.1").Replace(rsc))
	if !strings.Contains(y, "router.wan:9999") {
		t.Errorf("the forward to WinBox is not probed on a public WAN:\n%s", y)
	}
}
