package config

import (
	"context"
	"strings"
	"testing"
)

// /ip packing (a 7.1 export's rule on an EoIP tunnel) is stored, reported
// and exported between the firewall and the routes; a bad mode and a
// missing interface are refused.
func TestIPPacking(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/interface eoip add name=eoip-mesh remote-address=192.0.2.2 tunnel-id=81\n"+
		"/ip packing add disabled=yes interface=eoip-mesh packing=compress-all unpacking=compress-all\n"+
		"/ip route add dst-address=10.9.0.0/16 gateway=192.0.2.1")
	exp := r.Export()
	i, j := strings.Index(exp, "/ip packing\nadd disabled=yes interface=eoip-mesh packing=compress-all"), strings.Index(exp, "/ip route")
	if i < 0 || j < i || !strings.Contains(exp, "unpacking=") {
		t.Errorf("export:\n%s", exp)
	}
	found := false
	for _, it := range r.NotEnforced() {
		found = found || strings.HasPrefix(it.Path, "/ip packing")
	}
	if !found {
		t.Errorf("not reported: %v", r.NotEnforced())
	}
	for _, bad := range []string{"/ip packing add interface=eoip-mesh packing=zip", "/ip packing add packing=simple"} {
		if _, err := r.Run(context.Background(), bad); err == nil {
			t.Errorf("%q taken", bad)
		}
	}
}
