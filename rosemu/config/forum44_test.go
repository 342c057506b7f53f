package config

import (
	"strings"
	"testing"
)

// forum44 triage: RouterOS syntax as users paste it.

// [find comment~...] matches bytes (D1): a 6.x export's Windows-1251
// comment, written with \XX escapes, is found by a pattern of the same
// escapes (was refused: "invalid regular expression"). Control: an ASCII
// pattern still finds its rule, and one that matches nothing finds none.
func TestForum44FindRegexpBytes(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/ip firewall filter
add action=accept chain=forward comment="\D0\E0\E7\F0\E5\F8\E0\E5\EC \EF\F0\EE\E1\F0\EE\F1"
add action=drop chain=forward comment="drop rest"`)
	got := putLines(t, r, `/ip firewall filter
:put ([:len [find comment~"^\D0\E0\E7"]] . " " . [:len [find comment~"\EF\F0\EE"]] . " " . [:len [find comment~"^drop"]] . " " . [:len [find comment~"^\EF"]])`)
	if got != "1 1 1 0" {
		t.Errorf("got %q, want 1 1 1 0", got)
	}
}

// print takes from= (the items [find] gives), value-list and show-ids
// (D3): public scripts write "print as-value from=[find ...]", "print
// value-list where ..." and "print show-ids"; each was refused ("bad
// parameter from", "expected end of command"). Control: print without
// them numbers the items and prints them all.
func TestForum44PrintForms(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/ip firewall filter
add action=accept chain=input comment=a
add action=drop chain=forward comment=b
add action=drop chain=input comment=c`)
	got := putLines(t, r, `/ip firewall filter
:put [:len [print as-value from=[find chain=input]]]
:put [print count-only from=[find comment=b]]
:put ([print as-value from=[find comment=c]]->0->"comment")
:put [:len [print as-value]]`)
	if got != "2\n1\nc\n3" {
		t.Errorf("from=: got %q", got)
	}
	ids := run(t, r, "/ip firewall filter print show-ids")
	plain := run(t, r, "/ip firewall filter print")
	if !strings.Contains(ids, "*") || strings.Contains(plain, "*") || !strings.Contains(plain, " 0 ") && !strings.Contains(plain, "\n 0") {
		t.Errorf("show-ids:\n%s\nplain:\n%s", ids, plain)
	}
	vl := run(t, r, `/ip firewall filter print value-list where comment=a or comment=b`)
	if !strings.Contains(vl, "chain: input  forward") || !strings.Contains(vl, "comment: a      b") {
		t.Errorf("value-list:\n%s", vl)
	}
}

// A scheduler date is printed, got and exported in the emulated
// version's form (D4): 6.x and 7.0-7.9 write start-date=jan/01/1970, as
// their exports do; rosemu wrote 1970-01-01 on every version. Either
// form is read on input. Control: 7.16 keeps the ISO form, and the
// entry's schedule is the same date on both.
func TestForum44SchedulerDateForm(t *testing.T) {
	for _, tc := range []struct{ version, want string }{
		{"6.49.18", "jan/01/1970 feb/29/2024"},
		{"7.9", "jan/01/1970 feb/29/2024"},
		{"7.16.2", "1970-01-01 2024-02-29"},
	} {
		r := New(Options{Ports: ports, Version: tc.version})
		run(t, r, `/system scheduler
add name=old on-event=":log info x" start-date=1970-01-01 start-time=03:00:00 interval=1d
add name=leap on-event=":log info y" start-date=feb/29/2024 start-time=00:00:00`)
		got := putLines(t, r, `/system scheduler
:put ([get old start-date] . " " . [get leap start-date])`)
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.version, got, tc.want)
		}
		exp := run(t, r, "/system scheduler export")
		if !strings.Contains(exp, "start-date="+strings.Fields(tc.want)[0]) {
			t.Errorf("%s: export:\n%s", tc.version, exp)
		}
		e := r.SchedulerEntries()
		if len(e) != 2 || e[1].Start.Format("2006-01-02 15:04") != "2024-02-29 00:00" {
			t.Errorf("%s: entries %+v", tc.version, e)
		}
	}
}

// export hides secrets as RouterOS does and verbose writes the defaults
// (D2): v7 leaves a password or private key out unless show-sensitive,
// 6.x shows them unless hide-sensitive; every export showed them, and
// verbose printed the compact text. Control: the saved configuration
// (Router.Export) keeps the secrets, and a compact export no defaults.
func TestForum44ExportSensitiveVerbose(t *testing.T) {
	const cfg = `/ppp secret add name=vpnuser password=S3cret service=l2tp
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1`
	for _, tc := range []struct {
		version, cmd string
		shown        bool
	}{
		{"7.16.2", "/ppp secret export", false},
		{"7.16.2", "/ppp secret export show-sensitive", true},
		{"6.49.18", "/ppp secret export", true},
		{"6.49.18", "/ppp secret export hide-sensitive", false},
	} {
		r := New(Options{Ports: ports, Version: tc.version})
		run(t, r, cfg)
		out := run(t, r, tc.cmd)
		if got := strings.Contains(out, "password=S3cret"); got != tc.shown || !strings.Contains(out, "name=vpnuser") {
			t.Errorf("%s %q: password shown %v, want %v:\n%s", tc.version, tc.cmd, got, tc.shown, out)
		}
		if !strings.Contains(r.Export(), "password=S3cret") {
			t.Errorf("%s: the saved configuration lost the password", tc.version)
		}
	}
	r := New(Options{Ports: ports})
	run(t, r, cfg)
	compact := run(t, r, "/ip firewall nat export")
	verbose := run(t, r, "/ip firewall nat export verbose")
	if strings.Contains(compact, "log=no") || !strings.Contains(verbose, "log=no") || !strings.Contains(verbose, `log-prefix=""`) || !strings.Contains(verbose, "disabled=no") {
		t.Errorf("compact:\n%s\nverbose:\n%s", compact, verbose)
	}
}
