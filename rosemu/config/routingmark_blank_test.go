package config

import (
	"testing"
)

// TestV6RoutingMarkWithBlanks: a 6.49.6 RB1100's export marks its routes
// routing-mark="KE ISP 1" and looks them up from route rules with
// table="KE ISP 1". RouterOS 6 wrote them, so it takes them; rosemu refused
// both ("invalid value for argument routing-mark", then "... table"), and
// the lab lost the export's policy routing. The table reaches the kernel
// under its name.
func TestV6RoutingMarkWithBlanks(t *testing.T) {
	r := runShape(t, "6.49.6", []string{"ether1", "ether2"}, `/ip address
add address=198.51.100.2/30 interface=ether1
add address=10.10.12.1/30 interface=ether2
/ip route
add distance=1 gateway=198.51.100.1 routing-mark="KE ISP 1"
add distance=1 gateway=198.51.100.1
/ip route rule
add src-address=10.10.12.2/32 table="KE ISP 1"
`)
	st := r.State()
	if len(st.RoutingRules) != 1 || st.RoutingRules[0].Table != "KE ISP 1" {
		t.Fatalf("rules %+v", st.RoutingRules)
	}
	found := false
	for _, tb := range st.RoutingTables {
		found = found || tb.Name == "KE ISP 1"
	}
	if !found {
		t.Errorf("tables %+v: no KE ISP 1", st.RoutingTables)
	}
}
