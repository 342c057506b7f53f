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
	// Each interface follows the one it sits on; macvlan-isp2, on a port,
	// keeps the menu's place before /interface vlan.
	exp := checkExportsImport(t, "7.16", src, map[string]string{"name=vlan7": "name=macvlan-isp2", "name=macvlan100": "name=VLAN100",
		"name=vlan8": "name=macvlan100", "name=macvlan101": "name=macvlan100", "name=vrrp1": "name=macvlan100", "name=VLAN100": "name=macvlan-isp2"})
	if strings.Count(exp, "/interface macvlan\n") < 2 || strings.Count(exp, "/interface vlan\n") != 2 {
		t.Errorf("want /interface macvlan split and two /interface vlan blocks:\n%s", exp)
	}
}

// TestExportBondOnLaterMenu: a bond whose slaves are VLANs (an ISP core's
// 7.16.2 export: "/interface bonding add mode=active-backup
// name=HGC-IPTX-SG-HK-BKK20-LAG primary=SG-HGC-IPTx-vlan2520
// slaves=HK-HGC-IPTx-backup-vlan2517,SG-HGC-IPTx-vlan2520", whose VLANs sit
// on another bond; its 7.23.3 export: "add mode=active-backup
// name=BKK06-LAG slaves=qnq-400-206,qnq-400-216", QinQ VLANs) is exported
// after its slaves, as RouterOS's export writes it: /interface bonding,
// then /interface vlan, then /interface bonding again. rosemu wrote every
// bond before /interface vlan and its export did not import: "input does
// not match any value of slaves" (realcheck32 D1).
func TestExportBondOnLaterMenu(t *testing.T) {
	src := "/interface bonding add mode=802.3ad name=AMSIX-LAG slaves=ether1\n" +
		"/interface vlan add interface=AMSIX-LAG name=backup-vlan2517 vlan-id=2517\n" +
		"/interface vlan add interface=AMSIX-LAG name=primary-vlan2520 vlan-id=2520\n" +
		"/interface bonding add mode=active-backup name=IPTX-LAG primary=primary-vlan2520 slaves=backup-vlan2517,primary-vlan2520\n" +
		"/interface vlan add interface=IPTX-LAG name=vlan30 vlan-id=30\n" +
		"/interface bonding add mode=active-backup name=MIX-LAG slaves=ether2,vlan30\n"
	exp := checkExportsImport(t, "7.23.3", src, map[string]string{"name=IPTX-LAG": "name=primary-vlan2520", "name=vlan30": "name=IPTX-LAG",
		"name=MIX-LAG": "name=vlan30", "name=backup-vlan2517": "name=AMSIX-LAG"})
	// AMSIX-LAG, on a port, keeps the menu's place before /interface vlan.
	if strings.Index(exp, "name=AMSIX-LAG") > strings.Index(exp, "/interface vlan\n") {
		t.Errorf("a bond on a port moved after /interface vlan:\n%s", exp)
	}
}

// checkExportsImport loads src on a router of version v and checks that its
// plain, terse and verbose exports import on a new router and give the
// same export again, and that each child of after (a name= token) is
// written after its parent. It returns the plain export's body.
func checkExportsImport(t *testing.T, v, src string, after map[string]string) string {
	t.Helper()
	for _, form := range []string{"", " terse", " verbose"} {
		r := New(Options{Ports: ports, Version: v})
		run(t, r, src)
		exp, err := r.Run(context.Background(), "/export"+form)
		if err != nil {
			t.Fatalf("export%s: %v", form, err)
		}
		r2 := New(Options{Ports: ports, Version: v})
		if _, err := r2.Run(context.Background(), exp); err != nil {
			t.Errorf("export%s does not import: %v\n%s", form, err, exp)
			continue
		}
		if got, want := body(r2.Export()), body(r.Export()); got != want {
			t.Errorf("export%s imports as\n%s\nwant\n%s", form, got, want)
		}
	}
	r := New(Options{Ports: ports, Version: v})
	run(t, r, src)
	exp := body(r.Export())
	for child, parent := range after {
		if strings.Index(exp, child) < strings.Index(exp, parent) {
			t.Errorf("%s is written before %s:\n%s", child, parent, exp)
		}
	}
	return exp
}
