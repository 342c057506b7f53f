package runner

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/service/scheduler"
)

// The lab runs the startup entries of the configuration it applied, once,
// before the first step (forum44 D5): the entry's script and inline code
// run, an entry with an interval, a disabled one and a timed one do not,
// and a failing run is logged without stopping the rest. The router's own
// scheduler makes the run, so the entry's policy holds (forum60 D1: a
// policy=read entry's inline add and a read,write script it names ran
// with every policy from the console text), its run-count counts the run,
// and it is a startup entry again after. rosemu's own scheduler then does
// not run them again (they were added after its boot).
func TestStartupRunOnce(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := config.New(config.Options{Ports: []string{"ether1"}})
	r.SetBootTime(time.Now().Add(-time.Second))
	if _, err := r.Run(ctx, `/system script add name=on-boot source=":log info \"script ran\""
/system script add name=writer policy=read,write source="/ip firewall address-list add list=w address=10.0.0.2"
/system scheduler
add name=boot on-event=on-boot start-time=startup
add name=inline on-event=":log info inline" start-time=startup
add name=bad on-event="/ip firewall address-list set *99 list=x" start-time=startup
add name=ro-inline on-event="/ip firewall address-list add list=ro address=10.0.0.1" policy=read start-time=startup
add name=ro-script on-event=writer policy=read start-time=startup
add name=slow on-event=":delay 1s; /ip firewall address-list add list=slow address=10.0.0.3" start-time=startup
add name=every on-event=":log info every" start-time=startup interval=1h
add name=off on-event=":log info off" start-time=startup disabled=yes
add name=timed on-event=":log info timed" start-date=2030-01-01 start-time=00:00:00`); err != nil {
		t.Fatal(err)
	}
	s := scheduler.New(r, nil, nil)
	go func() { _ = s.Run(ctx) }()
	if _, err := r.Run(ctx, startupRun); err != nil {
		t.Fatalf("the startup run fails: %v", err)
	}
	var got []string
	for _, e := range r.Log() {
		if strings.HasPrefix(e.Topics, "script,") {
			got = append(got, e.Msg)
		}
	}
	want := []string{"script ran", "inline", "bad: ", "ro-inline: script error: not enough permissions (9)", "ro-script: script error: not enough permissions (9)"}
	if len(got) != len(want) {
		t.Fatalf("logged %q, want %q", got, want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("log line %d = %q, want it to start %q", i, got[i], want[i])
		}
	}
	// The inline entry that waits has ended when the text returns, and
	// every inline entry has its commands back, the script made for the
	// run gone.
	out, err := r.Run(ctx, `:put [:len [/ip firewall address-list find]]
:put [/ip firewall address-list get [find] list]
:put [/system scheduler get [find name=inline] on-event]
:put [:len [/system script find where name~"chrlab"]]
:foreach e in=[/system scheduler find where start-time=startup] do={ :put ([/system scheduler get $e name] . " " . [/system scheduler get $e run-count]) }`)
	if err != nil {
		t.Fatal(err)
	}
	if want := "1\nslow\n:log info inline\n0\nboot 1\ninline 1\nbad 1\nro-inline 1\nro-script 1\nslow 1\nevery 0\noff 0\n"; out != want {
		t.Errorf("lists and runs:\n%s\nwant\n%s", out, want)
	}
	cancel()
	s.Wait()
	s2 := scheduler.New(r, nil, nil)
	for _, at := range []time.Duration{4 * time.Second, 10 * time.Second} {
		if ids := s2.Tick(context.Background(), time.Now().Add(at)); len(ids) != 0 {
			t.Errorf("rosemu's scheduler runs %v again at +%v", ids, at)
		}
	}
	s2.Wait()
}

// A configuration that names no startup entry costs no round trip: with
// no router to talk to (a nil client) runStartup returns at once, where a
// text naming one would reach the client.
func TestStartupSkippedWithoutEntries(t *testing.T) {
	if err := runStartup(context.Background(), nil, "router.rsc", []byte("/ip address add address=10.0.0.1/24 interface=ether2\n"), nil); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if recover() == nil {
			t.Error("a text with a startup entry did not reach the router")
		}
	}()
	_ = runStartup(context.Background(), nil, "router.rsc", []byte("/system scheduler add name=b on-event=x start-time=startup\n"))
}
