package reconcile

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
)

// TestApply: new keys start, kept ones hear their entry again and are not
// restarted, dropped ones stop.
func TestApply(t *testing.T) {
	var log []string
	running := map[string]string{}
	start := func(w string) string { log = append(log, "start "+w); return w }
	keep := func(t, w string) { log = append(log, "keep "+w) }
	stop := func(t string) { log = append(log, "stop "+t) }
	Apply(running, map[string]string{"a": "a1", "b": "b1"}, start, keep, stop)
	Apply(running, map[string]string{"b": "b2", "c": "c1"}, start, keep, stop)
	slices.Sort(log)
	if got := strings.Join(log, ", "); got != "keep b2, start a1, start b1, start c1, stop a1" {
		t.Errorf("log %s", got)
	}
	if len(running) != 2 || running["b"] != "b1" || running["c"] != "c1" {
		t.Errorf("running %v", running)
	}
}

// TestLoop: an enabled entry gets a goroutine; a changed entry's is
// stopped and a new one started; a disabled or dropped entry's stops; the
// end of ctx stops the rest before Loop returns.
func TestLoop(t *testing.T) {
	type entry struct {
		name string
		rate int
		off  bool
	}
	var want doorbell.Latest[[]entry]
	events := make(chan string, 16)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		Loop(ctx, &want, func(e entry) bool { return !e.off }, func(ctx context.Context, e entry) {
			events <- fmt.Sprintf("start %s/%d", e.name, e.rate)
			<-ctx.Done()
			events <- fmt.Sprintf("stop %s/%d", e.name, e.rate)
		})
	}()
	next := func(n int) []string {
		var got []string
		for range n {
			select {
			case e := <-events:
				got = append(got, e)
			case <-time.After(5 * time.Second):
				t.Fatalf("waited for %d events, got %v", n, got)
			}
		}
		slices.Sort(got)
		return got
	}
	want.Set([]entry{{"a", 1, false}, {"b", 1, true}})
	if got := next(1); !slices.Equal(got, []string{"start a/1"}) {
		t.Errorf("first: %v", got)
	}
	want.Set([]entry{{"a", 2, false}, {"b", 1, false}})
	if got := next(3); !slices.Equal(got, []string{"start a/2", "start b/1", "stop a/1"}) {
		t.Errorf("changed: %v", got)
	}
	cancel()
	if got := next(2); !slices.Equal(got, []string{"stop a/2", "stop b/1"}) {
		t.Errorf("end: %v", got)
	}
	<-done
}

// TestLoopStopsBeforeStart: a changed entry's old worker has returned
// before its new one starts, as RouterOS restarts a server. Before, the
// new one started first: the L2TP and SSTP servers' new socket found the
// port still bound by the old one and waited a second to bind again
// (Retry), and two PPPoE servers on one interface answered discovery
// together for a moment.
func TestLoopStopsBeforeStart(t *testing.T) {
	type entry struct{ rate int }
	var want doorbell.Latest[[]entry]
	events := make(chan string, 64)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		Loop(ctx, &want, func(entry) bool { return true }, func(ctx context.Context, e entry) {
			events <- fmt.Sprintf("start %d", e.rate)
			<-ctx.Done()
			// A server takes a moment to end: it closes its
			// sessions before its socket.
			time.Sleep(10 * time.Millisecond)
			events <- fmt.Sprintf("stop %d", e.rate)
		})
	}()
	defer func() { cancel(); <-done }()
	next := func() string {
		select {
		case e := <-events:
			return e
		case <-time.After(5 * time.Second):
			t.Fatal("no event in 5 s")
			return ""
		}
	}
	want.Set([]entry{{0}})
	if got := next(); got != "start 0" {
		t.Fatalf("first: %s", got)
	}
	for i := 1; i <= 20; i++ {
		want.Set([]entry{{i}})
		stop, start := next(), next()
		if stop != fmt.Sprintf("stop %d", i-1) || start != fmt.Sprintf("start %d", i) {
			t.Fatalf("change %d: %s, then %s; want the old worker stopped first", i, stop, start)
		}
	}
}
