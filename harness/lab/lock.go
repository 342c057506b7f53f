package lab

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/chrlab/chrlab/internal/hostlock"
)

// subnetLocks are held from Up to Down, under Docker's wiring only: one
// lock file per lab subnet. Lab frames on Docker's bridges share the host's
// conntrack table, so two labs with the same subnets (two test packages of
// `go test ./...`, run in parallel) must not run at once; the second waits
// for the first instead of failing. Netns wiring (netns.go) needs none. The kernel
// drops the locks when a process dies, so a crashed run never blocks the
// next one.
type subnetLocks []*os.File

// lockSubnets takes the locks of spec's subnets in sorted order (so two
// processes cannot deadlock), waiting while ctx allows and saying so.
func lockSubnets(ctx context.Context, spec *Spec, logf func(string, ...any)) (subnetLocks, error) {
	var names []string
	// Each subnet once: two segments of one subnet (segment-of) would
	// otherwise open its lock twice, and flock makes the second open wait
	// for the first, held by this very process.
	for _, sub := range uniqueSubnets(spec) {
		names = append(names, strings.ReplaceAll(sub.String(), "/", "_"))
	}
	sort.Strings(names)
	var held subnetLocks
	for _, n := range names {
		// The machine's place, not TMPDIR's: a lab of a process with
		// another TMPDIR uses the same subnets.
		path := hostlock.Path("chrlab-subnet-" + n + ".lock")
		f, err := hostlock.Open(path)
		if err != nil {
			held.release()
			return nil, fmt.Errorf("open the subnet lock %s: %w", path, err)
		}
		said := false
		for syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
			if !said {
				logf("waiting for another lab using %s to go down (lock %s)", strings.ReplaceAll(n, "_", "/"), path)
				said = true
			}
			// Polling keeps the wait cancellable, which flock(2) is not.
			select {
			case <-ctx.Done():
				f.Close()
				held.release()
				return nil, fmt.Errorf("wait for another lab using %s: %w", strings.ReplaceAll(n, "_", "/"), ctx.Err())
			case <-time.After(250 * time.Millisecond):
			}
		}
		held = append(held, f)
	}
	return held, nil
}

func (s subnetLocks) release() {
	for _, f := range s {
		f.Close()
	}
}
