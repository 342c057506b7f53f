package config

import (
	"strings"
	"testing"
)

// TestExportDHCPClientOptionFirst: a DHCP client option is exported before
// the DHCP client that names it, as RouterOS writes /ip dhcp-client option
// near the top of an export (a 6.42.1 RB750r2's line 30, before /ip hotspot
// profile and /ip pool: "/ip dhcp-client option add code=12 name=hostiptv
// value=\"'BY87000782316165'\"", then at line 199 "/ip dhcp-client add
// add-default-route=no dhcp-options=hostiptv interface=eth2-admin"; a 7.18.2
// CRS310's verbose export writes it between /interface macsec profile and
// /ip hotspot profile). rosemu wrote the options after /ip dhcp-client and
// its export did not import: "input does not match any value of
// dhcp-options" (realcheck33 D1).
func TestExportDHCPClientOptionFirst(t *testing.T) {
	src := "/ip dhcp-client option add code=12 name=hostiptv value=\"'BY87000782316165'\"\n" +
		"/ip hotspot profile add name=hsprof2\n" +
		"/ip dhcp-client add add-default-route=no dhcp-options=hostiptv,clientid interface=ether2\n"
	for _, v := range []string{"6.42.1", "7.18.2"} {
		exp := checkExportsImport(t, v, src, map[string]string{"dhcp-options=hostiptv": "name=hostiptv"})
		if strings.Index(exp, "/ip dhcp-client option\n") > strings.Index(exp, "/ip hotspot profile\n") {
			t.Errorf("%s: /ip dhcp-client option is written after /ip hotspot profile:\n%s", v, exp)
		}
	}
}
