package config

import (
	"slices"
	"testing"
)

// TestBridgeListSkipsWireGuard (realcheck27 D12): a WireGuard interface
// in an interface list given as a bridge port is no port of the bridge (a
// layer-3 interface with no MAC address); the lab of a CCR2004 7.10.1
// export failed "add vlan 10 to wg-sonoshq in bridge BRI-TEST: operation
// not supported". Control: the list's ethernet member is a port.
func TestBridgeListSkipsWireGuard(t *testing.T) {
	src := `/interface bridge add name=BRI-TEST vlan-filtering=yes
/interface wireguard add listen-port=13231 name=wg-sonoshq
/interface list add name=InterfaceListVlan10
/interface list member add interface=ether2 list=InterfaceListVlan10
/interface list member add interface=wg-sonoshq list=InterfaceListVlan10
/interface bridge port add bridge=BRI-TEST interface=InterfaceListVlan10 pvid=10
`
	r := runShape(t, "7.10.1", []string{"ether1", "ether2"}, src)
	var got []string
	for _, b := range r.State().Bridges {
		for _, p := range b.Ports {
			got = append(got, p.Interface)
		}
	}
	if want := []string{"ether2"}; !slices.Equal(got, want) {
		t.Errorf("ports %v, want %v", got, want)
	}
}
