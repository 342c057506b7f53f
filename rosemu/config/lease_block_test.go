package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A lease script written as a { } block at the console, using the lease's
// variables ($leaseBound, $"lease-hostname", $leaseActIP, $leaseActMAC,
// $leaseServerName), is taken: the block becomes the script's text, and
// its variables are the ones the server declares when a lease runs it
// (the Scripting manual: "When a variable is undefined, the parser will
// try to look for variables set, for example, by DHCP lease-script").
// It was refused as a syntax error at the first lease variable.
func TestLeaseScriptBlock(t *testing.T) {
	src := `/ip pool add name=guests ranges=192.168.50.100-192.168.50.150
/ip dhcp-server add address-pool=guests interface=ether2 name=guest-dhcp lease-script={
    :local host $"lease-hostname"
    :if ($leaseBound = "1") do={
        :log info ("guest lease " . $leaseActIP . " " . $leaseActMAC . " " . $host . " on " . $leaseServerName)
    } else={
        :log info ("guest left " . $leaseActIP)
    }
}
`
	v := New(Options{Ports: ports}).Validate(context.Background(), src, time.Second)
	for _, f := range findings(v) {
		if !strings.HasSuffix(f, " accepted") {
			t.Fatalf("findings:\n%s", strings.Join(findings(v), "\n"))
		}
	}
	r := New(Options{Ports: ports})
	run(t, r, src)
	text := run(t, r, ":put [/ip dhcp-server get guest-dhcp lease-script]")
	if !strings.Contains(text, `:local host $"lease-hostname"`) || strings.Contains(text, "lease-script={") {
		t.Fatalf("stored lease-script = %q", text)
	}
	ctx := context.Background()
	if err := r.RunScript(ctx, "dhcp-server guest-dhcp", strings.TrimSuffix(text, "\n"), LeaseScriptVars("guest-dhcp", "02:00:00:00:00:31", "192.168.50.101", "tablet", true)); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range r.Log() {
		got = append(got, e.Msg)
	}
	if want := "guest lease 192.168.50.101 02:00:00:00:00:31 tablet on guest-dhcp"; len(got) == 0 || got[len(got)-1] != want {
		t.Errorf("log = %q, want last %q", got, want)
	}
	// A syntax error in the block is still refused where it is.
	bad := "/ip dhcp-server set guest-dhcp lease-script={ :if ($leaseBound = \"1\") do={ :log info x }"
	if _, err := r.Run(ctx, bad); err == nil {
		t.Errorf("an unterminated block was taken")
	}
}
