package runner

import (
	"context"
	"errors"
	"testing"

	"github.com/chrlab/chrlab/harness/probe"
)

// A prober-bound measurement is taken again, up to proberTries in all,
// and the last one is kept; one that kept up is taken once; an error ends
// the tries.
func TestMeasureAgain(t *testing.T) {
	bound := func(r probe.Result) bool { return r.ProberBound }
	series := func(bound ...bool) (func() (probe.Result, error), *int) {
		n := 0
		return func() (probe.Result, error) {
			r := probe.Result{ProberBound: bound[min(n, len(bound)-1)], PerSecond: float64(n + 1)}
			n++
			return r, nil
		}, &n
	}
	ctx := context.Background()
	run, calls := series(true, false)
	r, measured, err := measureAgain(ctx, run, bound, 0)
	if err != nil || measured != 2 || *calls != 2 || r.ProberBound || r.PerSecond != 2 {
		t.Errorf("bound, then kept up: %+v, measured %d, calls %d, %v; want the second result after 2", r, measured, *calls, err)
	}
	run, calls = series(true)
	r, measured, _ = measureAgain(ctx, run, bound, 0)
	if measured != proberTries || *calls != proberTries || !r.ProberBound {
		t.Errorf("always bound: measured %d, calls %d, bound %v; want %d tries, the last still bound", measured, *calls, r.ProberBound, proberTries)
	}
	run, calls = series(false)
	if _, measured, _ = measureAgain(ctx, run, bound, 0); measured != 1 || *calls != 1 {
		t.Errorf("kept up: measured %d, calls %d; want one", measured, *calls)
	}
	boom := errors.New("agent gone")
	n := 0
	if _, _, err := measureAgain(ctx, func() (probe.Result, error) { n++; return probe.Result{ProberBound: true}, boom }, bound, 0); !errors.Is(err, boom) || n != 1 {
		t.Errorf("an error: %v after %d calls; want it at once", err, n)
	}
}
