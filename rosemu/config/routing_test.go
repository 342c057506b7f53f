package config

import (
	"context"
	"testing"
)

// RouterOS 6 has no /routing table and no routing-table= on a route (its
// marks need no table); 7 has both. A case written for 7 run as 6 fails
// as a 6.49 CHR would, and the v6 spelling passes.
func TestRoutingTablesAreV7(t *testing.T) {
	r6 := New(Options{Ports: ports, Version: "6.49.18"})
	for _, src := range []string{
		"/routing table add name=to-isp2 fib",
		"/ip route add gateway=192.0.2.1 routing-table=to-isp2",
	} {
		if _, err := r6.Run(context.Background(), src); err == nil {
			t.Errorf("6.49.18 took %q", src)
		}
	}
	run(t, r6, "/ip route add gateway=192.0.2.1 routing-mark=to-isp2")
	r7 := New(Options{Ports: ports, Version: "7.16.2"})
	run(t, r7, "/routing table add name=to-isp2 fib\n/ip route add gateway=192.0.2.1 routing-table=to-isp2")
}
