package config

import (
	"strings"
	"testing"
)

// TestNoneStaticListTimeoutReported: address-list-timeout=none-static asks
// RouterOS for a static entry, exported and kept over a reboot; rosemu's
// kernel adds a dynamic one without timeout, so the rule is reported as not
// enforced (it was accepted silently). Controls: none-dynamic and a
// duration, which rosemu enforces, are not reported.
func TestNoneStaticListTimeoutReported(t *testing.T) {
	r := runShape(t, "7.16.2", []string{"ether1"}, `/ip firewall raw
add action=add-src-to-address-list address-list=trap address-list-timeout=none-static chain=prerouting dst-port=23 protocol=tcp
add action=add-src-to-address-list address-list=trap2 address-list-timeout=1d chain=prerouting dst-port=24 protocol=tcp
/ip firewall filter
add action=add-src-to-address-list address-list=trap3 address-list-timeout=none-dynamic chain=input dst-port=25 protocol=tcp
`)
	var got []string
	for _, ne := range r.NotEnforced() {
		if ne.Property == "address-list-timeout" {
			got = append(got, ne.Path+" "+strings.Repeat("x", ne.Count))
		}
	}
	if len(got) != 1 || got[0] != "/ip firewall raw x" {
		t.Errorf("address-list-timeout reported as %q, want the one none-static rule of /ip firewall raw", got)
	}
}
