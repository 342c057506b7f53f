package netwatch

import (
	"context"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

type fakeEngine struct {
	mu      sync.Mutex
	entries []config.NetwatchEntry
	results []bool
}

func (f *fakeEngine) NetwatchEntries() []config.NetwatchEntry {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]config.NetwatchEntry(nil), f.entries...)
}

func (f *fakeEngine) NetwatchResult(_ context.Context, _ string, res config.NetwatchProbe, _ time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.results = append(f.results, res.Up)
	return nil
}

type fakeProber struct{ up bool }

func (p fakeProber) Probe(context.Context, config.NetwatchEntry) config.NetwatchProbe {
	return config.NetwatchProbe{Up: p.up}
}

// An entry is first probed its start-delay after it appears, then every
// interval from each probe's start; one removed and added again waits its
// start-delay again.
func TestTickSchedule(t *testing.T) {
	ctx := context.Background()
	e := config.NetwatchEntry{ID: "*1", Host: netip.MustParseAddr("10.0.0.1"), Type: "simple", Interval: 10 * time.Second, StartDelay: 3 * time.Second}
	eng := &fakeEngine{entries: []config.NetwatchEntry{e}}
	s := New(eng, fakeProber{up: true}, nil)
	t0 := time.Unix(1_000_000, 0)
	count := func(at time.Duration) int {
		n := len(s.Tick(ctx, t0.Add(at)))
		s.Wait()
		return n
	}
	for _, c := range []struct {
		at   time.Duration
		want int
	}{{0, 0}, {2 * time.Second, 0}, {3 * time.Second, 1}, {4 * time.Second, 0}, {12 * time.Second, 0}, {13 * time.Second, 1}, {23 * time.Second, 1}} {
		if got := count(c.at); got != c.want {
			t.Errorf("at %v: %d probes started, want %d", c.at, got, c.want)
		}
	}
	if len(eng.results) != 3 || !eng.results[0] {
		t.Errorf("results %v, want three ups", eng.results)
	}
	eng.entries = nil
	count(24 * time.Second)
	eng.entries = []config.NetwatchEntry{e}
	if count(25*time.Second) != 0 || count(27*time.Second) != 0 || count(28*time.Second) != 1 {
		t.Error("an entry that came back was not given its start-delay again")
	}
}

// The tcp-conn probe against this machine's loopback: a listening port
// is up, a closed one down.
func TestTCPConnProbe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	e := config.NetwatchEntry{Host: netip.MustParseAddr("127.0.0.1"), Type: "tcp-conn", Timeout: time.Second}
	for port, want := range map[int]bool{ln.Addr().(*net.TCPAddr).Port: true, closed: false} {
		e.Port = port
		if got := (System{}).Probe(context.Background(), e).Up; got != want {
			t.Errorf("tcp-conn to port %d: up=%v, want %v", port, got, want)
		}
	}
}

// The ping probes against this machine's loopback, which the kernel
// answers: simple and icmp are up; an icmp probe whose average threshold
// no round trip can meet is down; and an echo from a source address the
// machine does not have cannot be sent, so the host counts as down.
func TestPingProbe(t *testing.T) {
	lo := netip.MustParseAddr("127.0.0.1")
	base := config.NetwatchEntry{Host: lo, Timeout: time.Second, PacketCount: 3, PacketInterval: 20 * time.Millisecond,
		ThrLossPercent: 85, ThrLossCount: 1 << 31, ThrAvg: 100 * time.Millisecond, ThrMax: time.Second}
	ctx := context.Background()
	p := icmpProbe(ctx, with(base, func(e *config.NetwatchEntry) { e.Type = "icmp" }))
	if !p.ICMP || p.Sent != 3 || p.Received != 3 || p.Avg <= 0 || p.Max < p.Avg || p.Min > p.Avg || p.Stdev > p.Max {
		t.Fatalf("3 echoes to the loopback: %+v (ICMP needs root or CAP_NET_RAW)", p)
	}
	cases := []struct {
		name string
		e    config.NetwatchEntry
		want bool
	}{
		{"simple", with(base, func(e *config.NetwatchEntry) { e.Type = "simple" }), true},
		{"icmp", with(base, func(e *config.NetwatchEntry) { e.Type = "icmp" }), true},
		{"icmp over its average threshold", with(base, func(e *config.NetwatchEntry) { e.Type, e.ThrAvg = "icmp", time.Nanosecond }), false},
		{"simple from an address not here", with(base, func(e *config.NetwatchEntry) { e.Type, e.Src = "simple", netip.MustParseAddr("192.0.2.77") }), false},
	}
	for _, c := range cases {
		if got := (System{}).Probe(ctx, c.e).Up; got != c.want {
			t.Errorf("%s: up=%v, want %v", c.name, got, c.want)
		}
	}
}

func with(e config.NetwatchEntry, f func(*config.NetwatchEntry)) config.NetwatchEntry {
	f(&e)
	return e
}

// The icmp type's thresholds, on ping's figures.
func TestICMPVerdict(t *testing.T) {
	e := config.NetwatchEntry{ThrLossPercent: 85, ThrLossCount: 1 << 31, ThrAvg: 100 * time.Millisecond, ThrMax: time.Second}
	cases := []struct {
		sent, got int
		avg, mx   time.Duration
		want      bool
	}{
		{10, 10, time.Millisecond, 2 * time.Millisecond, true},
		{10, 2, time.Millisecond, 2 * time.Millisecond, true}, // 80 % lost: under 85 %
		{10, 1, time.Millisecond, 2 * time.Millisecond, false},
		{10, 10, 150 * time.Millisecond, 200 * time.Millisecond, false},
		{10, 10, 50 * time.Millisecond, 1500 * time.Millisecond, false},
		{0, 0, 0, 0, false},
	}
	for _, c := range cases {
		if got := icmpVerdict(e, c.sent, c.got, c.avg, c.mx); got != c.want {
			t.Errorf("%+v: up=%v", c, got)
		}
	}
	e.ThrLossCount = 0
	if icmpVerdict(e, 10, 9, time.Millisecond, time.Millisecond) {
		t.Error("one echo lost with thr-loss-count=0: up")
	}
}

// /ping's echoes on the loopback: out of the loopback interface they are
// answered; bound to an interface that does not exist nothing is sent.
func TestEchoInterface(t *testing.T) {
	ctx := context.Background()
	p := config.PingRequest{Host: netip.MustParseAddr("127.0.0.1"), Count: 2, Interval: 10 * time.Millisecond, Timeout: time.Second, Interface: "lo"}
	if r := Echo(ctx, p); r.Sent != 2 || r.Received != 2 {
		t.Errorf("out of lo: %+v, want 2 of 2", r)
	}
	p.Interface = "no-such-if0"
	if r := Echo(ctx, p); r.Received != 0 {
		t.Errorf("out of a missing interface: %+v, want nothing answered", r)
	}
}

// IPv6 hosts are probed as IPv4 ones are (RouterOS 7's Netwatch takes
// ipv6 hosts): ICMPv6 echoes to this machine's ::1 are answered, so
// simple and icmp are up; from a source address the machine does not
// have nothing can be sent and the host is down (the control).
func TestPingProbeIPv6(t *testing.T) {
	lo := netip.MustParseAddr("::1")
	base := config.NetwatchEntry{Host: lo, Timeout: time.Second, PacketCount: 3, PacketInterval: 20 * time.Millisecond,
		ThrLossPercent: 85, ThrLossCount: 1 << 31, ThrAvg: 100 * time.Millisecond, ThrMax: time.Second}
	ctx := context.Background()
	p := icmpProbe(ctx, with(base, func(e *config.NetwatchEntry) { e.Type = "icmp" }))
	if !p.ICMP || p.Sent != 3 || p.Received != 3 || p.Avg <= 0 {
		t.Fatalf("3 ICMPv6 echoes to ::1: %+v (needs root or CAP_NET_RAW, and IPv6 on lo)", p)
	}
	cases := []struct {
		name string
		e    config.NetwatchEntry
		want bool
	}{
		{"simple", with(base, func(e *config.NetwatchEntry) { e.Type = "simple" }), true},
		{"icmp", with(base, func(e *config.NetwatchEntry) { e.Type = "icmp" }), true},
		{"simple from an address not here", with(base, func(e *config.NetwatchEntry) { e.Type, e.Src = "simple", netip.MustParseAddr("2001:db8::77") }), false},
	}
	for _, c := range cases {
		if got := (System{}).Probe(ctx, c.e).Up; got != c.want {
			t.Errorf("%s: up=%v, want %v", c.name, got, c.want)
		}
	}
}

// A script's /ping of an IPv6 host sends ICMPv6 echoes: ::1 answers both;
// 127.0.0.1 alongside is the IPv4 control.
func TestPingIPv6(t *testing.T) {
	ctx := context.Background()
	for _, h := range []string{"::1", "127.0.0.1"} {
		r := Ping(ctx, config.PingRequest{Host: netip.MustParseAddr(h), Count: 2, Interval: 10 * time.Millisecond, Timeout: time.Second})
		if r.Sent != 2 || r.Received != 2 {
			t.Errorf("/ping %s: %+v, want 2 of 2 answered", h, r)
		}
	}
}

// TestTCPConnThreshold (forum41 D2): thr-tcp-conn-time is tcp-conn's
// pass/fail time (Netwatch page,
// https://help.mikrotik.com/docs/display/ROS/Netwatch). A connection to
// the loopback takes microseconds: a 1 ns threshold fails the probe; the
// control, the 10 s default, passes it.
func TestTCPConnThreshold(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	e := config.NetwatchEntry{Host: netip.MustParseAddr("127.0.0.1"), Type: "tcp-conn", Port: ln.Addr().(*net.TCPAddr).Port, Timeout: time.Second}
	for thr, want := range map[time.Duration]bool{10 * time.Second: true, time.Nanosecond: false} {
		e.ThrTCPConn = thr
		if got := (System{}).Probe(context.Background(), e).Up; got != want {
			t.Errorf("thr-tcp-conn-time=%v: up=%v, want %v", thr, got, want)
		}
	}
}
