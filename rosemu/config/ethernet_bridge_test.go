package config

import (
	"slices"
	"strings"
	"testing"
)

// A renamed port keeps its default name in the kernel: the state a
// bridge hands the kernel (its ports, the members of its VLAN entries)
// and a VLAN's parent name the port by that name, as the addresses and
// rules do. Before this the kernel looked for a link called sfp-sfpplus1
// and refused the VLAN table.
func TestEthernetRenameInBridge(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/interface ethernet set [ find default-name=ether3 ] name=sfp-sfpplus1
/interface bridge add name=bridge1 vlan-filtering=yes
/interface bridge port add bridge=bridge1 interface=ether2 pvid=10
/interface bridge port add bridge=bridge1 interface=sfp-sfpplus1 frame-types=admit-only-vlan-tagged
/interface bridge vlan add bridge=bridge1 tagged=bridge1,sfp-sfpplus1 untagged=ether2 vlan-ids=10
/interface vlan add interface=sfp-sfpplus1 name=v20 vlan-id=20`)
	s := r.State()
	if len(s.Bridges) != 1 || len(s.Bridges[0].Ports) != 2 || len(s.Bridges[0].VLANs) != 1 {
		t.Fatalf("bridges = %+v", s.Bridges)
	}
	b := s.Bridges[0]
	if b.Ports[1].Interface != "ether3" {
		t.Errorf("the renamed bridge port is %q in the kernel's state, want ether3", b.Ports[1].Interface)
	}
	if b.Ports[0].Interface != "ether2" {
		t.Errorf("a port not renamed became %q", b.Ports[0].Interface)
	}
	if v := b.VLANs[0]; !slices.Equal(v.Tagged, []string{"bridge1", "ether3"}) || !slices.Equal(v.Untagged, []string{"ether2"}) {
		t.Errorf("vlan entry = %+v, want tagged bridge1,ether3 untagged ether2", v)
	}
	if len(s.VLANs) != 1 || s.VLANs[0].Interface != "ether3" {
		t.Errorf("vlans = %+v, want v20 on ether3", s.VLANs)
	}
	// The model keeps the user's names.
	if exp := body(r.Export()); !strings.Contains(exp, "tagged=bridge1,sfp-sfpplus1") {
		t.Errorf("the export lost the port's name:\n%s", exp)
	}
}
