package config

import (
	"context"
	"testing"
)

// TestPointToPointAddressPeer (realcheck21 D1): "address=1.1.1.1
// network=2.2.2.2" is a /32 whose network is the far end of the link (the
// IP Addressing page: for point-to-point links the network is the remote
// end's address), so the data plane gets the address with that peer and
// the default route by 2.2.2.2 is reachable through ether1. The controls:
// a /30 and a /32 whose network is its own address have no peer.
func TestPointToPointAddressPeer(t *testing.T) {
	for _, v := range []string{"6.49.18", "7.16.2"} {
		src := `/ip address add address=1.1.1.1 interface=ether1 network=2.2.2.2
/ip address add address=10.0.0.1/30 interface=ether2
/ip address add address=10.9.9.9/32 interface=ether2 network=10.9.9.9
/ip route add gateway=2.2.2.2`
		r := New(Options{Ports: []string{"ether1", "ether2"}, Version: v})
		if _, err := r.Run(context.Background(), src); err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		tx := r.begin(false)
		got := map[string]string{}
		for _, a := range buildState(tx, nil).Addresses {
			got[a.Prefix.String()] = a.Peer.String()
		}
		want := map[string]string{"1.1.1.1/32": "2.2.2.2", "10.0.0.1/30": "invalid IP", "10.9.9.9/32": "invalid IP"}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s: address %s peer %q, want %q (all: %v)", v, k, got[k], w, got)
			}
		}
		if hop, ifc := tx.gatewayHop(nil, "2.2.2.2"); ifc != "ether1" || hop != "2.2.2.2" {
			t.Errorf("%s: gateway 2.2.2.2 resolves to %q on %q, want on ether1", v, hop, ifc)
		}
	}
}
