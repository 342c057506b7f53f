package config

import (
	"strings"
	"testing"
)

// A BGP connection's input.allow-as and the other accept/filter lists of
// the manual (a 7.x export: "input.allow-as=2 .filter=threats-in") are
// taken and stored; they were refused as "bad parameter input.allow-as".
func TestBGPInputAllowAs(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.16.2"})
	run(t, r, "/routing bgp connection add as=64512 input.allow-as=2 .filter=threats-in .accept-unknown=yes local.role=ibgp name=threats remote.address=192.168.140.2 output.filter-communities=65000:1 templates=default")
	// Written as RouterOS writes it, after input.accept-unknown
	// (realcheck34 D4).
	if exp := r.Export(); !strings.Contains(exp, "input.accept-unknown=yes .allow-as=2") {
		t.Errorf("export:\n%s", exp)
	}
}
