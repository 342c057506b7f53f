package config

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

func TestSystemScript(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	run(t, r, `/system script add name=hello source=":global n; :if ([:len \$n] = 0) do={ :set n 0 }; :set n (\$n + 1); :put \"run \$n\"" comment=greets`)
	if out := run(t, r, "/system script run hello"); out != "run 1\n" {
		t.Errorf("first run printed %q", out)
	}
	run(t, r, "/system script run [find name=hello]")
	// The global the script set is the console's too.
	if out := run(t, r, ":put $n"); out != "2\n" {
		t.Errorf("global after two runs = %q", out)
	}
	if _, _, err := r.Command(ctx, "/system/script/run", map[string]string{"number": "hello"}); err != nil {
		t.Fatal(err)
	}
	rows, _, err := r.Command(ctx, "/system/script/print", nil)
	if err != nil || len(rows) != 1 {
		t.Fatalf("print: %v %v", rows, err)
	}
	for k, want := range map[string]string{"name": "hello", "run-count": "3", "owner": "admin", "policy": defaultPolicy, "invalid": "false", "dont-require-permissions": "false"} {
		if v, _ := rows[0].Get(k); v != want {
			t.Errorf("%s = %q, want %q", k, v, want)
		}
	}
	if _, ok := rows[0].Get("last-started"); !ok {
		t.Error("no last-started")
	}
	exp := r.Export()
	// RouterOS writes dont-require-permissions, owner and policy of every
	// script (realcheck34 D1).
	if !strings.Contains(exp, "/system script\nadd comment=greets dont-require-permissions=no name=hello owner=admin policy=\\\n    ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon source=\":\\\n    global n; :if ([:len \\$n] = 0) do={ :set n 0 }; :set n (\\$n + 1); :put \\\"r\\\n    un \\$n\\\"\"\n") {
		t.Errorf("export:\n%s", exp)
	}
	if strings.Contains(exp, "run-count") {
		t.Error("export shows run-count")
	}
	if _, err := r.Run(ctx, "/system script add name=hello"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("duplicate name: %v", err)
	}
	// [find name=foo.bar] with an unquoted dotted name finds the item.
	run(t, r, "/system script add name=foo.bar")
	if out := run(t, r, ":put [:len [/system script find name=foo.bar]]"); out != "1\n" {
		t.Errorf("find name=foo.bar = %q", out)
	}
}

// TestScriptSyntaxErrorAtRun: RouterOS stores a script that does not
// compile and reports the error when it runs.
func TestScriptSyntaxErrorAtRun(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	run(t, r, "/system script add name=bad source=\":put 1\\n:put \\$undeclared\"")
	rows, _, err := r.Command(ctx, "/system/script/print", nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := rows[0].Get("invalid"); v != "true" {
		t.Errorf("invalid = %q", v)
	}
	_, err = r.Run(ctx, "/system script run bad")
	if err == nil || err.Error() != "syntax error (line 2 column 7)" {
		t.Fatalf("run error = %v", err)
	}
	// A run-time failure: the address-list add is rolled back, the run
	// is counted.
	run(t, r, "/system script add name=fails source=\"/ip firewall address-list add list=x address=10.0.0.1\\n/ip firewall address-list set *99 list=y\"")
	_, err = r.Run(ctx, "/system script run fails")
	if err == nil || err.Error() != "no such item (line 2 column 1)" {
		t.Fatalf("run error = %v", err)
	}
	if out := run(t, r, ":put [:len [/ip firewall address-list find]]"); out != "0\n" {
		t.Errorf("address list after failed run: %q", out)
	}
	if out := run(t, r, ":put [/system script get fails run-count]"); out != "1\n" {
		t.Errorf("run-count = %q", out)
	}
}

func TestConsoleVariables(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	if _, err := r.Run(ctx, ":put $nope"); err == nil || err.Error() != "syntax error (line 1 column 7)" {
		t.Errorf("undeclared: %v", err)
	}
	run(t, r, ":global g 5")
	if out := run(t, r, ":put ($g + 1)"); out != "6\n" {
		t.Errorf("global on the next line = %q", out)
	}
	run(t, r, ":global f do={ :return ($1 * 2) }")
	if out := run(t, r, ":put [$f 21]"); out != "42\n" {
		t.Errorf("function = %q", out)
	}
}

func TestResolve(t *testing.T) {
	r := New(Options{Ports: ports})
	r.SetResolver(func(_ context.Context, name string) (netip.Addr, error) {
		if name == "peer.example" {
			return netip.MustParseAddr("198.51.100.7"), nil
		}
		return netip.Addr{}, script.ErrNoSuchName
	})
	if out := run(t, r, ":put [:resolve peer.example]"); out != "198.51.100.7\n" {
		t.Errorf("resolve = %q", out)
	}
	if _, err := r.Run(context.Background(), ":put [:resolve nope.example]"); err == nil || err.Error() != "failure: dns name does not exist (line 1 column 7)" {
		t.Errorf("nxdomain: %v", err)
	}
}

func TestScheduler(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	boot := time.Date(2025, 3, 1, 10, 0, 0, 0, time.Local)
	run(t, r, `/system scheduler
add name=every on-event=":log info every" start-date=2025-03-01 start-time=09:59:30 interval=1m
add name=once on-event="tick" start-time=startup
add name=broken on-event="/ip firewall address-list add list=x address=10.0.0.1; /ip firewall address-list set *99 list=y" start-time=startup interval=10s
/system script add name=tick source=":log info tick"`)
	// The entries are the configuration the router boots with.
	r.SetBootTime(boot)
	entries := r.SchedulerEntries()
	if len(entries) != 3 || entries[0].Interval != time.Minute || !entries[1].Startup || entries[2].Interval != 10*time.Second {
		t.Fatalf("entries = %+v", entries)
	}
	if next, ok := entries[0].After(boot, boot); !ok || !next.Equal(boot.Add(30*time.Second)) {
		t.Errorf("every: next after boot %v %v", next, ok)
	}
	if next, ok := entries[1].After(boot, boot); !ok || !next.Equal(boot.Add(3*time.Second)) {
		t.Errorf("once: next after boot %v %v", next, ok)
	}
	if _, ok := entries[1].After(boot, boot.Add(3*time.Second)); ok {
		t.Error("once runs twice")
	}
	if next, _ := entries[2].After(boot, boot.Add(10*time.Second)); !next.Equal(boot.Add(20 * time.Second)) {
		t.Errorf("broken: next after boot+10s = %v", next)
	}
	if err := r.RunScheduled(ctx, entries[1].ID); err != nil {
		t.Fatal(err)
	}
	if err := r.RunScheduled(ctx, entries[2].ID); err == nil {
		t.Fatal("broken entry ran without error")
	}
	out := run(t, r, "/log print")
	if !strings.Contains(out, "tick") || !strings.Contains(out, "broken: script error: no such item (line 1 column 56)") {
		t.Errorf("log:\n%s", out)
	}
	// The entry added before the failing line stays, as on RouterOS.
	if out := run(t, r, ":put [:len [/ip firewall address-list find]]"); out != "1\n" {
		t.Errorf("address-list entries after the failed run: %q, want the one added before the failure", out)
	}
	for name, want := range map[string]string{"once": "1", "broken": "1", "every": "0"} {
		if got := run(t, r, ":put [/system scheduler get "+name+" run-count]"); got != want+"\n" {
			t.Errorf("%s run-count = %q", name, got)
		}
	}
	if got := run(t, r, ":put [/system script get tick run-count]"); got != "1\n" {
		t.Errorf("script run-count = %q", got)
	}
	exp := r.Export()
	// And the policy of every scheduler entry (realcheck34 D1).
	pol := "policy=\\\n    ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon \\\n"
	if !strings.Contains(exp, "/system scheduler\nadd interval=1m name=every on-event=\":log info every\" "+pol+"    start-date=2025-03-01 start-time=09:59:30\n") ||
		!strings.Contains(exp, "add name=once on-event=tick "+pol+"    start-time=startup\n") {
		t.Errorf("export:\n%s", exp)
	}
	// An entry added without a start starts when it was added.
	run(t, r, "/system scheduler add name=now on-event=tick interval=1h")
	rows, _, err := r.Command(ctx, "/system/scheduler/print", nil)
	if err != nil {
		t.Fatal(err)
	}
	last := rows[len(rows)-1]
	if d, _ := last.Get("start-date"); d != time.Now().Format("2006-01-02") {
		t.Errorf("start-date = %q", d)
	}
	if _, ok := last.Get("next-run"); !ok {
		t.Errorf("no next-run: %v", last)
	}
	if _, err := r.Run(ctx, "/system scheduler add name=x start-time=25:00:00"); err == nil {
		t.Error("start-time 25:00:00 accepted")
	}
	run(t, r, "/system scheduler add name=old start-date=mar/02/2025 start-time=00:00:00")
	if got := run(t, r, ":put [/system scheduler get old start-date]"); got != "2025-03-02\n" {
		t.Errorf("old date form = %q", got)
	}
}

// TestScriptSourceBlock: a hand-written .rsc gives a script or scheduler
// its source as a { } block, over one line or several; the stored source
// is the block's text, it runs, and a syntax error inside the block is
// refused at its own line.
func TestScriptSourceBlock(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.14.1"})
	run(t, r, `/system script add name=t1 source={:global hit1 "yes"}
/system script add name=t2 policy=read,write,test source={
    :local a 1
    :if ($a = 1) do={ :global hit2 "yes" }
}
/system scheduler add name=s1 interval=1h on-event={/system script run t1}
/system script run t1
/system script run t2
`)
	if got := run(t, r, `:global hit1; :global hit2; :put ($hit1 . $hit2)`); strings.TrimSpace(got) != "yesyes" {
		t.Errorf("scripts did not run: %q", got)
	}
	if src := run(t, r, `:put [/system script get t1 source]`); strings.TrimSpace(src) != `:global hit1 "yes"` {
		t.Errorf("t1 source = %q", src)
	}
	if ev := run(t, r, `:put [/system scheduler get s1 on-event]`); strings.TrimSpace(ev) != "/system script run t1" {
		t.Errorf("s1 on-event = %q", ev)
	}
	v := New(Options{Ports: ports, Version: "7.14.1"}).Validate(context.Background(), "/system script add name=t3 source={\n  :if (1 = 1 do={ }\n}\n", time.Second)
	if len(v.Findings) == 0 || v.Findings[0].Verdict != Refused || v.Findings[0].Line != 2 {
		t.Errorf("findings: %v", findings(v))
	}
}

// TestSchedulerLongInterval: a scheduler's interval has no upper bound of
// its own: RouterOS's Back To Home app adds an entry with
// interval=2635w58m41s, and the export carries it. It was refused with the
// address list's bound (35w3d13:13:56). Control: a negative or malformed
// interval is still refused.
func TestSchedulerLongInterval(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.16.2"})
	run(t, r, `/system scheduler add interval=2635w58m41s name=bth on-event=":log info x"`)
	if got := run(t, r, ":put ([/system scheduler get bth interval] > 2635w)"); got != "true\n" {
		t.Errorf("interval > 2635w = %q", got)
	}
	if !strings.Contains(r.Export(), "interval=2635w58m41s") {
		t.Errorf("the export lost the interval:\n%s", r.Export())
	}
	for _, bad := range []string{"-1s", "2635x"} {
		if _, err := r.Run(context.Background(), "/system scheduler add interval="+bad+" name=b2 on-event=x"); err == nil || !strings.Contains(err.Error(), "invalid value for argument interval") {
			t.Errorf("interval=%s: %v", bad, err)
		}
	}
}

// TestResourceFigures: /system resource gives the machine's memory, CPU
// and disk figures as numbers, which memory-watchdog scripts compute with
// ("[/system resource get free-memory] / 1048576"); every such script
// failed on the unknown value name. Control: a name the menu lacks is
// still refused.
func TestResourceFigures(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.16.2"})
	got := run(t, r, ":put ([/system resource get free-memory] < [/system resource get total-memory])\n:put [:typeof [/system resource get free-memory]]\n:put ([/system resource get cpu-load] <= 100)\n:put ([/system resource get free-hdd-space] > 0)\n:put ([/system resource get cpu-count] > 0)")
	if got != "true\nnum\ntrue\ntrue\ntrue\n" {
		t.Errorf("figures: %q", got)
	}
	if _, err := r.Run(context.Background(), ":put [/system resource get nosuch-figure]"); err == nil {
		t.Errorf("an unknown value name was taken")
	}
}
