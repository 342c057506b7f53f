package scheduler

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

// TestBareLogScheduler: a scheduler entry whose script is a bare ":log"
// (issue 13: accepted, then it killed the router three seconds later) fails
// its run with RouterOS's words in the log; the next entry still runs.
func TestBareLogScheduler(t *testing.T) {
	ctx := context.Background()
	r := config.New(config.Options{Ports: []string{"ether1"}})
	boot := time.Date(2025, 3, 1, 10, 0, 0, 0, time.Local)
	if _, err := r.Run(ctx, "/system scheduler\nadd name=bad on-event=\":log\" start-time=startup\nadd name=good on-event=\":log info good\" start-time=startup\n"); err != nil {
		t.Fatal(err)
	}
	// The entries are the configuration the router boots with.
	r.SetBootTime(boot)
	s := New(r, nil, nil)
	if ids := s.Tick(ctx, boot.Add(4*time.Second)); len(ids) != 2 {
		t.Fatalf("ran %v", ids)
	}
	s.Wait()
	if got := logged(r); got != "good" {
		t.Errorf("logged %q", got)
	}
	var failed bool
	for _, e := range r.Log() {
		failed = failed || strings.Contains(e.Msg, "missing value for argument topic")
	}
	if !failed {
		t.Errorf("no failure logged: %+v", r.Log())
	}
}

// panicEngine panics when it runs an entry.
type panicEngine struct{ *config.Router }

func (panicEngine) StartScheduled(context.Context, string, func()) error { panic("boom") }

// TestTickSurvivesPanic: a run that panics is logged and the tick goes on
// to the next due entry.
func TestTickSurvivesPanic(t *testing.T) {
	ctx := context.Background()
	r := config.New(config.Options{Ports: []string{"ether1"}})
	boot := time.Date(2025, 3, 1, 10, 0, 0, 0, time.Local)
	if _, err := r.Run(ctx, "/system scheduler\nadd name=a on-event=\":log info a\" start-time=startup\nadd name=b on-event=\":log info b\" start-time=startup\n"); err != nil {
		t.Fatal(err)
	}
	// The entries are the configuration the router boots with.
	r.SetBootTime(boot)
	s := New(panicEngine{r}, nil, nil)
	if ids := s.Tick(ctx, boot.Add(4*time.Second)); len(ids) != 2 {
		t.Fatalf("ran %v", ids)
	}
}
