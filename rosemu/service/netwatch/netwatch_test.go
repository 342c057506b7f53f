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

func (f *fakeEngine) NetwatchResult(_ context.Context, _ string, up bool, _ time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.results = append(f.results, up)
	return nil
}

type fakeProber struct{ up bool }

func (p fakeProber) Probe(context.Context, config.NetwatchEntry) bool { return p.up }

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
// is up, a closed one down. The ping probes run in the lab (scenarios/
// netwatch-failover): this machine need not have ping; their reading of
// ping's summary is tested here on iputils' own words.
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
		if got := (System{}).Probe(context.Background(), e); got != want {
			t.Errorf("tcp-conn to port %d: up=%v, want %v", port, got, want)
		}
	}
}

func TestParsePing(t *testing.T) {
	answered := `PING 10.0.0.1 (10.0.0.1) 56(84) bytes of data.

--- 10.0.0.1 ping statistics ---
3 packets transmitted, 3 received, 0% packet loss, time 56ms
rtt min/avg/max/mdev = 0.042/0.053/0.076/0.015 ms
`
	silent := `PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.

--- 10.0.0.2 ping statistics ---
2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 21ms

`
	if sent, got, avg, mx := parsePing([]byte(answered)); sent != 3 || got != 3 || avg != 53*time.Microsecond || mx != 76*time.Microsecond {
		t.Errorf("answered: %d sent %d got avg %v max %v", sent, got, avg, mx)
	}
	if sent, got, avg, _ := parsePing([]byte(silent)); sent != 2 || got != 0 || avg != 0 {
		t.Errorf("silent: %d sent %d got avg %v", sent, got, avg)
	}
	if sent, got, _, _ := parsePing(nil); sent != 0 || got != 0 {
		t.Error("no output read as echoes")
	}
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
