package config

import (
	"context"
	"slices"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// Sleep is a script's :delay (and :retry's delay) in transaction t. RouterOS
// applies each command as it runs: a script that enables a rule, waits and
// disables it again opens a window of that length, and a sleeping script
// holds nobody up. So, in the runs that allow it (t.yield: console input
// and configuration through Run, the scheduler's and netwatch's events,
// the services' event scripts), what the run changed so far is committed,
// its log lines so far are written, and the router's lock is let go for
// the wait; the run then goes on in a new transaction on the router's
// model as it is then, with what others changed meanwhile. What was
// committed stays if the run fails later, as on RouterOS.
//
// Elsewhere (chrlab validate's offline check, a transaction that did not
// take the router's lock) the wait happens in place, inside the
// transaction.
func (t *tx) Sleep(ctx context.Context, d time.Duration) error {
	var err error
	if oerr := t.outside(func() { err = script.SleepContext(ctx, d) }); oerr != nil {
		return oerr
	}
	return err
}

// flushLog writes what the running scripts have logged so far, before a
// command changes /system logging: an entry goes to the log actions by
// the rules in force when it was logged, not by those in force when the
// run ends (a ":log info before" above "/system logging set 0
// topics=info,!script" in one script is kept in memory, as on RouterOS,
// where each line takes effect as it runs). As at a :delay, entries once
// written stay when the run fails later. Outside a run (validate) there
// is nothing to flush.
func (t *tx) flushLog() {
	for _, in := range t.running {
		t.r.appendLog(in.Log...)
		in.Log = in.Log[:0]
	}
}

// outside runs wait, which waits on the world (a :delay, a /tool fetch's
// server), outside the transaction when t.yield allows: what the run
// changed so far is committed, its log lines so far are written, and the
// router's lock is let go until wait returns; t then goes on as a new
// transaction on the router's model as it is then. The caller must hold
// no item of the old model across the call. Elsewhere wait runs in place.
// The error is the commit's.
func (t *tx) outside(wait func()) error {
	if !t.yield {
		wait()
		return nil
	}
	r := t.r
	if err := r.commit(t); err != nil {
		return err
	}
	for _, in := range t.running {
		r.appendLog(in.Log...)
		in.Log = in.Log[:0]
	}
	if t.publishGlobals && len(t.running) > 0 {
		// Console input works on a copy of the globals that Run keeps
		// when it ends; others may read and change them meanwhile.
		r.globals = t.running[0].Globals
	}
	r.mu.Unlock()
	wait()
	r.mu.Lock()
	t.m = r.m.clone()
	t.al, t.counters, t.afterCommit = nil, nil, nil
	t.inactive, t.inactiveRead = nil, false
	t.changed = false
	t.now = time.Now()
	t.expire()
	return nil
}

// popJob takes name off the running jobs: the last entry of that name, as
// runs that sleep end in any order.
func (s *system) popJob(name string) {
	for i := len(s.jobs) - 1; i >= 0; i-- {
		if s.jobs[i] == name {
			s.jobs = slices.Delete(s.jobs, i, i+1)
			return
		}
	}
}
