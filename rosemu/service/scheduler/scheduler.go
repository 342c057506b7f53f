// Package scheduler runs the /system scheduler entries of a rosemu router
// when they are due (docs/routeros.md). The router's engine keeps the entries and
// knows when each is due (config.SchedulerEntry.After); this package keeps
// the clock and starts the runs, each as its own transaction of the engine.
package scheduler

import (
	"context"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
)

// Engine is what the scheduler needs of the router; *config.Router
// implements it.
type Engine interface {
	SchedulerEntries() []config.SchedulerEntry
	// StartScheduled runs the entry with the id and calls started once
	// the run holds the router, before its script runs; a failure is
	// logged by the engine.
	StartScheduled(ctx context.Context, id string, started func()) error
	BootTime() time.Time
}

// Clock tells the time and waits; tests inject a fake one.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Service starts the runs of one router's scheduler entries.
type Service struct {
	eng   Engine
	clock Clock
	log   *slog.Logger
	// checked is the instant up to which every due run has been started.
	checked time.Time
	// runs are the runs started and not yet ended.
	runs sync.WaitGroup
}

// New returns a scheduler over eng; a nil clock is the system clock and a
// nil log discards.
func New(eng Engine, clock Clock, log *slog.Logger) *Service {
	if clock == nil {
		clock = realClock{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{eng: eng, clock: clock, log: log}
}

// poll is how often Run looks at the entries: entries change at any time,
// and RouterOS schedules with one-second resolution.
const poll = time.Second

// Run starts due runs until ctx ends, and then waits for the runs it
// started, which end with ctx (a :delay ends when its context does).
func (s *Service) Run(ctx context.Context) error {
	defer s.Wait()
	for {
		s.Tick(ctx, s.clock.Now())
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.clock.After(poll):
		}
	}
}

// Wait waits for every run started so far to end.
func (s *Service) Wait() { s.runs.Wait() }

// Tick starts the runs that became due after the previous Tick and up to
// now, each as a job of its own, and returns the ids of the entries it
// started in that order. RouterOS runs each scheduler event as a job of
// its own (/system script job lists them): a run that waits (:delay, a
// fetch) holds up neither the other entries nor the next run of its own
// entry, which starts on time beside it; that is why the Scripting
// manual's single-instance guard counts the jobs of [:jobname]. Tick
// starts the runs in order of their due time, those due at the same
// moment in list order: each is started once the one before holds the
// router, so a run that does not wait ends before the next one begins.
// An entry that missed several runs (the clock jumped) runs once.
// Tick does not wait for the runs to end (Wait does).
func (s *Service) Tick(ctx context.Context, now time.Time) []string {
	boot := s.eng.BootTime()
	if s.checked.IsZero() {
		s.checked = boot
	}
	type due struct {
		at time.Time
		id string
	}
	var runs []due
	for _, e := range s.eng.SchedulerEntries() {
		if e.Disabled {
			continue
		}
		if at, ok := e.After(boot, s.checked); ok && !at.After(now) {
			runs = append(runs, due{at, e.ID})
		}
	}
	if now.After(s.checked) {
		s.checked = now
	}
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].at.Before(runs[j].at) })
	var ids []string
	for _, r := range runs {
		ids = append(ids, r.id)
		s.start(ctx, r.id)
	}
	return ids
}

// start starts the run of entry id in a goroutine of its own and returns
// once the run holds the router or has ended.
func (s *Service) start(ctx context.Context, id string) {
	started := make(chan struct{})
	var once sync.Once
	signal := func() { once.Do(func() { close(started) }) }
	s.runs.Add(1)
	go func() {
		defer s.runs.Done()
		defer signal()
		if err := guard.Do(s.log, "scheduler run", func() error { return s.eng.StartScheduled(ctx, id, signal) }); err != nil {
			s.log.Warn("scheduler run failed", "entry", id, "err", err)
		}
	}()
	<-started
}
