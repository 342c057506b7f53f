// Package netwatch runs the /tool netwatch probes of a rosemu router and
// hands each outcome to the router's engine, which records the entry's
// status and runs its up-, down- and test-scripts (config.NetwatchResult).
//
// As RouterOS does, an entry is first probed its start-delay after it was
// added or enabled (or edited), then every interval; a probe is a ping of
// the host for the simple type (up when an echo answers within timeout),
// packet-count pings packet-interval apart for icmp (down when more than
// thr-loss-percent or thr-loss-count are lost, or the average or maximum
// round trip passes thr-avg or thr-max), and a TCP connection to
// host:port for tcp-conn. Probes leave from the router's own namespace,
// routed by its tables, so in a lab they never leave the lab.
package netwatch

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
	"golang.org/x/sys/unix"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
)

// Engine is what the service needs of the router; *config.Router
// implements it.
type Engine interface {
	NetwatchEntries() []config.NetwatchEntry
	NetwatchResult(ctx context.Context, key string, res config.NetwatchProbe, at time.Time) error
}

// Prober runs one probe; tests give a fake one.
type Prober interface {
	Probe(ctx context.Context, e config.NetwatchEntry) config.NetwatchProbe
}

// Service probes one router's netwatch entries.
type Service struct {
	eng    Engine
	prober Prober
	log    *slog.Logger

	mu    sync.Mutex
	due   map[string]time.Time // by entry key: when its next probe starts
	busy  map[string]bool      // a probe of the key is running
	probe sync.WaitGroup
}

// New returns the service over eng; a nil prober pings and connects for
// real, a nil log discards.
func New(eng Engine, prober Prober, log *slog.Logger) *Service {
	if prober == nil {
		prober = System{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{eng: eng, prober: prober, log: log, due: map[string]time.Time{}, busy: map[string]bool{}}
}

// poll is how often Run looks at the entries: RouterOS takes intervals
// down to a second, and an entry may be added at any moment.
const poll = 100 * time.Millisecond

// Run probes until ctx ends.
func (s *Service) Run(ctx context.Context) error {
	for {
		s.Tick(ctx, time.Now())
		select {
		case <-ctx.Done():
			s.probe.Wait()
			return ctx.Err()
		case <-time.After(poll):
		}
	}
}

// Tick starts the probes due at now, each in its own goroutine, and
// returns the keys it started. An entry seen for the first time is due its
// start-delay later; a probe still running when its next is due is not
// started twice (the next starts an interval after it began).
func (s *Service) Tick(ctx context.Context, now time.Time) []string {
	entries := s.eng.NetwatchEntries()
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]bool{}
	var started []string
	for _, e := range entries {
		key := e.Key()
		seen[key] = true
		due, ok := s.due[key]
		if !ok {
			s.due[key] = now.Add(e.StartDelay)
			continue
		}
		if now.Before(due) || s.busy[key] {
			continue
		}
		s.busy[key] = true
		s.due[key] = now.Add(e.Interval)
		started = append(started, key)
		s.probe.Add(1)
		go func() {
			defer s.probe.Done()
			err := guard.Do(s.log, "netwatch probe", func() error {
				return s.eng.NetwatchResult(ctx, key, s.prober.Probe(ctx, e), time.Now())
			})
			if err != nil {
				s.log.Warn("netwatch script failed", "host", e.Host, "err", err)
			}
			s.mu.Lock()
			delete(s.busy, key)
			s.mu.Unlock()
		}()
	}
	// An entry removed, disabled or edited starts afresh if it comes back.
	for key := range s.due {
		if !seen[key] && !s.busy[key] {
			delete(s.due, key)
		}
	}
	return started
}

// Wait waits for the probes Tick started (tests).
func (s *Service) Wait() { s.probe.Wait() }

// System probes with the router's own ping and sockets.
type System struct{}

// Probe runs e's probe and reports whether the host is up, with an icmp
// probe's statistics.
func (System) Probe(ctx context.Context, e config.NetwatchEntry) config.NetwatchProbe {
	switch e.Type {
	case "tcp-conn":
		return config.NetwatchProbe{Up: tcpConn(ctx, e)}
	case "icmp":
		return icmpProbe(ctx, e)
	default:
		r := Echo(ctx, config.PingRequest{Host: e.Host, Src: e.Src, Count: 1, Timeout: e.Timeout})
		return config.NetwatchProbe{Up: r.Sent > 0 && r.Received > 0}
	}
}

func tcpConn(ctx context.Context, e config.NetwatchEntry) bool {
	d := net.Dialer{Timeout: e.Timeout}
	if e.Src.IsValid() {
		d.LocalAddr = &net.TCPAddr{IP: e.Src.AsSlice()}
	}
	start := time.Now()
	c, err := d.DialContext(ctx, "tcp", netip.AddrPortFrom(e.Host, uint16(e.Port)).String())
	if err != nil {
		return false
	}
	took := time.Since(start)
	c.Close()
	// thr-tcp-conn-time: "TCP-CONNECT pass-fail criteria" (Netwatch
	// page, https://help.mikrotik.com/docs/display/ROS/Netwatch): a
	// connection slower than it fails the probe.
	return e.ThrTCPConn <= 0 || took <= e.ThrTCPConn
}

func icmpProbe(ctx context.Context, e config.NetwatchEntry) config.NetwatchProbe {
	r := Echo(ctx, config.PingRequest{Host: e.Host, Src: e.Src, Count: max(e.PacketCount, 1), Interval: e.PacketInterval, Timeout: e.Timeout})
	p := config.NetwatchProbe{ICMP: true, Sent: r.Sent, Received: r.Received, Min: r.Min, Avg: r.Avg, Max: r.Max}
	p.Jitter, p.Stdev = spread(r.RTTs, r.Avg)
	p.Up = icmpVerdict(e, r.Sent, r.Received, r.Avg, r.Max)
	return p
}

// spread is the jitter (the mean difference between consecutive round
// trips) and the standard deviation of rtts around avg.
func spread(rtts []time.Duration, avg time.Duration) (jitter, stdev time.Duration) {
	if len(rtts) == 0 {
		return 0, 0
	}
	var sq float64
	for i, d := range rtts {
		f := float64(d - avg)
		sq += f * f
		if i > 0 {
			jitter += (d - rtts[i-1]).Abs()
		}
	}
	if len(rtts) > 1 {
		jitter /= time.Duration(len(rtts) - 1)
	}
	return jitter, time.Duration(math.Sqrt(sq / float64(len(rtts))))
}

// icmpVerdict judges an icmp probe by its thresholds.
func icmpVerdict(e config.NetwatchEntry, sent, got int, avg, mx time.Duration) bool {
	if sent == 0 {
		return false
	}
	lost := sent - got
	lossPct := 100 * float64(lost) / float64(sent)
	switch {
	case got == 0, lossPct > e.ThrLossPercent, lost > e.ThrLossCount:
		return false
	case e.ThrAvg > 0 && avg > e.ThrAvg, e.ThrMax > 0 && mx > e.ThrMax:
		return false
	}
	return true
}

// EchoResult is what came back of Echo's requests.
type EchoResult struct {
	Sent, Received int
	Min, Avg, Max  time.Duration
	// RTTs are the answered echoes' round trips in the order they came.
	RTTs []time.Duration
}

// Echo sends p.Count ICMP echo requests p.Interval apart to p.Host
// (from p.Src, out of p.Interface when set), gives each p.Timeout for its
// reply, and returns how many were sent and answered and the round trips.
// It speaks ICMP itself on a raw socket (the router runs as root), so it
// needs no ping program, which the vm guest does not carry. An echo that
// cannot be sent (no route) counts as sent and lost, as ping counts it.
func Echo(ctx context.Context, p config.PingRequest) (r EchoResult) {
	src := "0.0.0.0"
	if p.Src.IsValid() {
		src = p.Src.String()
	}
	lc := net.ListenConfig{}
	if p.Interface != "" || p.Mark != 0 {
		lc.Control = func(_, _ string, rc syscall.RawConn) error {
			var serr error
			err := rc.Control(func(fd uintptr) {
				if p.Interface != "" {
					// Out of that interface whatever the routes say, as
					// /ping interface= sends.
					serr = unix.BindToDevice(int(fd), p.Interface)
				}
				if serr == nil && p.Mark != 0 {
					// The routing table's mark: the ip rules rosemu
					// writes for the table route the echoes by it.
					serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_MARK, int(p.Mark))
				}
			})
			return errors.Join(err, serr)
		}
	}
	// An IPv6 host is echoed over ICMPv6 (RouterOS 7 netwatch and ping
	// take IPv6 hosts, link-local ones with %interface): on a raw
	// ICMPv6 socket Linux fills in the checksum over the pseudo-header.
	network, proto, echo, reply := "ip4:icmp", 1, icmp.Type(ipv4.ICMPTypeEcho), icmp.Type(ipv4.ICMPTypeEchoReply)
	if !p.Host.Is4() && !p.Host.Is4In6() {
		network, proto, echo, reply = "ip6:ipv6-icmp", 58, ipv6.ICMPTypeEchoRequest, ipv6.ICMPTypeEchoReply
		if !p.Src.IsValid() {
			src = "::"
		}
	}
	pc, err := lc.ListenPacket(ctx, network, src)
	if err != nil {
		return r
	}
	dst := &net.IPAddr{IP: p.Host.AsSlice(), Zone: p.Host.Zone()}
	c := &rawEcho{c: pc.(*net.IPConn), id: rand.IntN(0xffff) + 1, dst: dst, buf: make([]byte, 1500), proto: proto, echo: echo, reply: reply}
	defer c.c.Close()
	return echoes(ctx, c, p.Count, p.Interval, p.Timeout)
}

// echoConn sends a probe's echo requests and reads their replies.
type echoConn interface {
	// send sends echo request seq.
	send(seq int) error
	// read waits until deadline for a reply to one of the probe's
	// requests and returns its seq; an error when the deadline passed
	// (or the connection failed).
	read(deadline time.Time) (seq int, err error)
}

// echoes sends count requests interval apart on c and reads the replies
// while it waits for the next send, so a lost reply holds up no request:
// the probe lasts about count × interval, and after the last request it
// waits that request's timeout for what is still missing (a reply that
// comes later than its own request's timeout is lost). The Netwatch page
// describes an icmp probe as a series of requests packet-interval apart,
// each given timeout for its response; ping sends on its interval too.
func echoes(ctx context.Context, c echoConn, count int, interval, timeout time.Duration) (r EchoResult) {
	sentAt := make([]time.Time, count)
	answered := make([]bool, count)
	var total time.Duration
	pending := 0 // requests sent and not yet answered
	// wait reads replies until deadline (or every request is answered).
	wait := func(deadline time.Time) {
		for pending > 0 && ctx.Err() == nil {
			seq, err := c.read(deadline)
			if err != nil {
				if time.Now().Before(deadline) {
					// The connection failed, not the deadline: nothing
					// more will come; go on to the deadline so the
					// requests keep their pace.
					sleepUntil(ctx, deadline)
				}
				return
			}
			now := time.Now()
			if seq < 0 || seq >= r.Sent || answered[seq] {
				continue
			}
			rtt := now.Sub(sentAt[seq])
			answered[seq] = true
			pending--
			if rtt > timeout {
				continue // too late: lost
			}
			if r.Received == 0 || rtt < r.Min {
				r.Min = rtt
			}
			r.Received++
			r.RTTs = append(r.RTTs, rtt)
			total += rtt
			r.Max = max(r.Max, rtt)
		}
	}
	begin := time.Now()
	for seq := range count {
		if ctx.Err() != nil {
			break
		}
		sentAt[seq] = time.Now()
		r.Sent++
		if err := c.send(seq); err != nil {
			answered[seq] = true // sent and lost: no reply to wait for
		} else {
			pending++
		}
		if seq < count-1 {
			next := begin.Add(time.Duration(seq+1) * interval)
			wait(next)
			sleepUntil(ctx, next)
		}
	}
	if r.Sent > 0 {
		wait(sentAt[r.Sent-1].Add(timeout))
	}
	if r.Received > 0 {
		r.Avg = total / time.Duration(r.Received)
	}
	return r
}

// sleepUntil waits until t or until ctx ends.
func sleepUntil(ctx context.Context, t time.Time) {
	if d := time.Until(t); d > 0 {
		select {
		case <-ctx.Done():
		case <-time.After(d):
		}
	}
}

// rawEcho is echoConn on a raw ICMP socket.
type rawEcho struct {
	c   *net.IPConn
	id  int
	dst *net.IPAddr
	buf []byte
	// proto is the ICMP protocol number to parse replies by (1 for
	// IPv4, 58 for ICMPv6); echo and reply the message types.
	proto       int
	echo, reply icmp.Type
}

func (e *rawEcho) send(seq int) error {
	msg := icmp.Message{Type: e.echo, Body: &icmp.Echo{ID: e.id, Seq: seq, Data: make([]byte, 56)}}
	b, err := msg.Marshal(nil)
	if err != nil {
		return err
	}
	_, err = e.c.WriteTo(b, e.dst)
	return err
}

// read returns the seq of the next echo reply from the host with the
// probe's id.
func (e *rawEcho) read(deadline time.Time) (int, error) {
	if err := e.c.SetReadDeadline(deadline); err != nil {
		return 0, err
	}
	for {
		n, peer, err := e.c.ReadFrom(e.buf)
		if err != nil {
			return 0, err
		}
		m, err := icmp.ParseMessage(e.proto, e.buf[:n])
		if err != nil || m.Type != e.reply {
			continue
		}
		if echo, ok := m.Body.(*icmp.Echo); ok && echo.ID == e.id {
			if ip, ok := peer.(*net.IPAddr); ok && ip.IP.Equal(e.dst.IP) {
				return echo.Seq, nil
			}
		}
	}
}

// Ping sends a script's /ping (config.SetPinger) as the probes send
// theirs (ICMP for IPv4 hosts, ICMPv6 for IPv6 ones) and returns how
// many echoes were answered.
func Ping(ctx context.Context, req config.PingRequest) config.PingResult {
	e := Echo(ctx, req)
	return config.PingResult{Sent: e.Sent, Received: e.Received, Min: e.Min, Avg: e.Avg, Max: e.Max}
}
