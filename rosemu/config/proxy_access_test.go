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

// TestV7RealExportSettings: lines of 6.46, 7.10 and 7.15.3 exports that
// rosemu refused: the e-mail server as a DNS name under address= (6, and
// 7 before server=), a proxy redirect with action-data (7) and a NAT rule
// with dst-address-type="" (7.15.3).
func TestV7RealExportSettings(t *testing.T) {
	for v, src := range map[string]string{
		"6.46":   "/tool e-mail set address=smtp.example.ru from=a@example.ru port=587 start-tls=yes user=a\n",
		"7.10":   "/tool e-mail set address=smtp.example.com from=a@example.com port=587 tls=starttls user=a\n",
		"7.15.3": "/tool e-mail set address=smtp.example.com port=587 tls=yes\n/ip proxy access add action=redirect action-data=grafana:3000 dst-host=grafana\n/ip firewall nat add action=dst-nat chain=dstnat dst-address-type=\"\" dst-port=3389 protocol=tcp to-addresses=192.168.90.80\n",
	} {
		r := runShape(t, v, []string{"ether1"}, src)
		exp := body(r.Export())
		r2 := runShape(t, v, []string{"ether1"}, exp)
		if got := body(r2.Export()); got != exp {
			t.Errorf("%s re-import:\n%s\nwant\n%s", v, got, exp)
		}
		if strings.Contains(exp, "dst-address-type") {
			t.Errorf("%s: empty dst-address-type exported:\n%s", v, exp)
		}
	}
	for v, src := range map[string]string{
		"7.19.1":  "/tool e-mail set address=smtp.example.com",
		"6.49.10": "/ip proxy access add action=redirect action-data=x:1",
	} {
		if _, err := New(Options{Ports: []string{"ether1"}, Version: v}).Run(context.Background(), src); err == nil {
			t.Errorf("%s took %q", v, src)
		}
	}
}
