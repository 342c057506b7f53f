package agentcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

// Bounds of the conntrack-rate probe: it fills a router's table on purpose, so the count and the
// rate are capped to what a lab measures in seconds without touching a real table's limits.
const (
	maxFlows    = 40_000
	maxFlowRate = 50_000
	// firstFlowPort is the first source port the flows use; each flow takes the next one, so
	// 40,000 flows fit below 65536 without reusing a port. The kernel's own choice would reuse a
	// port freed a moment ago, and the reused 5-tuple would land in the old entry: fewer entries
	// than flows, which is the prober's doing, not the router's.
	firstFlowPort = 20_000
	lastFlowPort  = 65_535
)

// flowPortFile keeps, per node, the source port the next conntrack-rate run starts at: a second
// run must not reuse the first one's ports, or its flows would land in the first run's live
// entries (UDP entries live 30 s and more) and create nothing.
var flowPortFile = filepath.Join(os.TempDir(), "labagent-next-flow-port")

// takeFlowPorts reserves n consecutive source ports after those earlier runs used, wrapping to
// firstFlowPort when they would pass lastFlowPort, and returns the first.
func takeFlowPorts(path string, n int) int {
	first := firstFlowPort
	if b, err := os.ReadFile(path); err == nil {
		if v, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && v >= firstFlowPort && v <= lastFlowPort {
			first = v
		}
	}
	if first+n-1 > lastFlowPort {
		first = firstFlowPort
	}
	// A node whose /tmp is read-only still runs the probe; only the next run may reuse ports.
	_ = os.WriteFile(path, []byte(strconv.Itoa(first+n)+"\n"), 0o644)
	return first
}

// flowRateOptions are the inputs of the conntrack-rate probe.
type flowRateOptions struct {
	to      string
	flows   int
	rate    float64
	timeout time.Duration
	// firstPort is the source port of flow 0; flow i uses firstPort+i.
	firstPort int
	// stall, when set, runs before flow i is due: tests hold the loop up as a starved machine
	// would.
	stall func(i int)
}

func cmdConntrackRate(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("conntrack-rate", flag.ContinueOnError)
	var o flowRateOptions
	fs.StringVar(&o.to, "to", "", "whoami server `host:port` (UDP)")
	fs.IntVar(&o.flows, "flows", 1000, "new UDP flows to send, each from its own source port")
	fs.Float64Var(&o.rate, "rate", 1000, "new flows per second (open loop)")
	fs.DurationVar(&o.timeout, "timeout", time.Second, "how long each flow waits for its answer")
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	if _, _, err := net.SplitHostPort(o.to); err != nil {
		return probe.Result{}, usageErrorf(stderr, fs, "--to %q is not host:port: %v", o.to, err)
	}
	if o.flows < 1 || o.flows > maxFlows {
		return probe.Result{}, usageErrorf(stderr, fs, "--flows %d is not within 1..%d", o.flows, maxFlows)
	}
	if o.rate <= 0 || o.rate > maxFlowRate {
		return probe.Result{}, usageErrorf(stderr, fs, "--rate %g is not within (0, %d]", o.rate, maxFlowRate)
	}
	if o.timeout <= 0 || o.timeout > 10*time.Second {
		return probe.Result{}, usageErrorf(stderr, fs, "--timeout %s is not within (0, 10s]", o.timeout)
	}
	o.firstPort = takeFlowPorts(flowPortFile, o.flows)
	return probeFlowRate(ctx, o, udpFlow), nil
}

// flowFunc sends one flow from source port port and returns nil when its answer came.
type flowFunc func(ctx context.Context, port int, to string, deadline time.Time) error

// udpFlow opens a socket on source port port (a new 5-tuple, so a new conntrack
// entry on every router on the way), sends one datagram and waits for the whoami answer.
func udpFlow(ctx context.Context, port int, to string, deadline time.Time) error {
	d := net.Dialer{Deadline: deadline, LocalAddr: &net.UDPAddr{Port: port}}
	c, err := d.DialContext(ctx, "udp", to)
	if err != nil {
		return errNotSent{fmt.Errorf("open udp socket from port %d to %s: %w", port, to, err)}
	}
	defer c.Close()
	if _, err := c.Write([]byte("whoami?\n")); err != nil {
		return errNotSent{fmt.Errorf("send datagram to %s: %w", to, err)}
	}
	_ = c.SetReadDeadline(deadline)
	buf := make([]byte, 512)
	n, err := c.Read(buf)
	if err != nil {
		return fmt.Errorf("read answer from %s: %w", to, err)
	}
	if _, err := parseWhoami(string(buf[:n])); err != nil {
		return errBadLine{err}
	}
	return nil
}

// errNotSent marks a flow whose datagram never left: it created nothing anywhere.
type errNotSent struct{ err error }

func (e errNotSent) Error() string { return e.err.Error() }
func (e errNotSent) Unwrap() error { return e.err }

// probeFlowRate starts flow i at start + i/rate whatever the earlier ones do (an open loop, so a
// slow router shows as unanswered flows, not as a lower offered rate) and counts the answers.
// Sent is the flows whose datagram left (a failure to send counts as a failure too), PerSecond the rate at which they left, Received the
// answered ones; failures are split by outcome.
func probeFlowRate(ctx context.Context, o flowRateOptions, flow flowFunc) probe.Result {
	res := probe.Result{Probe: probe.KindConntrackRate, Rate: o.rate, FailuresBy: map[probe.Outcome]int{}}
	period := time.Duration(float64(time.Second) / o.rate)
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		firstErr error
	)
	cpu0 := cpuTime()
	start := time.Now()
	var last time.Time
	for i := 0; i < o.flows && ctx.Err() == nil; i++ {
		if o.stall != nil {
			o.stall(i)
		}
		due := start.Add(time.Duration(i) * period)
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		last = time.Now()
		// As in cps's open loop: timer granularity on a busy machine is about a
		// millisecond; later than two is the prober's own lag.
		if last.Sub(due) > 2*time.Millisecond {
			res.Behind++
		}
		wg.Go(func() {
			err := flow(ctx, o.firstPort+i, o.to, time.Now().Add(o.timeout))
			mu.Lock()
			defer mu.Unlock()
			if ns := (errNotSent{}); !errors.As(err, &ns) {
				res.Sent++
			}
			if err == nil {
				res.Received++
				return
			}
			res.FailuresBy[cpsOutcome(err)]++
			if firstErr == nil {
				firstErr = err
			}
		})
	}
	sending := last.Sub(start)
	wg.Wait()
	res.CPUPercent = math.Round(float64(cpuTime()-cpu0)/float64(time.Since(start))*1000) / 10
	for _, n := range res.FailuresBy {
		res.Failures += n
	}
	// The rate the flows left at: n flows span n-1 periods.
	if res.Sent > 1 && sending > 0 {
		res.PerSecond = math.Round(float64(res.Sent-1)/sending.Seconds()*10) / 10
	}
	// A machine too busy to send the flows at the rate asked offered the router less than that:
	// the insert rate and the failures then measured the prober. Unlike cps, whose latencies a
	// late start skews, a flow a few milliseconds late changes nothing here as long as the flows
	// left at the rate asked, so only the offered rate (and a prober using every CPU) count;
	// Behind is reported beside them.
	res.ProberBound = res.CPUPercent >= 90*float64(runtime.NumCPU()) || (res.Sent > 1 && res.PerSecond < 0.95*o.rate)
	res.Result = probe.OK
	if res.Received == 0 {
		res.Result = probe.Error
		res.Error = "no flow was sent"
		if firstErr != nil {
			res.Result = cpsOutcome(firstErr)
		}
	}
	if firstErr != nil {
		res.Error = fmt.Sprintf("first failure of %d: %v", res.Failures, firstErr)
	}
	return res
}
