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
	exportOf(t, "7.16.2", "/ip firewall connection tracking set udp-timeout=10s\n/ip neighbor discovery-settings set discover-interface-list=!dynamic\n/ip hotspot profile set [ find default=yes ] html-directory=hotspot\n",
		"/ip firewall connection tracking\nset udp-timeout=10s\n",
		"/ip neighbor discovery-settings\nset discover-interface-list=!dynamic\n",
		"/ip hotspot profile\nset [ find default=yes ] html-directory=hotspot\n")
	// The same wAP R's BGP template line: RouterOS 7 keeps what its
	// routing items were given (TestExportRoutingKeepsGiven), the built-in
	// template too.
	exportOf(t, "7.16.2", "/routing bgp template set default disabled=no output.network=bgp-networks\n",
		"/routing bgp template\nset default disabled=no output.network=bgp-networks\n")
	exp := body(New(Options{Ports: ports, Version: "7.16.2"}).Export())
	for _, w := range []string{"udp-timeout", "discover-interface-list", "html-directory"} {
		if strings.Contains(exp, w) {
			t.Errorf("an untouched router's export writes %s:\n%s", w, exp)
		}
	}
}
