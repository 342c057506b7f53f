package config

import (
	"context"
	"strings"
	"testing"
)

// Abbreviated menu, command and parameter names stand for the one name
// they begin (the Console page of the manual: "You can type only the
// beginning of the command name, and, if it is not ambiguous, the console
// will accept it as a full name"), at the console and in scripts alike;
// an ambiguous or unknown beginning is refused as an unknown name was,
// and an exact name always wins.
func TestAbbreviations(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	run(t, r, "/ip dhcp-client add interface=ether1 comment=NET")
	// A netwatch down-script's shape.
	run(t, r, "/ip dhcp-cl set add-def=no [find comment=NET]")
	if got := run(t, r, ":put [/ip dhcp-client get [find comment=NET] add-default-route]"); got != "no\n" {
		t.Errorf("add-default-route = %q, want no", got)
	}
	run(t, r, "/ip fi f add chain=input action=drop comment=abbrev")
	if got := run(t, r, ":put [:len [/ip firewall filter find comment=abbrev]]"); got != "1\n" {
		t.Errorf("filter rules added through /ip fi f: %q", got)
	}
	if out := run(t, r, "/ip fi f pr"); !strings.Contains(out, "abbrev") {
		t.Errorf("/ip fi f pr printed %q", out)
	}
	// In a script run by a lease or an event, the same.
	if err := r.RunScript(ctx, "netwatch", "/ip dhcp-cl set [find comment=NET] add-def=yes", nil); err != nil {
		t.Fatal(err)
	}
	if got := run(t, r, ":put [/ip dhcp-client get [find comment=NET] add-default-route]"); got != "yes\n" {
		t.Errorf("after the script: %q, want yes", got)
	}
	// Ambiguous: /ip d is dhcp-client, dhcp-relay, dhcp-server or dns;
	// d= is dst-address, dst-port, disabled...
	for _, c := range []struct{ line, want string }{
		{"/ip d print", "bad command name d"},
		{"/ip firewall filter add chain=input d=yes", "expected end of command"},
		{"/ip frobnicate print", "bad command name frobnicate"},
	} {
		if _, err := r.Run(ctx, c.line); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.line, err, c.want)
		}
	}
}
