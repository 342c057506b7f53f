package config

import (
	"context"
	"strings"
	"testing"
)

// TestRouteDistance255: RouterOS never selects a route of distance 255:
// it stays in /ip route, printed without A and active=false, and goes to
// no kernel table, so the next candidate (distance 2) carries the traffic;
// a route of distance 255 alone to its destination is inactive too.
// The distance-254 route is used as any other (the control). Before
// ros46 the 255 route was active and installed.
func TestRouteDistance255(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/ip address add address=203.0.113.2/24 interface=ether1
/ip address add address=198.18.0.2/24 interface=ether3
/ip route add gateway=203.0.113.1 distance=255 comment=never
/ip route add gateway=198.18.0.1 distance=2 comment=backup
/ip route add dst-address=10.9.0.0/16 gateway=203.0.113.1 distance=254 comment=far
/ip route add dst-address=10.8.0.0/16 gateway=203.0.113.1 distance=255 comment=alone`)
	rows, _, err := r.Command(context.Background(), "/ip/route/print", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, row := range rows {
		c, _ := row.Get("comment")
		a, _ := row.Get("active")
		got[c] = a
	}
	if got["never"] != "false" || got["alone"] != "false" || got["backup"] != "true" || got["far"] != "true" {
		t.Errorf("active = %v, want never and alone false, backup and far true", got)
	}
	for _, line := range strings.Split(run(t, r, "/ip route print"), "\n") {
		f := strings.Fields(line)
		if len(f) > 3 && f[3] == "203.0.113.1" && (f[2] == "0.0.0.0/0" || f[2] == "10.8.0.0/16") && strings.Contains(f[1], "A") {
			t.Errorf("the distance-255 route is flagged active: %q", line)
		}
	}
	var kernelGW []string
	for _, kr := range r.State().Routes {
		kernelGW = append(kernelGW, kr.Dst.String()+"@"+kr.Gateway)
	}
	if k := strings.Join(kernelGW, " "); strings.Contains(k, "0.0.0.0/0@203.0.113.1") || strings.Contains(k, "10.8.0.0/16") || !strings.Contains(k, "0.0.0.0/0@198.18.0.1") || !strings.Contains(k, "10.9.0.0/16@203.0.113.1") {
		t.Errorf("kernel routes %s", k)
	}
}
