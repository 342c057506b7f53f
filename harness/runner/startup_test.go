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
// and a failing run is logged without stopping the rest. rosemu's own
// scheduler then does not run them again (they were added after its boot).
func TestStartupRunOnce(t *testing.T) {
	ctx := context.Background()
	r := config.New(config.Options{Ports: []string{"ether1"}})
	r.SetBootTime(time.Now().Add(-time.Second))
	if _, err := r.Run(ctx, `/system script add name=on-boot source=":log info \"script ran\""
/system scheduler
add name=boot on-event=on-boot start-time=startup
add name=inline on-event=":log info inline" start-time=startup
add name=bad on-event="/ip firewall address-list set *99 list=x" start-time=startup
add name=every on-event=":log info every" start-time=startup interval=1h
add name=off on-event=":log info off" start-time=startup disabled=yes
add name=timed on-event=":log info timed" start-date=2030-01-01 start-time=00:00:00`); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(ctx, startupRun); err != nil {
		t.Fatalf("the startup run fails: %v", err)
	}
	var got []string
	for _, e := range r.Log() {
		if strings.HasPrefix(e.Topics, "script,") {
			got = append(got, e.Msg)
		}
	}
	if want := "script ran|inline|startup scheduler entry bad failed"; strings.Join(got, "|") != want {
		t.Errorf("logged %q, want %q", strings.Join(got, "|"), want)
	}
	s := scheduler.New(r, nil, nil)
	for _, at := range []time.Duration{4 * time.Second, 10 * time.Second} {
		if ids := s.Tick(ctx, time.Now().Add(at)); len(ids) != 0 {
			t.Errorf("rosemu's scheduler runs %v again at +%v", ids, at)
		}
	}
	s.Wait()
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
