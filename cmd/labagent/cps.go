package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

// Bounds of the cps probe: it is a measurement, not a flood, and must end even when every
// connection hangs. maxConnections keeps the latency samples within a few megabytes.
const (
	maxCPSDuration    = 60 * time.Second
	maxCPSConcurrency = 256
	maxConnections    = 500_000
)

// cpsOptions are the inputs of the cps probe.
type cpsOptions struct {
	to          string
	duration    time.Duration
	concurrency int
	timeout     time.Duration
}

func cmdCPS(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("cps", flag.ContinueOnError)
	var o cpsOptions
	fs.StringVar(&o.to, "to", "", "whoami server `host:port`")
	fs.DurationVar(&o.duration, "duration", 2*time.Second, "how long to open connections")
	fs.IntVar(&o.concurrency, "concurrency", 8, "parallel `workers`")
	fs.DurationVar(&o.timeout, "timeout", time.Second, "bound on each connection")
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	if _, _, err := net.SplitHostPort(o.to); err != nil {
		return probe.Result{}, usageErrorf(stderr, fs, "--to %q is not host:port: %v", o.to, err)
	}
	if o.duration <= 0 || o.duration > maxCPSDuration {
		return probe.Result{}, usageErrorf(stderr, fs, "--duration %s is not within (0, %s]", o.duration, maxCPSDuration)
	}
	if o.concurrency < 1 || o.concurrency > maxCPSConcurrency {
		return probe.Result{}, usageErrorf(stderr, fs, "--concurrency %d is not within 1..%d", o.concurrency, maxCPSConcurrency)
	}
	if o.timeout <= 0 {
		return probe.Result{}, usageErrorf(stderr, fs, "--timeout must be positive")
	}
	return probeCPS(ctx, o), nil
}

// cpsTally collects the workers' observations.
type cpsTally struct {
	mu        sync.Mutex
	latencies []time.Duration
	failures  map[probe.Outcome]int
	firstErr  error
	attempts  int
}

// take reserves one attempt, or reports that the count bound is reached.
func (t *cpsTally) take() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.attempts >= maxConnections {
		return false
	}
	t.attempts++
	return true
}

func (t *cpsTally) record(d time.Duration, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err == nil {
		t.latencies = append(t.latencies, d)
		return
	}
	t.failures[cpsOutcome(err)]++
	if t.firstErr == nil {
		t.firstErr = err
	}
}

// probeCPS opens connections from concurrency workers until duration has passed. A connection
// counts when the whoami line arrived; its latency is from dial to line. No new connection starts
// after the duration, and each is bounded by the timeout, so the probe ends by duration+timeout.
func probeCPS(ctx context.Context, o cpsOptions) probe.Result {
	t := &cpsTally{failures: map[probe.Outcome]int{}}
	start := time.Now()
	end := start.Add(o.duration)
	var wg sync.WaitGroup
	for range o.concurrency {
		wg.Go(func() {
			for time.Now().Before(end) && t.take() {
				began := time.Now()
				err := oneWhoami(ctx, o.to, began.Add(o.timeout))
				t.record(time.Since(began), err)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	res := probe.Result{Probe: probe.KindCPS, Connections: len(t.latencies)}
	for _, n := range t.failures {
		res.Failures += n
	}
	res.FailuresBy = t.failures
	res.PerSecond = float64(res.Connections) / elapsed.Seconds()
	slices.Sort(t.latencies)
	res.P50MS = ms(percentile(t.latencies, 50))
	res.P90MS = ms(percentile(t.latencies, 90))
	res.P99MS = ms(percentile(t.latencies, 99))
	res.MaxMS = ms(percentile(t.latencies, 100))
	// The probe is ok when connections got through, failures or not: the failure counts are the
	// measurement. When none got through, the result is what the first one ran into.
	res.Result = probe.OK
	if res.Connections == 0 {
		if t.firstErr == nil {
			res.Result = probe.Error
			res.Error = "no connection was attempted"
		} else {
			res.Result = cpsOutcome(t.firstErr)
		}
	}
	if t.firstErr != nil {
		res.Error = fmt.Sprintf("first failure of %d: %v", res.Failures, t.firstErr)
	}
	return res
}

// errBadLine marks a connection that answered something other than a whoami line.
type errBadLine struct{ err error }

func (e errBadLine) Error() string { return e.err.Error() }

func cpsOutcome(err error) probe.Outcome {
	if _, ok := err.(errBadLine); ok {
		return probe.WrongAnswer
	}
	return outcome(err)
}

// oneWhoami opens one connection, reads the whoami line and closes. The server closes first, so
// the TIME_WAIT state stays on the server and the prober does not run out of ports.
func oneWhoami(ctx context.Context, to string, deadline time.Time) error {
	d := net.Dialer{Deadline: deadline}
	c, err := d.DialContext(ctx, "tcp", to)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", to, err)
	}
	defer c.Close()
	_ = c.SetReadDeadline(deadline)
	r := bufio.NewReader(c)
	line, err := readLine(r)
	if errors.Is(err, io.EOF) && line == "" {
		return errBadLine{fmt.Errorf("read whoami line from %s: connection closed without an answer", to)}
	}
	if err != nil && line == "" {
		return fmt.Errorf("read whoami line from %s: %w", to, err)
	}
	if _, err := parseWhoami(line); err != nil {
		return errBadLine{err}
	}
	// Waiting for the server's FIN before closing leaves TIME_WAIT with the server.
	_, _ = io.Copy(io.Discard, r)
	return nil
}

// percentile returns the p-th percentile (nearest rank) of sorted, or 0 for no samples.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 * n)
	if rank < 1 {
		rank = 1
	}
	return sorted[rank-1]
}
