package agentcmd

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

func TestCPSProbe(t *testing.T) {
	port := startWhoami(t, "server1", "127.0.0.1")
	res := probeCPS(t.Context(), cpsOptions{to: fmt.Sprintf("127.0.0.1:%d", port), duration: 300 * time.Millisecond,
		concurrency: 4, timeout: 2 * time.Second}, oneWhoami)
	if res.Result != probe.OK || res.Connections == 0 || res.Failures != 0 || res.PerSecond <= 0 || res.Mode != "closed" {
		t.Fatalf("cps against a loopback whoami = %v, want ok with connections and no failures", res)
	}
	if !(res.P50MS <= res.P90MS && res.P90MS <= res.P99MS && res.P99MS <= res.P999MS && res.P999MS <= res.MaxMS && res.MaxMS > 0) {
		t.Errorf("cps percentiles out of order: %v", res)
	}
	if res.CPUPercent <= 0 || len(res.Distribution) < 2 {
		t.Errorf("cps reports no cpu use or no distribution: %v", res)
	}
}

func TestCPSRefused(t *testing.T) {
	res := probeCPS(t.Context(), cpsOptions{to: fmt.Sprintf("127.0.0.1:%d", freePort(t)), duration: 50 * time.Millisecond,
		concurrency: 2, timeout: time.Second}, oneWhoami)
	if res.Result != probe.Refused || res.Connections != 0 || res.Failures == 0 || res.FailuresBy[probe.Refused] != res.Failures {
		t.Fatalf("cps against a closed port = %v, want refused with every attempt counted as refused", res)
	}
}

// TestHistogramPercentiles records 1..1000 ms and reads the percentiles back through the same
// summary the probe prints.
func TestHistogramPercentiles(t *testing.T) {
	tally := newTally()
	for i := 1; i <= 1000; i++ {
		tally.record(time.Duration(i)*time.Millisecond, nil)
	}
	tally.record(0, fmt.Errorf("connect: %w", syscall.ECONNREFUSED))
	res := summarizeCPS(tally, time.Second)
	near := func(got, want float64) bool { return math.Abs(got-want) <= want*0.002 }
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"p50", res.P50MS, 500}, {"p90", res.P90MS, 900}, {"p99", res.P99MS, 990}, {"p99.9", res.P999MS, 999}, {"max", res.MaxMS, 1000}} {
		if !near(c.got, c.want) {
			t.Errorf("%s of 1..1000 ms = %g, want %g within 0.2%%", c.name, c.got, c.want)
		}
	}
	if res.Connections != 1000 || res.Failures != 1 || res.FailuresBy[probe.Refused] != 1 || res.PerSecond != 1000 {
		t.Errorf("summary = %v, want 1000 connections, one refused failure, 1000/s", res)
	}
	last := res.Distribution[len(res.Distribution)-1]
	if last[0] != 100 || !near(last[1], 1000) {
		t.Errorf("distribution ends at %v, want [100, 1000]", last)
	}
}

// stallingServer is a fake dialer: a server that serves one connection at a time at once and
// stalls once, for stall, at stallAt after the first connection.
type stallingServer struct {
	mu      sync.Mutex
	first   time.Time
	stallAt time.Duration
	stall   time.Duration
	stalled bool
}

func (s *stallingServer) dial(ctx context.Context, _ string, deadline time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.first.IsZero() {
		s.first = time.Now()
	}
	if !s.stalled && time.Since(s.first) >= s.stallAt {
		s.stalled = true
		time.Sleep(s.stall)
	}
	if time.Now().After(deadline) {
		return errors.New("i/o timeout")
	}
	return ctx.Err()
}

// TestOpenLoopShowsAStall is coordinated omission in one test: the same 150 ms stall of the
// server is one slow sample to a closed loop (its workers simply wait, and the rate drops), but
// in the open loop every connection due during the stall is late, so p99 shows it.
func TestOpenLoopShowsAStall(t *testing.T) {
	const stall = 150 * time.Millisecond
	open := probeCPS(t.Context(), cpsOptions{duration: time.Second, concurrency: maxInFlight, timeout: 5 * time.Second, rate: 1000},
		(&stallingServer{stallAt: 300 * time.Millisecond, stall: stall}).dial)
	// The closed loop stalls early: against an instant server it reaches
	// its cap on connections long before 300 ms.
	closed := probeCPS(t.Context(), cpsOptions{duration: time.Second, concurrency: 1, timeout: 5 * time.Second},
		(&stallingServer{stallAt: 5 * time.Millisecond, stall: stall}).dial)
	t.Logf("open: %v", open)
	t.Logf("closed: %v", closed)
	if open.Result != probe.OK || open.Mode != "open" || open.Failures != 0 {
		t.Fatalf("open loop = %v, want ok without failures", open)
	}
	// About 1000 connections at 1000/s: the schedule, not the server, set the count.
	if open.Connections < 900 || open.Connections > 1000 {
		t.Errorf("open loop at 1000/s for 1s made %d connections, want 900..1000", open.Connections)
	}
	// 150 of 1000 connections were due during the stall: p99 is well into it.
	if open.P99MS < float64(stall/time.Millisecond)/2 {
		t.Errorf("open loop p99 = %gms, want at least %s/2: the stall is hidden", open.P99MS, stall)
	}
	if closed.P99MS >= 20 || closed.MaxMS < float64(stall/time.Millisecond) {
		t.Errorf("closed loop p99 = %gms max %gms, want p99 < 20ms and max >= %s (one slow sample)", closed.P99MS, closed.MaxMS, stall)
	}
}

// TestOpenLoopKeepsTheRate checks the scheduler alone: with an instant server the open loop makes
// rate × duration connections and none of them late.
func TestOpenLoopKeepsTheRate(t *testing.T) {
	instant := func(ctx context.Context, _ string, _ time.Time) error { return nil }
	res := probeCPS(t.Context(), cpsOptions{duration: 500 * time.Millisecond, concurrency: 64, timeout: time.Second, rate: 2000}, instant)
	if res.Connections != 1000 {
		t.Errorf("open loop at 2000/s for 500ms made %d connections, want 1000", res.Connections)
	}
	// Never faster than the schedule. How much slower depends on the
	// machine (a busy one ends the run late), so no lower bound here: the
	// count above is the scheduler's proof.
	if res.PerSecond <= 0 || res.PerSecond > 2100 {
		t.Errorf("open loop at 2000/s measured %g/s", res.PerSecond)
	}
}
