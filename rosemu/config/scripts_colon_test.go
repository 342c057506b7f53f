package config

import (
	"context"
	"strings"
	"testing"
)

// TestColonMenuAndNamedFind: ':' before a menu or a root command reads as
// '/' (":system identity get name", "[:ping ...]"), and :find takes its
// arguments by name (key=, in=, from=) as by position. The controls: a
// word that is neither a command nor a menu after ':' is still "bad
// command name", and a named :find gives what the positional one gives.
func TestColonMenuAndNamedFind(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/system identity set name=lab1")
	if got := run(t, r, ":put [:system identity get name]"); got != "lab1\n" {
		t.Errorf(":system identity get name = %q", got)
	}
	run(t, r, ":ip address add address=192.0.2.1/24 interface=ether1")
	if got := run(t, r, ":put [:len [/ip address find address=\"192.0.2.1/24\"]]"); got != "1\n" {
		t.Errorf("address added through ':ip address add': %q", got)
	}
	for src, want := range map[string]string{
		":local a {\"x\";\"y\";\"z\"}; :put [:find key=\"y\" in=$a]": "1\n",
		":local a {\"x\";\"y\";\"z\"}; :put [:find $a \"y\"]":        "1\n",
		":put [:find key=\"c\" in=\"abcabc\" from=2]":                "5\n",
		":put [:find \"abcabc\" \"c\" 2]":                            "5\n",
		":put [:find in=\"jan,feb,mar\" key=\"feb\"]":                "4\n",
	} {
		if got := run(t, r, src); got != want {
			t.Errorf("%s = %q, want %q", src, got, want)
		}
	}
	if _, err := r.Run(context.Background(), ":nosuchthing 1"); err == nil || !strings.Contains(err.Error(), "bad command name nosuchthing") {
		t.Errorf(":nosuchthing: %v", err)
	}
}

// TestEmptySessionTables: the HotSpot's and IPsec's session tables exist,
// empty, on the versions that have them: walks and counts find nothing,
// a remove of "[find]" removes nothing. The controls: a number of no
// session is "no such item", and each IPsec table is refused where
// RouterOS has the other: remote-peers was renamed active-peers in 6.45
// (changelog "ipsec - renamed "remote-peers" to "active-peers"").
func TestEmptySessionTables(t *testing.T) {
	for _, c := range []struct{ version, src, want string }{
		{"7.22.2", ":put [/ip hotspot active print count-only]", "0\n"},
		{"7.22.2", ":foreach i in=[/ip hotspot active find] do={/ip hotspot active remove $i}; :put done", "done\n"},
		{"7.15.3", ":put [:len [/ip ipsec active-peers find]]", "0\n"},
		{"6.44.6", "/ip ipsec remote-peers kill-connections [find]; :put [/ip ipsec remote-peers print count-only]", "0\n"},
		{"6.49.6", ":foreach p in=[/ip ipsec active-peers find] do={/ip ipsec active-peers kill-connections $p}; :put [/ip ipsec active-peers print count-only]", "0\n"},
	} {
		r := New(Options{Ports: ports, Version: c.version})
		if got := run(t, r, c.src); got != c.want {
			t.Errorf("%s %s = %q, want %q", c.version, c.src, got, c.want)
		}
	}
	for _, c := range []struct{ version, src, want string }{
		{"7.22.2", "/ip hotspot active remove 0", "no such item"},
		{"7.15.3", "/ip ipsec remote-peers print", "bad command name remote-peers"},
		{"6.44.6", "/ip ipsec active-peers print", "bad command name active-peers"},
		{"6.49.6", "/ip ipsec remote-peers print", "bad command name remote-peers"},
	} {
		r := New(Options{Ports: ports, Version: c.version})
		if _, err := r.Run(context.Background(), c.src); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: %v, want %q", c.version, c.src, err, c.want)
		}
	}
}

// TestQueueResetCounters: the queues' reset-counters take a reference and
// reset-counters-all none; a number of no queue is "no such item".
func TestQueueResetCounters(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/queue simple add name=q1 target=192.168.88.10/32 max-limit=1M/1M\n/queue tree add name=t1 parent=global max-limit=2M")
	run(t, r, "/queue simple reset-counters [find name=q1]\n/queue simple reset-counters-all\n/queue tree reset-counters t1\n/queue tree reset-counters-all")
	if _, err := r.Run(context.Background(), "/queue simple reset-counters 7"); err == nil || !strings.Contains(err.Error(), "no such item") {
		t.Errorf("reset of no queue: %v", err)
	}
}

// TestPackageDowngrade: a script that offers "/system package downgrade"
// compiles; running it fails, as a router without older packages
// uploaded does.
func TestPackageDowngrade(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.23.3"})
	run(t, r, `/system script add name=t source="/system package downgrade"`)
	if _, err := r.Run(context.Background(), "/system package downgrade"); err == nil || !strings.Contains(err.Error(), "no older packages") {
		t.Errorf("downgrade: %v", err)
	}
	if got := run(t, r, ":put [/system script get t invalid]"); got != "false\n" {
		t.Errorf("the script's invalid flag: %q", got)
	}
}
