package check

import (
	"strings"
	"testing"
)

// pccTables is a PCC load balancer on RouterOS 7 whose default routes sit
// in tables of their own, the DHCP clients adding none to main (rc32's
// rb750r2-64913, on 7).
const pccTables = `# by RouterOS 7.16
/routing table add fib name=to-isp1
/routing table add fib name=to-isp2
/ip address add address=192.168.88.1/24 interface=ether3 network=192.168.88.0
/ip dhcp-client add add-default-route=no interface=ether1
/ip dhcp-client add add-default-route=no interface=ether2
/ip dns set servers=8.8.8.8,192.168.88.53
/ip firewall mangle add action=mark-connection chain=prerouting in-interface=ether3 new-connection-mark=isp1 per-connection-classifier=both-addresses:2/0
/ip firewall mangle add action=mark-connection chain=prerouting in-interface=ether3 new-connection-mark=isp2 per-connection-classifier=both-addresses:2/1
/ip firewall mangle add action=mark-routing chain=prerouting connection-mark=isp1 in-interface=ether3 new-routing-mark=to-isp1
/ip firewall mangle add action=mark-routing chain=prerouting connection-mark=isp2 in-interface=ether3 new-routing-mark=to-isp2
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether2
/ip route add check-gateway=ping gateway=192.168.1.1%ether1 routing-table=to-isp1
/ip route add check-gateway=ping gateway=192.168.2.1%ether2 routing-table=to-isp2
`

// TestMainTableNoDefault (chk58 N1): every default route in a table of
// its own and nothing adding one to main: the router's own connections
// (its DNS resolver to 8.8.8.8) find no route, and a marked connection
// whose WAN is down falls back to a main table with none. check said
// nothing. Controls: a main default route, a DHCP client that adds one,
// a routing protocol (BGP).
func TestMainTableNoDefault(t *testing.T) {
	warn := func(rsc string) string {
		t.Helper()
		return strings.Join(loadText(t, rsc).ExportWarnings(), "\n")
	}
	w := warn(pccTables)
	for _, want := range []string{"the main table has no default route", "line(s) 14, 15 are in the routing tables to-isp1, to-isp2 only", "its DNS servers 8.8.8.8 among them",
		"/ip route add dst-address=0.0.0.0/0 gateway=192.168.1.1%ether1 distance=1 check-gateway=ping ; /ip route add dst-address=0.0.0.0/0 gateway=192.168.2.1%ether2 distance=2 check-gateway=ping"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
	for name, rsc := range map[string]string{
		"a main default route": pccTables + "/ip route add gateway=192.168.1.1%ether1 distance=1\n",
		"a DHCP client adds":   strings.Replace(pccTables, "/ip dhcp-client add add-default-route=no interface=ether1", "/ip dhcp-client add interface=ether1", 1),
		"BGP":                  pccTables + "/routing bgp connection add name=up\n",
	} {
		if w := warn(rsc); strings.Contains(w, "the main table has no default route") {
			t.Errorf("control %s: warned:\n%s", name, w)
		}
	}
}
