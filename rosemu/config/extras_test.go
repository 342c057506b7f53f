package config

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDHCPClientOptions(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/ip dhcp-client option add name=vendor code=60 value=\"'chrlab'\"\n/ip dhcp-client add interface=ether1 dhcp-options=hostname,vendor use-peer-ntp=no")
	exp := body(r.Export())
	if !strings.Contains(exp, "/ip dhcp-client option\nadd code=60 name=vendor value=\"'chrlab'\"\n") || !strings.Contains(exp, "add dhcp-options=hostname,vendor interface=ether1 use-peer-ntp=no") {
		t.Errorf("export:\n%s", exp)
	}
	found := false
	for _, n := range r.NotEnforced() {
		found = found || n.Path == "/ip dhcp-client" && n.Property == "dhcp-options" && n.Count == 1
	}
	if !found {
		t.Errorf("dhcp-options not reported: %v", r.NotEnforced())
	}
	// v6 has the old default.
	v6 := New(Options{Ports: ports, Version: "6.48.6"})
	run(t, v6, "/ip dhcp-client add interface=ether1 dhcp-options=clientid,hostname")
	if strings.Contains(body(v6.Export()), "dhcp-options") {
		t.Errorf("v6 exported its default dhcp-options:\n%s", body(v6.Export()))
	}
}

func TestCloudAuto(t *testing.T) {
	fc := &fakeCloud{}
	r := New(Options{Ports: ports, Cloud: fc, Version: "7.18.2"})
	run(t, r, "/ip cloud set ddns-enabled=auto update-time=no")
	if c := fc.updates[len(fc.updates)-1]; c.DDNSEnabled || c.UpdateTime {
		t.Errorf("auto: %+v, want no registration", c)
	}
	rows, _, err := r.Command(context.Background(), "/ip/cloud/print", nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := rows[0].Get("ddns-enabled"); v != "auto" {
		t.Errorf("API ddns-enabled = %q", v)
	}
	if !strings.Contains(body(r.Export()), "set ddns-enabled=auto update-time=no") {
		t.Errorf("export:\n%s", body(r.Export()))
	}
	// Negative control: 7.16 has no auto.
	old := New(Options{Ports: ports, Version: "7.16.2"})
	if _, err := old.Run(context.Background(), "/ip cloud set ddns-enabled=auto"); err == nil || !strings.Contains(err.Error(), "invalid value for argument ddns-enabled") {
		t.Errorf("7.16 auto: %v", err)
	}
}

func TestScriptOwner(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/system script add name=a owner=ops source=\":put 1\" dont-require-permissions=yes\n/system script add name=b source=\":put 2\"")
	exp := body(r.Export())
	// b's owner is the default, which RouterOS writes too (realcheck34 D1).
	if !strings.Contains(exp, "add dont-require-permissions=yes name=a owner=ops") || !strings.Contains(exp, "add dont-require-permissions=no name=b owner=admin") {
		t.Errorf("export:\n%s", exp)
	}
	if got := run(t, r, ":put [/system script get b owner]"); got != "admin\n" {
		t.Errorf("default owner = %q", got)
	}
	if _, err := r.Run(context.Background(), "/system script set a owner=\"\""); err == nil {
		t.Error("empty owner accepted")
	}
}

// TestNotEnforcedOneVersion: a property RouterOS 6 and 7 check differently
// is reported once.
func TestNotEnforcedOneVersion(t *testing.T) {
	for _, v := range []string{"6.49.10", "7.16.2"} {
		r := New(Options{Ports: ports, Version: v})
		run(t, r, "/ip dhcp-client add interface=ether1 dhcp-options=hostname")
		n := 0
		for _, x := range r.NotEnforced() {
			if x.Property == "dhcp-options" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: dhcp-options reported %d times", v, n)
		}
	}
}

// Back To Home and the advanced IP Cloud settings, as 7.12+ exports write
// them, are stored, exported and reported; they change nothing the cloud
// service is given. 7.11 has no back-to-home-vpn.
func TestCloudBackToHome(t *testing.T) {
	fc := &fakeCloud{}
	r := New(Options{Ports: ports, Cloud: fc, Version: "7.18.2"})
	run(t, r, "/ip cloud set back-to-home-vpn=revoked-and-disabled ddns-enabled=yes ddns-update-interval=10m\n"+
		"/ip cloud advanced set use-local-address=yes\n"+
		"/ip cloud back-to-home-user add allow-lan=yes name=phone public-key=\"v/oIzPyFm1FPHrqhytZgsKjU7mUToQHLrW+Tb5e601M=\"")
	if c := fc.updates[len(fc.updates)-1]; !c.DDNSEnabled || c.UpdateInterval != 10*time.Minute {
		t.Errorf("cloud config %+v, want DDNS every 10m", c)
	}
	exp := body(r.Export())
	for _, s := range []string{"set back-to-home-vpn=revoked-and-disabled ddns-enabled=yes", "/ip cloud advanced\nset use-local-address=yes", "add allow-lan=yes name=phone"} {
		if !strings.Contains(exp, s) {
			t.Errorf("export has no %q:\n%s", s, exp)
		}
	}
	var ne []string
	for _, n := range r.NotEnforced() {
		ne = append(ne, strings.TrimSpace(n.Path+" "+n.Property))
	}
	for _, s := range []string{"/ip cloud advanced", "/ip cloud back-to-home-user"} {
		if !slices.Contains(ne, s) {
			t.Errorf("not enforced %q, want %q", ne, s)
		}
	}
	// Back To Home switched off (revoked-and-disabled, as verbose exports
	// write it) asks for nothing; switched on, it is reported.
	if slices.Contains(ne, "/ip cloud back-to-home-vpn") {
		t.Errorf("not enforced %q: back-to-home-vpn=revoked-and-disabled is off", ne)
	}
	run(t, r, "/ip cloud set back-to-home-vpn=enabled")
	ne = nil
	for _, n := range r.NotEnforced() {
		ne = append(ne, strings.TrimSpace(n.Path+" "+n.Property))
	}
	if !slices.Contains(ne, "/ip cloud back-to-home-vpn") {
		t.Errorf("not enforced %q, want back-to-home-vpn=enabled", ne)
	}
	old := New(Options{Ports: ports, Version: "7.11.3"})
	if _, err := old.Run(context.Background(), "/ip cloud set back-to-home-vpn=enabled"); err == nil || !strings.Contains(err.Error(), "expected end of command") {
		t.Errorf("7.11 back-to-home-vpn: %v", err)
	}
}
