// Package scheduler runs the /system scheduler entries of a rosemu router
// when they are due (docs/routeros.md). The router's engine keeps the entries and
// knows when each is due (config.SchedulerEntry.After); this package keeps
// the clock and starts the runs, each as its own transaction of the engine.
package scheduler

import (
	"context"
	"log/slog"
	"sort"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
)

// Engine is what the scheduler needs of the router; *config.Router
// implements it.
type Engine interface {
	SchedulerEntries() []config.SchedulerEntry
	// RunScheduled runs the entry with the id; a failure is logged by the
	// engine and leaves its configuration as it was.
	RunScheduled(ctx context.Context, id string) error
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

// Run starts due runs until ctx ends.
func (s *Service) Run(ctx context.Context) error {
	for {
		s.Tick(ctx, s.clock.Now())
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.clock.After(poll):
		}
	}
}

// Tick starts, one after the other, the runs that became due after the
// previous Tick and up to now, and returns the ids of the entries it ran
// in that order. Runs due at the same moment go in list order. An entry
// that missed several runs (the clock jumped, a run took long) runs once.
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
		if err := guard.Do(s.log, "scheduler tick", func() error { return s.eng.RunScheduled(ctx, r.id) }); err != nil {
			s.log.Warn("scheduler run failed", "entry", r.id, "err", err)
		}
	}
	return ids
}
