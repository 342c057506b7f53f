package config

import (
	"context"
	"strings"
	"testing"
)

// TestBridgeVLANTaggedList: RouterOS 7 takes an interface list in a bridge
// VLAN's tagged= (a 7.19 CRS326 export); the kernel gets the list's
// members, the export keeps the name and imports again. RouterOS 6
// refuses it.
func TestBridgeVLANTaggedList(t *testing.T) {
	src := `/interface bridge
add name=br vlan-filtering=yes
/interface list
add name=TRUNKS
/interface bridge port
add bridge=br interface=ether2
add bridge=br interface=ether3
/interface bridge vlan
add bridge=br tagged=br,TRUNKS vlan-ids=20
/interface list member
add interface=ether2 list=TRUNKS
add interface=ether3 list=TRUNKS
`
	r := runShape(t, "7.19.3", []string{"ether1", "ether2", "ether3"}, src)
	s := r.State()
	if len(s.Bridges) != 1 || len(s.Bridges[0].VLANs) != 1 || strings.Join(s.Bridges[0].VLANs[0].Tagged, ",") != "br,ether2,ether3" {
		t.Fatalf("bridges = %+v", s.Bridges)
	}
	exp := body(r.Export())
	if !strings.Contains(exp, "tagged=br,TRUNKS") {
		t.Errorf("export:\n%s", exp)
	}
	if got := body(runShape(t, "7.19.3", []string{"ether1", "ether2", "ether3"}, exp).Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
	v6 := New(Options{Ports: []string{"ether1", "ether2"}, Version: "6.49.10"})
	if _, err := v6.Run(context.Background(), "/interface bridge add name=br\n/interface list add name=T\n/interface bridge vlan add bridge=br tagged=T vlan-ids=20"); err == nil {
		t.Errorf("6 took an interface list in tagged=")
	}
}
