package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

func TestCPSProbe(t *testing.T) {
	port := startWhoami(t, "server1", "127.0.0.1")
	res := probeCPS(t.Context(), cpsOptions{to: fmt.Sprintf("127.0.0.1:%d", port), duration: 300 * time.Millisecond,
		concurrency: 4, timeout: 2 * time.Second})
	if res.Result != probe.OK || res.Connections == 0 || res.Failures != 0 || res.PerSecond <= 0 {
		t.Fatalf("cps against a loopback whoami = %v, want ok with connections and no failures", res)
	}
	if !(res.P50MS <= res.P90MS && res.P90MS <= res.P99MS && res.P99MS <= res.MaxMS && res.MaxMS > 0) {
		t.Errorf("cps percentiles out of order: %v", res)
	}
}

func TestCPSRefused(t *testing.T) {
	res := probeCPS(t.Context(), cpsOptions{to: fmt.Sprintf("127.0.0.1:%d", freePort(t)), duration: 50 * time.Millisecond,
		concurrency: 2, timeout: time.Second})
	if res.Result != probe.Refused || res.Connections != 0 || res.Failures == 0 || res.FailuresBy[probe.Refused] != res.Failures {
		t.Fatalf("cps against a closed port = %v, want refused with every attempt counted as refused", res)
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 200; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	for _, tt := range []struct {
		p    int
		want time.Duration
	}{{50, 100 * time.Millisecond}, {90, 180 * time.Millisecond}, {99, 198 * time.Millisecond}, {100, 200 * time.Millisecond}} {
		if got := percentile(d, tt.p); got != tt.want {
			t.Errorf("percentile(1..200ms, %d) = %s, want %s", tt.p, got, tt.want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("percentile(nil) = %s, want 0", got)
	}
}
