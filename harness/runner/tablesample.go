package runner

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/chrlab/chrlab/harness/scenario"
)

// probeSampleEvery is how often the harness reads the router's table size while a cps or flow
// step runs: five readings a second draw a one-second step, and one small API read every 200 ms
// costs the router next to nothing beside the connections being measured.
const probeSampleEvery = 200 * time.Millisecond

// maxSamples bounds a series: a step that outlasts maxSamples readings has every second one
// dropped and its interval doubled, so a long step still covers its whole span in at most
// maxSamples points.
const maxSamples = 1000

// tableSeries is the router's total-entries over one step.
type tableSeries struct {
	// points are [seconds from the first reading, entries]: the first read before the probe
	// started, the last after it ended.
	points            [][2]float64
	start, peak, last int
	limit             int // max-entries, 0 when the router prints none
	// missed counts readings that failed; failed is the first failure.
	missed int
	failed error
}

// into copies the series into a step's observation.
func (s tableSeries) into(o *scenario.Observation) {
	o.BaseEntries, o.PeakEntries, o.EndEntries, o.MaxEntries, o.Entries = s.start, s.peak, s.last, s.limit, s.points
	o.EntriesMissed = s.missed
	if s.failed != nil {
		o.EntriesError = s.failed.Error()
	}
}

// sampleTable reads the table's total, runs run while a sampler reads it every `every`, and
// reads it once more when run has returned. Readings go through t one at a time. A reading that
// fails is counted, not drawn; an error of run is returned as it is.
func sampleTable(ctx context.Context, t tableReader, every time.Duration, run func(context.Context) error) (tableSeries, error) {
	var (
		mu sync.Mutex
		s  tableSeries
	)
	start := time.Now()
	// read takes one reading and reports whether the series was thinned.
	read := func(ctx context.Context) bool {
		n, limit, err := t.Tracking(ctx)
		at := math.Round(time.Since(start).Seconds()*1000) / 1000
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if ctx.Err() == nil {
				s.missed++
				if s.failed == nil {
					s.failed = err
				}
			}
			return false
		}
		if len(s.points) == 0 {
			s.start, s.peak = n, n
		}
		s.peak, s.last = max(s.peak, n), n
		if limit > 0 {
			s.limit = limit
		}
		s.points = append(s.points, [2]float64{at, float64(n)})
		if len(s.points) < maxSamples {
			return false
		}
		kept := s.points[:0]
		for i := 0; i < len(s.points); i += 2 {
			kept = append(kept, s.points[i])
		}
		s.points = kept
		return true
	}
	read(ctx)
	sctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		interval := every
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-sctx.Done():
				return
			case <-tick.C:
			}
			if read(sctx) {
				interval *= 2
				tick.Reset(interval)
			}
		}
	})
	err := run(ctx)
	stop()
	wg.Wait()
	if err != nil {
		return s, err
	}
	read(ctx)
	return s, nil
}

// withTable runs a cps or flow probe while the router's table size is sampled over its API, and
// adds the series to the probe's observation. The table is a by-product of these probes, so a
// reading that fails does not fail the step: the observation counts it and keeps the first
// error, and the report says so.
func (p prober) withTable(ctx context.Context, run func(context.Context) (scenario.Observation, error)) (scenario.Observation, error) {
	if p.rc == nil {
		return run(ctx)
	}
	var o scenario.Observation
	series, err := sampleTable(ctx, apiTable{p}, probeSampleEvery, func(ctx context.Context) (err error) {
		o, err = run(ctx)
		return err
	})
	if err != nil {
		return o, err
	}
	series.into(&o)
	return o, nil
}

// entriesCSV is a series as the run's artifact: a header, then one "seconds,entries" line per
// reading.
func entriesCSV(points [][2]float64) []byte {
	b := []byte("seconds,entries\n")
	for _, p := range points {
		b = fmt.Appendf(b, "%.3f,%.0f\n", p[0], p[1])
	}
	return b
}
