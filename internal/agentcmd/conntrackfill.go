package agentcmd

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

// Bounds and timing of the conntrack-fill probe.
const (
	maxFillFlows       = 20_000
	maxFillEstablished = 64
	maxFillNew         = 1_000
	// assureAfter is when a fill flow sends its second datagram. The kernel marks a UDP entry
	// assured when a packet comes more than 2 s after the entry was made and an answer was
	// seen (nf_conntrack_proto_udp.c, "Still active after two seconds? Extend timeout"); an
	// assured entry is never evicted to make room for a new one, so a table of them stays full
	// on a real kernel too.
	assureAfter = 2200 * time.Millisecond
	// establishedEvery is the established flows' datagram interval; each waits for its answer
	// up to the step's timeout, and the next leaves at the next tick after that.
	establishedEvery = 200 * time.Millisecond
)

// fillOptions are the inputs of the conntrack-fill probe.
type fillOptions struct {
	to          string
	flows       int
	rate        float64
	established int
	newFlows    int
	timeout     time.Duration
	// firstPort is the established flows' first source port; the fill flows and the new ones
	// take the ports after them.
	firstPort int
	// assure and every are assureAfter and establishedEvery; tests shorten them.
	assure, every time.Duration
}

func cmdConntrackFill(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("conntrack-fill", flag.ContinueOnError)
	var o fillOptions
	fs.StringVar(&o.to, "to", "", "whoami server `host:port` (UDP)")
	fs.IntVar(&o.flows, "flows", 1000, "new UDP flows that fill the table, each from its own source port")
	fs.Float64Var(&o.rate, "rate", 1000, "fill flows per second (open loop)")
	fs.IntVar(&o.established, "established", 4, "flows opened before the fill and kept going to the end")
	fs.IntVar(&o.newFlows, "new", 50, "new flows tried once the fill is over")
	fs.DurationVar(&o.timeout, "timeout", time.Second, "how long each datagram waits for its answer")
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	if _, _, err := net.SplitHostPort(o.to); err != nil {
		return probe.Result{}, usageErrorf(stderr, fs, "--to %q is not host:port: %v", o.to, err)
	}
	if err := o.check(); err != nil {
		return probe.Result{}, usageErrorf(stderr, fs, "%v", err)
	}
	o.firstPort = takeFlowPorts(flowPortFile, o.established+o.flows+o.newFlows)
	o.assure, o.every = assureAfter, establishedEvery
	return probeFill(ctx, o, udpFillNet{}), nil
}

// check bounds the probe: it fills a table on purpose, so it must end within about a minute and
// stay within the source ports it may use.
func (o fillOptions) check() error {
	switch {
	case o.flows < 1 || o.flows > maxFillFlows:
		return fmt.Errorf("--flows %d is not within 1..%d", o.flows, maxFillFlows)
	case o.rate <= 0 || o.rate > maxFlowRate:
		return fmt.Errorf("--rate %g is not within (0, %d]", o.rate, maxFlowRate)
	case float64(o.flows)/o.rate > 60:
		return fmt.Errorf("--flows %d at --rate %g take %.0fs, more than 60s", o.flows, o.rate, float64(o.flows)/o.rate)
	case o.established < 1 || o.established > maxFillEstablished:
		return fmt.Errorf("--established %d is not within 1..%d", o.established, maxFillEstablished)
	case o.newFlows < 1 || o.newFlows > maxFillNew:
		return fmt.Errorf("--new %d is not within 1..%d", o.newFlows, maxFillNew)
	case o.timeout <= 0 || o.timeout > 10*time.Second:
		return fmt.Errorf("--timeout %s is not within (0, 10s]", o.timeout)
	}
	return nil
}

// fillNet opens the probe's flows; tests give it a table of their own.
type fillNet interface {
	open(ctx context.Context, port int, to string) (fillConn, error)
}

// fillConn is one flow: one source port, one connected socket.
type fillConn interface {
	// ask sends a datagram and waits for the whoami answer until deadline.
	ask(deadline time.Time) error
	close()
}

type udpFillNet struct{}

func (udpFillNet) open(ctx context.Context, port int, to string) (fillConn, error) {
	d := net.Dialer{LocalAddr: &net.UDPAddr{Port: port}}
	c, err := d.DialContext(ctx, "udp", to)
	if err != nil {
		return nil, fmt.Errorf("open udp socket from port %d to %s: %w", port, to, err)
	}
	return udpFillConn{c}, nil
}

type udpFillConn struct{ c net.Conn }

func (u udpFillConn) ask(deadline time.Time) error {
	if _, err := u.c.Write([]byte("whoami?\n")); err != nil {
		return err
	}
	_ = u.c.SetReadDeadline(deadline)
	buf := make([]byte, 512)
	n, err := u.c.Read(buf)
	if err != nil {
		return err
	}
	if _, err := parseWhoami(string(buf[:n])); err != nil {
		return errBadLine{err}
	}
	return nil
}

func (u udpFillConn) close() { u.c.Close() }

// probeFill runs the three phases. Established flows open first and stay answered for
// assureAfter, so their entries are assured before the table fills. The fill flows then leave at
// o.rate, each asking once and, when answered, asking again after assureAfter, so that every entry
// the fill leaves in the table is assured too. Once every fill flow is done, o.newFlows new flows
// each ask once while the established flows' datagrams are counted: how a full table treats new
// and established traffic at the same moment.
func probeFill(ctx context.Context, o fillOptions, nw fillNet) probe.Result {
	res := probe.Result{Probe: probe.KindConntrackFill, Established: o.established, NewFlows: o.newFlows}
	// The established flows.
	var (
		full         atomic.Bool // the new flows are being tried
		estSent      atomic.Int64
		estAnswered  atomic.Int64
		estWG        sync.WaitGroup
		firstErr     error
		firstErrOnce sync.Once
	)
	fail := func(err error) { firstErrOnce.Do(func() { firstErr = err }) }
	ectx, stopEst := context.WithCancel(ctx)
	defer stopEst()
	ready := make(chan error, o.established)
	for i := 0; i < o.established; i++ {
		estWG.Go(func() {
			c, err := nw.open(ectx, o.firstPort+i, o.to)
			if err != nil {
				ready <- err
				return
			}
			defer c.close()
			start := time.Now()
			answered := 0
			tick := time.NewTicker(o.every)
			defer tick.Stop()
			reported := false
			for {
				// A datagram counts for the phase it was sent in; its answer may take
				// up to the step's timeout (a slow router is not a full table).
				counting := full.Load()
				err := c.ask(time.Now().Add(o.timeout))
				if err == nil {
					answered++
				}
				if counting {
					estSent.Add(1)
					if err == nil {
						estAnswered.Add(1)
					}
				}
				if !reported && time.Since(start) >= o.assure {
					// Answered before and after the two seconds: assured.
					if answered < 2 {
						ready <- fmt.Errorf("established flow from port %d: %d of its first datagrams answered: %w", o.firstPort+i, answered, errOr(err))
					} else {
						ready <- nil
					}
					reported = true
				}
				select {
				case <-ectx.Done():
					return
				case <-tick.C:
				}
			}
		})
	}
	for i := 0; i < o.established; i++ {
		if err := <-ready; err != nil {
			stopEst()
			estWG.Wait()
			return failed(res, err)
		}
	}

	// The fill.
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	period := time.Duration(float64(time.Second) / o.rate)
	base := o.firstPort + o.established
	paced(ctx, &wg, o.flows, period, func(i int) {
		c, err := nw.open(ctx, base+i, o.to)
		if err != nil {
			fail(err)
			return
		}
		defer c.close()
		first := time.Now()
		mu.Lock()
		res.Sent++
		mu.Unlock()
		if err := c.ask(first.Add(o.timeout)); err != nil {
			fail(err)
			return
		}
		mu.Lock()
		res.Received++
		mu.Unlock()
		time.Sleep(time.Until(first.Add(o.assure)))
		if err := c.ask(time.Now().Add(o.timeout)); err == nil {
			mu.Lock()
			res.Assured++
			mu.Unlock()
		}
	})
	wg.Wait()

	// The new flows, while the established ones are counted.
	full.Store(true)
	base += o.flows
	var answered atomic.Int64
	paced(ctx, &wg, o.newFlows, period, func(i int) {
		c, err := nw.open(ctx, base+i, o.to)
		if err != nil {
			fail(err)
			return
		}
		defer c.close()
		if err := c.ask(time.Now().Add(o.timeout)); err == nil {
			answered.Add(1)
		}
	})
	wg.Wait()
	// At least one more round of the established flows' datagrams after the last new flow.
	time.Sleep(o.every + o.every/2)
	stopEst()
	estWG.Wait()
	res.NewAnswered = int(answered.Load())
	res.EstablishedSent, res.EstablishedAnswered = int(estSent.Load()), int(estAnswered.Load())
	res.Result = probe.OK
	if firstErr != nil {
		res.Error = "first failure: " + firstErr.Error()
	}
	return res
}

// errOr names a missing error, for a message about answers that did not come.
func errOr(err error) error {
	if err == nil {
		return fmt.Errorf("no error")
	}
	return err
}

// paced starts fn(i) for i in 0..n-1 in wg, the i-th at i periods after the first, as an open
// loop: a slow fn delays none of the later starts. It stops starting when ctx ends.
func paced(ctx context.Context, wg *sync.WaitGroup, n int, period time.Duration, fn func(i int)) {
	start := time.Now()
	for i := 0; i < n && ctx.Err() == nil; i++ {
		if d := time.Until(start.Add(time.Duration(i) * period)); d > 0 {
			time.Sleep(d)
		}
		wg.Go(func() { fn(i) })
	}
}
