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

// maxFlowDuration bounds the flow probe.
const maxFlowDuration = 2 * time.Minute

type flowOptions struct {
	to       string
	srcPort  int
	duration time.Duration
	interval time.Duration
	startAt  time.Time // when to send the first datagram; zero for now
}

func cmdFlow(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("flow", flag.ContinueOnError)
	var o flowOptions
	fs.StringVar(&o.to, "to", "", "whoami server `host:port` (UDP)")
	fs.IntVar(&o.srcPort, "src-port", 0, "send every datagram from this source `port` (0: one the kernel picks, kept for the whole flow)")
	fs.DurationVar(&o.duration, "duration", 3*time.Second, "how long to keep sending")
	fs.DurationVar(&o.interval, "interval", 100*time.Millisecond, "time between datagrams; a reply must come within it")
	var startAt int64
	fs.Int64Var(&startAt, "start-at", 0, "send the first datagram at this `unix time in nanoseconds` (within 10s), so that a harness can act at known points of the flow")
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	if _, _, err := net.SplitHostPort(o.to); err != nil {
		return probe.Result{}, usageErrorf(stderr, fs, "--to %q is not host:port: %v", o.to, err)
	}
	if o.duration <= 0 || o.duration > maxFlowDuration {
		return probe.Result{}, usageErrorf(stderr, fs, "--duration %s is not within (0, %s]", o.duration, maxFlowDuration)
	}
	if o.interval < 10*time.Millisecond || o.interval > o.duration {
		return probe.Result{}, usageErrorf(stderr, fs, "--interval %s is not within [10ms, duration]", o.interval)
	}
	if o.srcPort < 0 || o.srcPort > 65535 {
		return probe.Result{}, usageErrorf(stderr, fs, "--src-port %d is not within 0..65535", o.srcPort)
	}
	if startAt != 0 {
		o.startAt = time.Unix(0, startAt)
		if d := time.Until(o.startAt); d > 10*time.Second {
			return probe.Result{}, usageErrorf(stderr, fs, "--start-at is %s away, more than 10s", d)
		}
	}
	return probeFlow(ctx, o), nil
}

// flowTick is what happened to one datagram of a flow.
// flowLastGrace is how long the flow's last datagram waits for its reply.
const flowLastGrace = time.Second

type flowTick struct {
	at       time.Duration // since the first datagram
	answered bool
	rtt      time.Duration
	err      error
}

// probeFlow sends one datagram per interval from one socket (one conntrack entry on every router
// on the way, as a VoIP or game flow keeps) and waits up to the interval for each reply. The
// socket is connected, so a reply from any other source (a server answering directly in a broken
// hairpin) is not taken, as an application would not take it either.
func probeFlow(ctx context.Context, o flowOptions) probe.Result {
	res := probe.Result{Probe: probe.KindFlow}
	start := time.Now()
	if !o.startAt.IsZero() {
		// The timeline counts from the harness's chosen start even when this process began
		// after it (a slow exec): it then catches up at once, and stays on the axis of the
		// harness's actions.
		start = o.startAt
	}
	c, err := fixedPortDialer("udp", o.srcPort, start.Add(o.duration+time.Second)).DialContext(ctx, "udp", o.to)
	if err != nil {
		return failed(res, fmt.Errorf("open udp socket to %s: %w", o.to, err))
	}
	defer c.Close()
	res.Local = c.LocalAddr().String()
	buf := make([]byte, 2048)
	var ticks []flowTick
	var last whoamiAnswer
	for i := 0; ; i++ {
		planned := start.Add(time.Duration(i) * o.interval)
		if planned.Sub(start) >= o.duration || ctx.Err() != nil {
			break
		}
		time.Sleep(time.Until(planned))
		t := flowTick{at: time.Since(start)}
		sent := time.Now()
		if _, err := c.Write([]byte("whoami?\n")); err != nil {
			t.err = err
			ticks = append(ticks, t)
			continue
		}
		// The window is the interval, but never less than half of it after a late send.
		deadline := planned.Add(o.interval)
		if late := sent.Add(o.interval / 2); late.After(deadline) {
			deadline = late
		}
		if planned.Add(o.interval).Sub(start) >= o.duration {
			// The last datagram decides whether the flow ends working: it gets flowLastGrace
			// for its reply, so that one stall of the router (an emulated one under TCG
			// beside another) does not read as a broken flow. The earlier ticks keep the
			// interval, which is what the timeline's stops and resumes are measured in.
			if grace := sent.Add(flowLastGrace); grace.After(deadline) {
				deadline = grace
			}
		}
		_ = c.SetReadDeadline(deadline)
		for {
			n, err := c.Read(buf)
			if err != nil {
				if outcome(err) != probe.Timeout {
					t.err = err
					// An ICMP error arrives at once; the rest of the interval is waited out so
					// that the flow keeps its rate.
					time.Sleep(time.Until(planned.Add(o.interval)))
				}
				break
			}
			a, perr := parseWhoami(string(buf[:n]))
			if perr != nil {
				t.err = errBadLine{perr}
				continue
			}
			t.answered, t.rtt, t.err, last = true, time.Since(sent), nil, a
			break
		}
		ticks = append(ticks, t)
	}
	summarizeFlow(&res, ticks)
	if res.Received > 0 {
		res.ServerName = last.name
		res.ServerSaw = last.saw.Addr().String()
		res.ServerSawPort = int(last.saw.Port())
	}
	return res
}

// summarizeFlow reads the flow's timeline: when replies first came, when they last stopped after
// having come, when they resumed after that, and whether the flow ended working.
func summarizeFlow(res *probe.Result, ticks []flowTick) {
	res.Sent = len(ticks)
	res.FirstReplyS, res.StoppedS, res.ResumedS = -1, -1, -1
	var sum time.Duration
	var minRTT, maxRTT time.Duration
	var lastErr error
	for i, t := range ticks {
		if !t.answered {
			if t.err != nil {
				lastErr = t.err
			}
			if i > 0 && ticks[i-1].answered {
				res.StoppedS = secs(t.at)
				res.ResumedS = -1
				res.Gaps++
			}
			continue
		}
		if res.Received == 0 {
			res.FirstReplyS = secs(t.at)
			minRTT = t.rtt
		}
		if i > 0 && !ticks[i-1].answered && res.Received > 0 {
			res.ResumedS = secs(t.at)
		}
		res.Received++
		sum += t.rtt
		minRTT, maxRTT = min(minRTT, t.rtt), max(maxRTT, t.rtt)
	}
	if res.Sent > 0 {
		res.Loss = math.Round(float64(res.Sent-res.Received)/float64(res.Sent)*1000) / 1000
	}
	if res.Received > 0 {
		res.RTTMinMS, res.RTTMaxMS, res.RTTAvgMS = ms(minRTT), ms(maxRTT), ms(sum/time.Duration(res.Received))
	}
	// The flow works when its last datagram was answered: what a user of the application sees
	// at the end. Earlier gaps are in the timeline.
	switch {
	case len(ticks) > 0 && ticks[len(ticks)-1].answered:
		res.Result = probe.OK
	case lastErr != nil:
		*res = failed(*res, fmt.Errorf("last datagrams unanswered: %w", lastErr))
		if _, ok := lastErr.(errBadLine); ok {
			res.Result = probe.WrongAnswer
		}
	default:
		res.Result = probe.Timeout
		res.Error = fmt.Sprintf("the last datagram got no reply within the interval (%d of %d answered)", res.Received, res.Sent)
	}
}

func secs(d time.Duration) float64 { return math.Round(d.Seconds()*1000) / 1000 }
