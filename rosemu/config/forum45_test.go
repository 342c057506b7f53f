package config

import (
	"context"
	"errors"
	"net/netip"
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

// TestForum45DHCPNoNetwork (D2): a server whose pool no /ip dhcp-server
// network holds offers nothing (wiki Manual:IP/DHCP_Server: the server
// needs its networks), and the log names the missing network, not an
// empty pool. Control: the exhausted pool of TestDHCPServerPoolExhaustedAndExpiry
// still logs "pool <lan> is empty".
func TestForum45DHCPNoNetwork(t *testing.T) {
	r := New(Options{Ports: ports})
	runOK(t, r, `/ip address add address=192.168.89.1/24 interface=ether2
/ip pool add name=pool-server ranges=192.168.89.10-192.168.89.100
/ip dhcp-server add name=server interface=ether2 address-pool=pool-server`)
	if _, err := r.Offer("server", DHCPClientID{MAC: "02:00:00:00:02:01"}, netip.Addr{}); !errors.Is(err, ErrNoLease) {
		t.Errorf("offer without a network: %v", err)
	}
	out := runOK(t, r, "/log print where topics~\"dhcp\"")
	if !strings.Contains(out, "server: failed to give out IP address: no /ip dhcp-server network for pool <pool-server>") || strings.Contains(out, "is empty") {
		t.Errorf("log:\n%s", out)
	}
	// With the network, the same client gets an address.
	runOK(t, r, "/ip dhcp-server network add address=192.168.89.0/24 gateway=192.168.89.1")
	if o, err := r.Offer("server", DHCPClientID{MAC: "02:00:00:00:02:01"}, netip.Addr{}); err != nil || !o.Address.IsValid() {
		t.Errorf("offer with the network: %+v %v", o, err)
	}
}

// TestForum45DefconfPrint (D3): /system default-configuration print is
// accepted (it was "bad command name default-configuration") and prints
// the menu's scripts, empty on the CHR rosemu models; get reads them.
// Control: a misspelt menu is still refused.
func TestForum45DefconfPrint(t *testing.T) {
	r := New(Options{Ports: ports})
	out := runOK(t, r, "/system default-configuration print")
	if !strings.Contains(out, "script:") || !strings.Contains(out, "custom-script:") {
		t.Errorf("print:\n%s", out)
	}
	if got := runOK(t, r, ":put [:len [/system default-configuration get script]]"); strings.TrimSpace(got) != "0" {
		t.Errorf("get script length = %q", got)
	}
	if _, err := r.Run(context.Background(), "/system default-configuraton print"); err == nil || !strings.Contains(err.Error(), "bad command name") {
		t.Errorf("misspelt menu: %v", err)
	}
}
