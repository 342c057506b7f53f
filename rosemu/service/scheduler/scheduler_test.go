package scheduler

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

// fakeClock is moved by the test. Each After hands its channel to the
// test, so the test knows that Run finished a tick and waits.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	afters chan chan time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *fakeClock) After(time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.afters <- ch
	return ch
}

// logged returns the messages of :log info lines, oldest first.
func logged(r *config.Router) string {
	var out []string
	for _, e := range r.Log() {
		if e.Topics == "script,info" {
			out = append(out, e.Msg)
		}
	}
	return strings.Join(out, " ")
}

func TestTick(t *testing.T) {
	ctx := context.Background()
	r := config.New(config.Options{Ports: []string{"ether1"}})
	boot := time.Date(2025, 3, 1, 10, 0, 0, 0, time.Local)
	if _, err := r.Run(ctx, `/system scheduler
add name=b on-event=":log info b" start-date=2025-03-01 start-time=10:00:05 interval=5s
add name=a on-event=":log info a" start-date=2025-03-01 start-time=10:00:05
add name=boot on-event=":log info boot" start-time=startup
add name=every7 on-event=":log info every7" start-time=startup interval=7s
add name=off on-event=":log info off" start-time=startup disabled=yes
add name=fails on-event="/ip firewall address-list set *99 list=x" start-date=2025-03-01 start-time=10:00:01
add name=past on-event=":log info past" start-date=2025-02-28 start-time=23:00:00 interval=1h`); err != nil {
		t.Fatal(err)
	}
	// The entries are the configuration the router boots with.
	r.SetBootTime(boot)
	s := New(r, nil, nil)
	steps := []struct {
		at   time.Duration
		want string // new :log lines after the tick
	}{
		{2 * time.Second, ""},       // fails ran at +1s and only logged an error
		{3 * time.Second, "boot"},   // startup, interval 0: 3 s after boot
		{5 * time.Second, "b a"},    // both due at +5s: list order
		{7 * time.Second, "every7"}, // startup with interval: one interval after boot
		{9 * time.Second, ""},
		{25 * time.Second, "b every7"}, // missed runs of b (10, 15, 20, 25) and every7 (14, 21) run once each
		{time.Hour, "every7 b past"},   // in order of first missed run (+28s, +30s); the past start aligns: 11:00:00
	}
	seen := ""
	for _, st := range steps {
		s.Tick(ctx, boot.Add(st.at))
		s.Wait()
		all := logged(r)
		got := strings.TrimSpace(strings.TrimPrefix(all, seen))
		if got != st.want {
			t.Errorf("at +%v: ran %q, want %q", st.at, got, st.want)
		}
		seen = all
	}
	var failed bool
	for _, e := range r.Log() {
		failed = failed || (e.Topics == "script,error" && strings.HasPrefix(e.Msg, "fails: script error: no such item"))
	}
	if !failed {
		t.Errorf("the failing run is not logged: %+v", r.Log())
	}
}

// TestRunLoop drives Run with the fake clock: it ticks once per wait.
func TestRunLoop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := config.New(config.Options{Ports: []string{"ether1"}})
	boot := time.Date(2025, 3, 1, 10, 0, 0, 0, time.Local)
	if _, err := r.Run(ctx, `/system scheduler add name=boot on-event=":log info boot" start-time=startup`); err != nil {
		t.Fatal(err)
	}
	// The entries are the configuration the router boots with.
	r.SetBootTime(boot)
	clock := &fakeClock{now: boot, afters: make(chan chan time.Time)}
	done := make(chan error)
	go func() { done <- New(r, clock, nil).Run(ctx) }()
	for sec := 1; sec <= 5; sec++ {
		wake := <-clock.afters // Run ticked and waits
		clock.set(boot.Add(time.Duration(sec) * time.Second))
		wake <- clock.Now()
	}
	<-clock.afters
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Run returned %v", err)
	}
	if got := logged(r); got != "boot" {
		t.Errorf("ran %q", got)
	}
}

// TestRunsOverlap: each due run is a job of its own, as on RouterOS. An
// entry whose script waits (:delay) holds up neither the other entry, whose
// runs happen at each tick, nor its own next run, which starts beside the
// one still waiting; /system script job lists both, so the Scripting
// manual's single-instance guard fires. The control entry runs the same
// guard without the wait: its runs never overlap and the guard stays
// quiet. Ending the context ends the waiting runs, and Wait returns.
func TestRunsOverlap(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := config.New(config.Options{Ports: []string{"ether1"}})
	boot := time.Date(2025, 3, 1, 10, 0, 0, 0, time.Local)
	r.SetBootTime(boot)
	const guard = `:if ([/system script job print count-only as-value where script=[:jobname]] > 1) do={ :log info ([:jobname] . " already running"); :error "script instance already running" }`
	if _, err := r.Run(ctx, `/system script
add name=slow source={`+guard+`; :log info "slow"; :delay 30s; :log info "slow done" }
add name=quick source={`+guard+`; :log info "quick" }
/system scheduler
add name=s1 on-event=slow start-time=startup interval=1s
add name=s2 on-event=quick start-time=startup interval=1s`); err != nil {
		t.Fatal(err)
	}
	s := New(r, nil, nil)
	begin := time.Now()
	for sec := 1; sec <= 3; sec++ {
		s.Tick(ctx, boot.Add(time.Duration(sec)*time.Second))
	}
	if d := time.Since(begin); d > 5*time.Second {
		t.Fatalf("three ticks took %v: the runs waited for the :delay", d)
	}
	// The guarded runs that found slow running have failed: only the
	// first, waiting, is listed.
	out, err := r.Run(ctx, ":put [/system script job print count-only as-value where script=slow]")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out); got != "1" {
		t.Errorf("jobs of slow while its first run waits: %s, want 1", got)
	}
	want := "slow quick slow already running quick slow already running quick"
	if got := logged(r); got != want {
		t.Errorf("logged %q, want %q", got, want)
	}
	cancel()
	done := make(chan struct{})
	go func() { s.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting run did not end with its context")
	}
	if strings.Contains(logged(r), "slow done") {
		t.Errorf("the cancelled run went on: %q", logged(r))
	}
	out, err = r.Run(context.Background(), ":put [/system script job print count-only as-value]")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out); got != "0" {
		t.Errorf("jobs after the runs ended: %s, want 0", got)
	}
}

// A startup entry without an interval runs at boot when it is in the
// configuration the router booted with, and not when it is added later,
// however soon (forum44 D5: added within 3 s of rosemu's start it ran,
// later it did not, so a case passed or failed by timing). Control: the
// entry it booted with runs once, 3 s after boot.
func TestStartupAddedAfterBoot(t *testing.T) {
	ctx := context.Background()
	r := config.New(config.Options{Ports: []string{"ether1"}})
	if _, err := r.Run(ctx, `/system scheduler add name=booted on-event=":log info booted" start-time=startup`); err != nil {
		t.Fatal(err)
	}
	boot := time.Now()
	r.SetBootTime(boot)
	if _, err := r.Run(ctx, `/system scheduler add name=late on-event=":log info late" start-time=startup`); err != nil {
		t.Fatal(err)
	}
	s := New(r, nil, nil)
	s.Tick(ctx, boot.Add(time.Second))
	s.Tick(ctx, boot.Add(4*time.Second))
	s.Tick(ctx, boot.Add(time.Minute))
	s.Wait()
	if got := logged(r); got != "booted" {
		t.Errorf("ran %q, want booted", got)
	}
}
