package agentcmd

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"runtime"
	"sync"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"golang.org/x/sys/unix"

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
	// rate, when positive, runs the open loop: a new connection every 1/rate seconds whatever
	// the earlier ones do, each timed from the moment it was due (wrk2's method), so a stall
	// shows in the tail instead of silently lowering the rate (coordinated omission).
	rate float64
}

// maxCPSRate bounds the open loop's target rate.
const maxCPSRate = 100_000

func cmdCPS(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("cps", flag.ContinueOnError)
	var o cpsOptions
	fs.StringVar(&o.to, "to", "", "whoami server `host:port`")
	fs.DurationVar(&o.duration, "duration", 2*time.Second, "how long to open connections")
	fs.IntVar(&o.concurrency, "concurrency", 8, "closed loop: parallel `workers`; open loop: most connections in flight")
	fs.DurationVar(&o.timeout, "timeout", time.Second, "bound on each connection")
	fs.Float64Var(&o.rate, "rate", 0, "open loop at this many new connections per second (0: closed loop, as fast as it goes)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	if _, _, err := net.SplitHostPort(o.to); err != nil {
		return probe.Result{}, usageErrorf(stderr, fs, "--to %q is not host:port: %v", o.to, err)
	}
	if o.duration <= 0 || o.duration > maxCPSDuration {
		return probe.Result{}, usageErrorf(stderr, fs, "--duration %s is not within (0, %s]", o.duration, maxCPSDuration)
	}
	if o.concurrency < 1 || (o.rate == 0 && o.concurrency > maxCPSConcurrency) || o.concurrency > maxInFlight {
		return probe.Result{}, usageErrorf(stderr, fs, "--concurrency %d is not within 1..%d (1..%d with --rate)", o.concurrency, maxCPSConcurrency, maxInFlight)
	}
	if o.timeout <= 0 {
		return probe.Result{}, usageErrorf(stderr, fs, "--timeout must be positive")
	}
	if o.rate < 0 || o.rate > maxCPSRate {
		return probe.Result{}, usageErrorf(stderr, fs, "--rate %g is not within 0..%d", o.rate, maxCPSRate)
	}
	if o.rate > 0 && o.concurrency == 8 {
		// The open loop must never wait for a slot at a sane rate: its in-flight bound is only
		// a guard against a path that swallows every connection until its timeout.
		o.concurrency = maxInFlight
	}
	return probeCPS(ctx, o, oneWhoami), nil
}

// maxInFlight bounds the open loop's connections in flight (file descriptors of the prober).
const maxInFlight = 4096

// dialFunc makes one connection and returns nil when it completed with a good answer.
type dialFunc func(ctx context.Context, to string, deadline time.Time) error

// cpsTally collects the observations: latencies into an HdrHistogram (microseconds, 3
// significant digits, up to a minute), failures by outcome.
type cpsTally struct {
	mu       sync.Mutex
	hist     *hdrhistogram.Histogram
	failures map[probe.Outcome]int
	firstErr error
	attempts int
}

func newTally() *cpsTally {
	return &cpsTally{hist: hdrhistogram.New(1, int64(maxCPSDuration/time.Microsecond)+int64(time.Minute/time.Microsecond), 3),
		failures: map[probe.Outcome]int{}}
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
		// A value beyond the histogram's range is a bug of the bound above, not data to drop.
		_ = t.hist.RecordValue(max(int64(d/time.Microsecond), 1))
		return
	}
	t.failures[cpsOutcome(err)]++
	if t.firstErr == nil {
		t.firstErr = err
	}
}

// probeCPS runs the closed loop (o.rate 0) or the open loop and summarizes both the same way.
func probeCPS(ctx context.Context, o cpsOptions, dial dialFunc) probe.Result {
	t := newTally()
	cpu0 := cpuTime()
	start := time.Now()
	var behind int
	if o.rate > 0 {
		behind = openLoop(ctx, o, dial, t, start)
	} else {
		closedLoop(ctx, o, dial, t, start)
	}
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	res := summarizeCPS(t, elapsed)
	res.Behind = behind
	res.Mode, res.Rate = "closed", o.rate
	if o.rate > 0 {
		res.Mode = "open"
	}
	res.CPUPercent = math.Round(float64(cpu)/float64(elapsed)*1000) / 10
	// The prober limited the result when it used nearly all the CPU it can have, or when the
	// open loop could not start connections on time although slots were free.
	planned := max(int(o.rate*o.duration.Seconds()), 1)
	res.ProberBound = res.CPUPercent >= 90*float64(runtime.NumCPU()) || (o.rate > 0 && behind*20 > planned)
	return res
}

// closedLoop runs o.concurrency workers that each open the next connection when the last one
// ended: it finds the most the path (and the prober) can do. Latency is each connection's own.
func closedLoop(ctx context.Context, o cpsOptions, dial dialFunc, t *cpsTally, start time.Time) {
	end := start.Add(o.duration)
	var wg sync.WaitGroup
	for range o.concurrency {
		wg.Go(func() {
			for time.Now().Before(end) && ctx.Err() == nil && t.take() {
				began := time.Now()
				err := dial(ctx, o.to, began.Add(o.timeout))
				t.record(time.Since(began), err)
			}
		})
	}
	wg.Wait()
}

// openLoop starts connection i at start + i/rate, each in its own goroutine, and times it from
// that planned moment. When o.concurrency connections are in flight the next one waits for a
// slot, and its wait counts in its latency. It returns how many connections started more than a
// two milliseconds late although a slot was free: the prober's own lag.
func openLoop(ctx context.Context, o cpsOptions, dial dialFunc, t *cpsTally, start time.Time) int {
	period := time.Duration(float64(time.Second) / o.rate)
	slots := make(chan struct{}, o.concurrency)
	var wg sync.WaitGroup
	behind := 0
	for i := 0; ; i++ {
		planned := start.Add(time.Duration(i) * period)
		if planned.Sub(start) >= o.duration || ctx.Err() != nil || !t.take() {
			break
		}
		if d := time.Until(planned); d > 0 {
			time.Sleep(d)
		}
		select {
		case slots <- struct{}{}:
			// Timer granularity on a busy machine is about a millisecond; later than two is lag.
			if time.Since(planned) > 2*time.Millisecond {
				behind++
			}
		default:
			// Every slot is taken by a slow path: wait, and let the wait count.
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				i = -2 // ends the loop below
			}
		}
		if i < 0 {
			break
		}
		wg.Go(func() {
			defer func() { <-slots }()
			err := dial(ctx, o.to, time.Now().Add(o.timeout))
			t.record(time.Since(planned), err)
		})
	}
	wg.Wait()
	return behind
}

// summarizeCPS turns a tally into a result.
func summarizeCPS(t *cpsTally, elapsed time.Duration) probe.Result {
	res := probe.Result{Probe: probe.KindCPS, Connections: int(t.hist.TotalCount())}
	for _, n := range t.failures {
		res.Failures += n
	}
	res.FailuresBy = t.failures
	res.PerSecond = math.Round(float64(res.Connections)/elapsed.Seconds()*10) / 10
	at := func(q float64) float64 { return usToMS(t.hist.ValueAtQuantile(q)) }
	res.P50MS, res.P90MS, res.P99MS, res.P999MS = at(50), at(90), at(99), at(99.9)
	res.MaxMS = usToMS(t.hist.Max())
	for _, b := range t.hist.CumulativeDistribution() {
		if b.Count == 0 && len(res.Distribution) > 0 {
			continue
		}
		res.Distribution = append(res.Distribution, [2]float64{b.Quantile, usToMS(b.ValueAt)})
	}
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

func usToMS(us int64) float64 { return float64(us) / 1000 }

// cpuTime is the CPU time this process used so far, user and system.
func cpuTime() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
	_, err := whoamiName(ctx, to, deadline)
	return err
}

// whoamiName is oneWhoami that also returns the name of the server that answered.
func whoamiName(ctx context.Context, to string, deadline time.Time) (string, error) {
	d := net.Dialer{Deadline: deadline}
	c, err := d.DialContext(ctx, "tcp", to)
	if err != nil {
		return "", fmt.Errorf("connect to %s: %w", to, err)
	}
	defer c.Close()
	_ = c.SetReadDeadline(deadline)
	r := bufio.NewReader(c)
	line, err := readLine(r)
	if errors.Is(err, io.EOF) && line == "" {
		return "", errBadLine{fmt.Errorf("read whoami line from %s: connection closed without an answer", to)}
	}
	if err != nil && line == "" {
		return "", fmt.Errorf("read whoami line from %s: %w", to, err)
	}
	a, err := parseWhoami(line)
	if err != nil {
		return "", errBadLine{err}
	}
	// Waiting for the server's FIN before closing leaves TIME_WAIT with the server.
	_, _ = io.Copy(io.Discard, r)
	return a.name, nil
}
