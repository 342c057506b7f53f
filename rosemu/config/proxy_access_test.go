package config

import (
	"context"
	"strings"
	"testing"
)

// TestProxyAndSocksAccess: the web proxy's and SOCKS server's access rules
// of office exports are taken in 6 and 7, exported after their server's
// settings, taken again and reported; a bad action is refused.
func TestProxyAndSocksAccess(t *testing.T) {
	src := `/ip proxy
set enabled=yes port=3128
/ip proxy access
add action=deny dst-host=*.badsite.example
add src-address=10.0.0.0/8
/ip socks
set port=1080
/ip socks access
add action=deny src-address=!192.0.2.0/25
`
	for _, v := range []string{"6.48.6", "7.16.2"} {
		r := runShape(t, v, []string{"ether1"}, src)
		exp := body(r.Export())
		if !strings.Contains(exp, "/ip proxy\nset enabled=yes port=3128\n/ip proxy access\nadd action=deny dst-host=*.badsite.example\nadd src-address=10.0.0.0/8\n") ||
			!strings.Contains(exp, "/ip socks access\nadd action=deny src-address=!192.0.2.0/25\n") {
			t.Errorf("%s export:\n%s", v, exp)
		}
		r2 := runShape(t, v, []string{"ether1"}, exp)
		if got := body(r2.Export()); got != exp {
			t.Errorf("%s re-import:\n%s\nwant\n%s", v, got, exp)
		}
		n := 0
		for _, ne := range r.NotEnforced() {
			if strings.HasSuffix(ne.Path, " access") {
				n += ne.Count
			}
		}
		if n != 3 {
			t.Errorf("%s: %d access rules reported, want 3", v, n)
		}
		if _, err := New(Options{Ports: []string{"ether1"}, Version: v}).Run(context.Background(), "/ip proxy access add action=maybe"); err == nil {
			t.Errorf("%s: action=maybe taken", v)
		}
	}
}
