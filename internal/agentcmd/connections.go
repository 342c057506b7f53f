package agentcmd

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

// maxConnectionsCount bounds the connections probe: it counts who answered, it is not a load.
const maxConnectionsCount = 10_000

type connectionsOptions struct {
	to      string
	count   int
	timeout time.Duration
}

func cmdConnections(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("connections", flag.ContinueOnError)
	var o connectionsOptions
	fs.StringVar(&o.to, "to", "", "whoami server `host:port`")
	fs.IntVar(&o.count, "count", 20, "new connections to open, one after another")
	fs.DurationVar(&o.timeout, "timeout", time.Second, "bound on each connection")
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	if _, _, err := net.SplitHostPort(o.to); err != nil {
		return probe.Result{}, usageErrorf(stderr, fs, "--to %q is not host:port: %v", o.to, err)
	}
	if o.count < 1 || o.count > maxConnectionsCount {
		return probe.Result{}, usageErrorf(stderr, fs, "--count %d is not within 1..%d", o.count, maxConnectionsCount)
	}
	if o.timeout <= 0 {
		return probe.Result{}, usageErrorf(stderr, fs, "--timeout must be positive")
	}
	return probeConnections(ctx, o), nil
}

// probeConnections opens count new TCP connections, each from a new source port (so each is a
// new conntrack entry a per-connection classifier such as PCC sees afresh), and counts who
// answered each. The result is ok when at least one worked; the share is the measurement.
func probeConnections(ctx context.Context, o connectionsOptions) probe.Result {
	res := probe.Result{Probe: probe.KindConnections, AnsweredBy: map[string]int{}, FailuresBy: map[probe.Outcome]int{}}
	var firstErr error
	for range o.count {
		if ctx.Err() != nil {
			break
		}
		res.Attempted++
		name, err := whoamiName(ctx, o.to, time.Now().Add(o.timeout))
		if err != nil {
			res.Failures++
			res.FailuresBy[cpsOutcome(err)]++
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		res.Connections++
		res.AnsweredBy[name]++
	}
	res.Share = math.Round(float64(res.Connections)/float64(max(res.Attempted, 1))*1000) / 1000
	res.Result = probe.OK
	if res.Connections == 0 && firstErr != nil {
		res.Result = cpsOutcome(firstErr)
	}
	if firstErr != nil {
		res.Error = fmt.Sprintf("first failure of %d: %v", res.Failures, firstErr)
	}
	return res
}
