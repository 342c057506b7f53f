package check

import (
	"strings"
	"testing"
)

// wan2Table is a dual-WAN router with a forward on WAN2's address and a
// table of WAN2's own, whose default route no mark uses yet.
const wan2Table = `# by RouterOS 7.16
/interface bridge add name=bridge
/interface bridge port add bridge=bridge interface=ether3
/routing table add disabled=no fib name=to-wan2
/ip address add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip address add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip address add address=198.51.100.2/24 interface=ether2 network=198.51.100.0
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether2
/ip firewall nat add action=dst-nat chain=dstnat dst-address=198.51.100.2 dst-port=8080 protocol=tcp to-addresses=192.168.88.10 to-ports=80
/ip route add distance=1 gateway=203.0.113.1
/ip route add distance=2 gateway=198.51.100.1
/ip route add distance=1 gateway=198.51.100.1 routing-table=to-wan2
`

// TestReplyRouteReusesTable (chk58 D5): the fix for the answers of a WAN2
// forward added "/routing table add name=via-ether2 fib" and a default
// route through WAN2 in it beside the export's own table to-wan2 with
// that route. The marks now take to-wan2 and nothing is added twice.
// Controls: a table without fib, and a table whose route leaves by
// WAN1, keep the fix's own table.
func TestReplyRouteReusesTable(t *testing.T) {
	fix := func(rsc string) string {
		t.Helper()
		p := loadText(t, rsc)
		found, _ := p.Diagnose()
		return strings.Join(p.Propose(found).Lines, "\n")
	}
	got := fix(wan2Table)
	if !strings.Contains(got, "new-routing-mark=to-wan2") || strings.Contains(got, "/routing table add") || strings.Contains(got, "/ip route add") || strings.Contains(got, "via-ether2") {
		t.Errorf("the fix does not take the export's table to-wan2:\n%s", got)
	}
	for name, rsc := range map[string]string{
		"no fib":         strings.Replace(wan2Table, "disabled=no fib name=to-wan2", "name=to-wan2", 1),
		"route via WAN1": strings.Replace(wan2Table, "gateway=198.51.100.1 routing-table=to-wan2", "gateway=203.0.113.1 routing-table=to-wan2", 1),
		"route disabled": strings.Replace(wan2Table, "add distance=1 gateway=198.51.100.1 routing-table", "add disabled=yes distance=1 gateway=198.51.100.1 routing-table", 1),
	} {
		if got := fix(rsc); !strings.Contains(got, "/routing table add name=via-ether2 fib") || !strings.Contains(got, "new-routing-mark=via-ether2") {
			t.Errorf("control %s: the fix's own table is missing:\n%s", name, got)
		}
	}
}
