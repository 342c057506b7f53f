package check

import (
	"strings"
	"testing"
)

// TestNestedSubnetsOneBridge (realcheck33 C5): rotko bkk50's bridge_local
// holds 192.168.88.50/24 and 192.168.69.1/16: two lab networks of
// overlapping subnets stopped the lab ("lan2 (192.168.0.0/16) overlaps
// another network of the lab"). One network, the wider, stands for both
// and a note says so. Control: the /24 on a bridge of its own keeps its
// own network (and the overlap is still refused there: two wires).
func TestNestedSubnetsOneBridge(t *testing.T) {
	const export = `# 2025-06-01 10:00:00 by RouterOS 7.20beta2
/interface bridge
add name=bridge_local
add name=other
/interface bridge port
add bridge=bridge_local interface=ether2
add bridge=bridge_local interface=ether4
add bridge=other interface=ether3
/ip address
add address=192.168.88.50/24 interface=%s network=192.168.88.0
add address=192.168.69.1/16 interface=bridge_local network=192.168.0.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=20781 protocol=tcp to-addresses=192.168.69.101 to-ports=443
`
	p := loadText(t, strings.Replace(export, "%s", "bridge_local", 1))
	found, _ := p.Diagnose()
	c, err := p.Case(p.Propose(found))
	if err != nil {
		t.Fatalf("one bridge: %v", err)
	}
	if !strings.Contains(c.YAML, "192.168.0.0/16") || strings.Contains(c.YAML, "192.168.88.0/24") ||
		!strings.Contains(strings.Join(p.Notes, "\n"), "the lab gives bridge_local's 192.168.88.0/24 no network of its own: it lies inside 192.168.0.0/16") {
		t.Errorf("one bridge: want one lab network 192.168.0.0/16 and the note\n%s\n%v", c.YAML, p.Notes)
	}
	q := loadText(t, strings.Replace(export, "%s", "other", 1))
	found, _ = q.Diagnose()
	if _, err := q.Case(q.Propose(found)); err == nil || !strings.Contains(err.Error(), "overlaps another network of the lab") {
		t.Errorf("control, two bridges: %v, want the overlap refused", err)
	}
}
