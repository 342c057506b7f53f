package config

import (
	"strings"
	"testing"
)

// TestExportKeepsGivenSettings: RouterOS 7 RouterBOARD exports write
// settings their owners gave at what rosemu takes as the default: a 7.16.2
// wAP R's "/ip firewall connection tracking set udp-timeout=10s", "/ip
// neighbor discovery-settings set discover-interface-list=!dynamic" and
// "/ip hotspot profile set [ find default=yes ] html-directory=hotspot"; a
// 7.16.1 RB5009's "udp-timeout=10s" too; a 7.15 RB760iGS's udp-timeout and
// html-directory lines. rosemu dropped each, so its export of these routers
// lost lines the originals have (realcheck37's known gap, seen again in
// realcheck38's corpus). What was not given stays out.
func TestExportKeepsGivenSettings(t *testing.T) {
	// Each line as the wAP R gives it, and as its export writes it; the
	// BGP template's is a built-in routing item's, which RouterOS 7 keeps
	// as given too (TestExportRoutingKeepsGiven).
	given := map[string]string{
		"/ip firewall connection tracking set udp-timeout=10s":                      "/ip firewall connection tracking\nset udp-timeout=10s\n",
		"/ip neighbor discovery-settings set discover-interface-list=!dynamic":      "/ip neighbor discovery-settings\nset discover-interface-list=!dynamic\n",
		"/ip hotspot profile set [ find default=yes ] html-directory=hotspot":       "/ip hotspot profile\nset [ find default=yes ] html-directory=hotspot\n",
		"/routing bgp template set default disabled=no output.network=bgp-networks": "/routing bgp template\nset default disabled=no output.network=bgp-networks\n",
	}
	for line, want := range given {
		exportOf(t, "7.16.2", line+"\n", want)
	}
	exp := body(New(Options{Ports: ports, Version: "7.16.2"}).Export())
	for _, w := range []string{"udp-timeout", "discover-interface-list", "html-directory"} {
		if strings.Contains(exp, w) {
			t.Errorf("an untouched router's export writes %s:\n%s", w, exp)
		}
	}
}
