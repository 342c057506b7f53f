// Package ctxwait waits for a time or a context's end, whichever comes
// first: the pause of the DHCP clients between their attempts.
package ctxwait

import (
	"context"
	"time"
)

// Sleep waits d or until ctx ends; it reports whether ctx is still alive.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
