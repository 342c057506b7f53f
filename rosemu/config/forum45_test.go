package config

import (
	"strings"
	"testing"
)

// TestForum45AddressInvalidFlag (D4): an address on a bridge port is
// invalid, and /ip address print flags it I with I in the legend (wiki
// Manual:IP/Address); on 6.49 the legend is 6.x's and there is no
// "Columns:" line. Control: the address on the bridge has no I, and 7.x
// keeps its Columns line.
func TestForum45AddressInvalidFlag(t *testing.T) {
	for _, c := range []struct{ version, legend string }{
		{"7.16.2", "Flags: X - DISABLED, I - INVALID; D - DYNAMIC"},
		{"6.49.18", "Flags: X - disabled, I - invalid, D - dynamic"},
	} {
		r := New(Options{Ports: []string{"ether1", "ether2"}, Version: c.version})
		run(t, r, "/interface bridge add name=bridge\n/interface bridge port add bridge=bridge interface=ether2\n"+
			"/ip address add address=192.168.88.1/24 interface=bridge\n/ip address add address=192.168.88.77/24 interface=ether2")
		out := run(t, r, "/ip address print")
		if !strings.Contains(out, c.legend) {
			t.Errorf("%s: legend missing %q:\n%s", c.version, c.legend, out)
		}
		var port, bridge string
		for _, l := range strings.Split(out, "\n") {
			switch {
			case strings.Contains(l, "ether2"):
				port = l
			case strings.Contains(l, "192.168.88.1/24"):
				bridge = l
			}
		}
		if f := strings.Fields(port); len(f) < 2 || f[1] != "I" {
			t.Errorf("%s: the bridge port's address row has no I: %q\n%s", c.version, port, out)
		}
		if f := strings.Fields(bridge); len(f) < 2 || f[1] == "I" {
			t.Errorf("%s: the bridge's address row: %q", c.version, bridge)
		}
		if has := strings.Contains(out, "Columns:"); has != (c.version == "7.16.2") {
			t.Errorf("%s: Columns line present=%v:\n%s", c.version, has, out)
		}
	}
}
