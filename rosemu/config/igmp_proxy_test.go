package config

import (
	"context"
	"strings"
	"testing"
)

// TestIGMPProxyStored: an IPTV export's IGMP proxy (settings, an upstream
// and a downstream interface) is taken in 6 and 7, exported, taken again
// and reported; an interface the router lacks is refused.
func TestIGMPProxyStored(t *testing.T) {
	src := `/interface bridge
add name=bridge
/routing igmp-proxy
set quick-leave=yes
/routing igmp-proxy interface
add alternative-subnets=0.0.0.0/0 interface=ether1 upstream=yes
add interface=bridge
`
	for _, v := range []string{"6.49.10", "7.16.2"} {
		r := runShape(t, v, []string{"ether1"}, src)
		exp := body(r.Export())
		if !strings.Contains(exp, "/routing igmp-proxy\nset quick-leave=yes\n/routing igmp-proxy interface\nadd alternative-subnets=0.0.0.0/0 interface=ether1 upstream=yes\nadd interface=bridge\n") {
			t.Errorf("%s export:\n%s", v, exp)
		}
		r2 := runShape(t, v, []string{"ether1"}, exp)
		if got := body(r2.Export()); got != exp {
			t.Errorf("%s re-import:\n%s\nwant\n%s", v, got, exp)
		}
		n := 0
		for _, ne := range r.NotEnforced() {
			if strings.HasPrefix(ne.Path, "/routing igmp-proxy") {
				n += ne.Count
			}
		}
		if n != 3 {
			t.Errorf("%s: %d IGMP proxy entries reported, want 3: %v", v, n, r.NotEnforced())
		}
		bad := New(Options{Ports: []string{"ether1"}, Version: v})
		if _, err := bad.Run(context.Background(), "/routing igmp-proxy interface add interface=nosuch"); err == nil {
			t.Errorf("%s: an unknown interface was taken", v)
		}
	}
}
