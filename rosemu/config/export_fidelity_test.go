package config

import (
	"strings"
	"testing"
)

// TestDiskTypeExported: a tmpfs disk is exported with its type, as
// RouterOS writes it ("/disk add slot=tmpfs-scratch tmpfs-max-size=16000000
// type=tmpfs" of a 7.18 CCR2004's terse export, "add comment=Ramdisk
// slot=RAM tmpfs-max-size=100000000 type=tmpfs" of a 7.23.1 cAP ax's);
// one added without type= is a tmpfs and is written so too. rosemu left
// type=tmpfs out, its default, so its export named no type at all
// (realcheck31 D6).
func TestDiskTypeExported(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.18"})
	run(t, r, "/disk add slot=tmpfs-scratch tmpfs-max-size=16000000 type=tmpfs\n/disk add slot=tmpfs2 tmpfs-max-size=1000000")
	exportHoldsAndReimports(t, r, "7.18", "add slot=tmpfs-scratch tmpfs-max-size=16000000 type=tmpfs\n", "add slot=tmpfs2 tmpfs-max-size=1000000 type=tmpfs\n")
}

// exportHoldsAndReimports checks that r's export holds every line of
// want and that a fresh router of version ver takes it and exports it
// the same.
func exportHoldsAndReimports(t *testing.T, r *Router, ver string, want ...string) {
	t.Helper()
	exp := body(r.Export())
	for _, w := range want {
		if !strings.Contains(exp, w) {
			t.Errorf("export lacks %q:\n%s", w, exp)
		}
	}
	r2 := New(Options{Ports: ports, Version: ver})
	run(t, r2, exp)
	if got := body(r2.Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
}

// TestAddressSlash32ExportedBare: RouterOS exports a /32 address without
// its prefix length ("add address=10.248.0.53 comment=loop0 interface=loop0
// network=10.248.0.53" of a 7.x ISP router; every /32 of the 140 real
// exports of realcheck27 to 31 is written so), while print and get show
// 10.248.0.53/32. rosemu exported "address=10.248.0.53/32" (realcheck31
// D7, realcheck30 D6).
func TestAddressSlash32ExportedBare(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.20"})
	run(t, r, "/interface bridge add name=loop0\n/ip address add address=10.248.0.53 comment=loop0 interface=loop0 network=10.248.0.53\n"+
		"/ip address add address=10.248.3.68/29 interface=ether2 network=10.248.3.64")
	exportHoldsAndReimports(t, r, "7.20", "add address=10.248.0.53 comment=loop0 interface=loop0 network=10.248.0.53\n", "add address=10.248.3.68/29 interface=ether2 network=10.248.3.64\n")
	if got := run(t, r, ":put [/ip address get [find comment=loop0] address]"); got != "10.248.0.53/32\n" {
		t.Errorf("get address = %q", got)
	}
}
