package config

import (
	"context"
	"strings"
	"testing"
)

// TestExportInterfaceOnLaterMenu: an interface that sits on one a later
// menu makes (a MAC VLAN on a VLAN: a 7.16 hAP ax2's "/interface macvlan
// add interface=VLAN100") is exported after it, in a second block of its
// own menu, so that the export imports again; RouterOS's own exports do
// so (a 7.x export writes /interface vrrp before /interface vlan for the
// virtual routers on a bridge and again after it for those on VLANs).
// rosemu wrote /interface macvlan before /interface vlan, and its export
// did not import: "input does not match any value of interface"
// (realcheck31 D2).
func TestExportInterfaceOnLaterMenu(t *testing.T) {
	src := "/interface bridge add name=BRI vlan-filtering=yes\n" +
		"/interface vlan add interface=BRI name=VLAN100 vlan-id=100\n" +
		"/interface macvlan add interface=VLAN100 mac-address=E6:74:52:D3:1A:DA name=macvlan100\n" +
		"/interface macvlan add interface=ether2 mac-address=E6:74:52:D3:1A:DB name=macvlan-isp2\n" +
		"/interface vlan add interface=macvlan-isp2 name=vlan7 vlan-id=7\n" +
		"/interface vrrp add interface=macvlan100 name=vrrp1 vrid=5\n" +
		"/interface vlan add interface=macvlan100 name=vlan8 vlan-id=8\n" +
		"/interface macvlan add interface=macvlan100 mac-address=E6:74:52:D3:1A:DC name=macvlan101\n"
	for _, form := range []string{"", " terse", " verbose"} {
		r := New(Options{Ports: ports, Version: "7.16"})
		run(t, r, src)
		exp, err := r.Run(context.Background(), "/export"+form)
		if err != nil {
			t.Fatalf("export%s: %v", form, err)
		}
		r2 := New(Options{Ports: ports, Version: "7.16"})
		if _, err := r2.Run(context.Background(), exp); err != nil {
			t.Errorf("export%s does not import: %v\n%s", form, err, exp)
			continue
		}
		if got, want := body(r2.Export()), body(r.Export()); got != want {
			t.Errorf("export%s imports as\n%s\nwant\n%s", form, got, want)
		}
	}
	r := New(Options{Ports: ports, Version: "7.16"})
	run(t, r, src)
	exp := body(r.Export())
	// Each interface follows the one it sits on; macvlan-isp2, on a port,
	// keeps the menu's place before /interface vlan.
	for child, parent := range map[string]string{"name=vlan7": "name=macvlan-isp2", "name=macvlan100": "name=VLAN100",
		"name=vlan8": "name=macvlan100", "name=macvlan101": "name=macvlan100", "name=vrrp1": "name=macvlan100", "name=VLAN100": "name=macvlan-isp2"} {
		if strings.Index(exp, child) < strings.Index(exp, parent) {
			t.Errorf("%s is written before %s:\n%s", child, parent, exp)
		}
	}
	if strings.Count(exp, "/interface macvlan\n") < 2 || strings.Count(exp, "/interface vlan\n") != 2 {
		t.Errorf("want /interface macvlan split and two /interface vlan blocks:\n%s", exp)
	}
}
