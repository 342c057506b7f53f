package reconcile

import (
	"context"

	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
)

// Loop keeps one goroutine running fn for each enabled entry of want, the
// entry being its own key: a changed entry is a new key, so its goroutine
// is stopped and a new one started, as RouterOS restarts a PPPoE client
// or server whose settings change. It follows want's bell until ctx ends,
// then stops every goroutine and returns once they have all returned.
func Loop[W comparable](ctx context.Context, want *doorbell.Latest[[]W], enabled func(W) bool, fn func(ctx context.Context, w W)) {
	type worker struct {
		cancel context.CancelFunc
		done   chan struct{}
	}
	stop := func(r *worker) {
		r.cancel()
		<-r.done
	}
	running := map[W]*worker{}
	defer func() {
		for _, r := range running {
			stop(r)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-want.C():
		}
		wanted := map[W]W{}
		for _, w := range want.Get() {
			if enabled(w) {
				wanted[w] = w
			}
		}
		Apply(running, wanted, func(w W) *worker {
			cctx, cancel := context.WithCancel(ctx)
			r := &worker{cancel: cancel, done: make(chan struct{})}
			go func() {
				defer close(r.done)
				fn(cctx, w)
			}()
			return r
		}, nil, stop)
	}
}
