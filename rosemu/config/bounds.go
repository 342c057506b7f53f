package config

import (
	"context"
	"time"

	"github.com/chrlab/chrlab/rosemu/guard"
)

// MaxRunTime bounds every transaction (a console source, an API command, a
// script run): a configuration that loops forever fails with "interrupted"
// instead of holding the router's lock. The interpreter's step bound
// (script.DefaultMaxSteps) usually ends such a run first.
var MaxRunTime = 60 * time.Second

// MaxTopDelay caps a :delay (or :retry delay=) of console text run as one
// transaction: a configure step, a .rsc's top-level line, chrlab exec. The
// transaction's bound (MaxRunTime) holds such a run anyway, so a wait a
// case needs (":delay 12s" for a 10 s timeout to pass, forum43 D11) is
// waited in full. A longer wait is cut to it and reported (topDelayReason);
// so is a wait that would leave less than script.DelayReserve of the
// bound, since several waits share it (review44 #4). /import's file gets
// the same rule.
// Stored scripts keep script.MaxDelay: they run from the scheduler and
// events, where nothing bounds the run but rosemu.
var MaxTopDelay = 45 * time.Second

// MaxSteps is the step bound of each script run (script.DefaultMaxSteps
// when 0); fuzzing lowers it.
var MaxSteps int64

// bounded returns ctx with the run-time bound, unless ctx ends earlier.
func bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	if d, ok := ctx.Deadline(); ok && time.Until(d) <= MaxRunTime {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, MaxRunTime)
}

// guarded, deferred by each entry point of the router, turns a panic of
// the request into its RouterOS-style error (the stack goes to the log):
// the transaction is dropped and the router stays up. It must be deferred
// itself, so that its recover sees the panic.
func guarded(where string, err *error) {
	if v := recover(); v != nil {
		p := guard.Recovered(nil, where, v)
		*err = &Error{Msg: p.Error(), Category: 4}
	}
}
