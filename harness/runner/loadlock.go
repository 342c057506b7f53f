package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/chrlab/chrlab/harness/scenario"
	"github.com/chrlab/chrlab/internal/hostlock"
)

// loadLockPath is the file every chrlab run on this host locks over its
// load steps, at the machine's place (hostlock) whatever a run's TMPDIR.
// A variable so that tests can use one of their own.
var loadLockPath = hostlock.Path("chrlab-load.lock")

// loadLock makes the load steps (cps, iperf, conntrack-rate,
// conntrack-fill) of every chrlab run on the host take turns. Labs run
// side by side (make test runs three), and a load step measures how fast
// the machine moves packets: two at once measure each other, and a
// threshold such as "hairpin at least a quarter of direct" then fails on
// a step of another lab. Like the capture pause, consecutive load steps
// of one run share one hold, so that the direct and hairpin runs a ratio
// compares are measured under the same conditions. The lock is an flock:
// the kernel releases it when a run dies, so a crash cannot wedge others.
type loadLock struct {
	path     string
	progress func(string, ...any)

	mu   sync.Mutex
	held *os.File
}

func newLoadLock(progress func(string, ...any)) *loadLock {
	return &loadLock{path: loadLockPath, progress: progress}
}

// before is called before every probe: load says whether it is a load
// step. It takes the lock for a load step (waiting for another run's
// load steps to end) and gives it back before any other probe.
func (l *loadLock) before(ctx context.Context, load bool) error {
	if l == nil {
		return nil
	}
	if !load {
		l.release()
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held != nil {
		return nil
	}
	f, err := hostlock.Open(l.path)
	if err != nil {
		// The lock keeps measurements apart; it is not the test. A run
		// that cannot open it measures without it, and says so.
		l.progress("load lock: %v; measuring without waiting for other chrlab runs", err)
		return nil
	}
	start, said := time.Now(), false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			l.progress("load lock %s: %v; measuring without waiting for other chrlab runs", l.path, err)
			return nil
		}
		if !said && time.Since(start) > time.Second {
			l.progress("waiting for another chrlab run on this host to finish its load steps (%s)", l.path)
			said = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return fmt.Errorf("wait for other chrlab runs' load steps: %w", ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	if said {
		l.progress("load steps may run: waited %.1fs for another chrlab run", time.Since(start).Seconds())
	}
	l.held = f
	return nil
}

// release gives the lock back; the run calls it when its probes end.
func (l *loadLock) release() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held != nil {
		// Closing the file drops the flock.
		l.held.Close()
		l.held = nil
	}
}

// LoadSteps counts the steps of s that take the host's load lock (cps,
// iperf, conntrack-rate, conntrack-fill): the suite spreads the scenarios
// that have any through its order, so that the processes running side by
// side do not queue for the lock.
func LoadSteps(s *scenario.Scenario) int {
	n := 0
	for _, st := range s.Steps {
		if loadKinds[st.Probe] {
			n++
		}
	}
	return n
}
