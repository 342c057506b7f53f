package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// fakePinger answers what its table says and records what was asked.
type fakePinger struct {
	up   map[string]bool
	asks []PingRequest
}

func (f *fakePinger) Ping(_ context.Context, p PingRequest) PingResult {
	f.asks = append(f.asks, p)
	if f.up[p.Address.String()] {
		return PingResult{Sent: p.Count, Received: p.Count, Avg: time.Millisecond, Max: 2 * time.Millisecond}
	}
	return PingResult{Sent: p.Count}
}

// The failover script of many forum posts: ping a far host out of ISP1's
// interface and move the default route by the answer. [/ping ...] is the
// number of answers; with none the script takes ISP1 out of use, with
// answers it leaves it.
func TestPingInScripts(t *testing.T) {
	ctx := context.Background()
	pinger := &fakePinger{up: map[string]bool{"198.51.100.7": true}}
	r := New(Options{Ports: ports, Ping: pinger})
	run(t, r, `/ip route add gateway=10.0.0.254 comment=isp1
/system script add name=check source=":global host\r\n:if ([/ping \$host count=3 interface=ether1 interval=200ms] = 0) do={ /ip route disable [find comment=isp1] } else={ /ip route enable [find comment=isp1] }"`)
	disabled := func() string { return run(t, r, ":put [/ip route get [find comment=isp1] disabled]") }
	run(t, r, ":global host 198.51.100.7")
	if err := r.runEventForTest(ctx, "check"); err != nil {
		t.Fatal(err)
	}
	if disabled() != "false\n" {
		t.Errorf("a host that answers: route disabled=%q", disabled())
	}
	run(t, r, ":global host 198.51.100.9")
	if err := r.runEventForTest(ctx, "check"); err != nil {
		t.Fatal(err)
	}
	if disabled() != "true\n" {
		t.Errorf("a host that does not answer: route disabled=%q", disabled())
	}
	if len(pinger.asks) != 2 || pinger.asks[1].Count != 3 || pinger.asks[1].Interface != "ether1" || pinger.asks[1].Interval != 200*time.Millisecond {
		t.Errorf("asked %+v", pinger.asks)
	}
	// The console's summary, and the address as address=.
	out, err := r.Run(ctx, "/ping address=198.51.100.7 count=2")
	if err != nil || !strings.Contains(out, "sent=2 received=2 packet-loss=0%") {
		t.Errorf("console: %q, %v", out, err)
	}
	for src, want := range map[string]string{
		"/ping":                           "missing value for argument address",
		"/ping 198.51.100.7 count=0":      "invalid value for argument count",
		"/ping not-an-address count=1":    "invalid value for argument address",
		"/ping 198.51.100.7 interval=1ms": "invalid value for argument interval",
	} {
		if _, err := r.Run(ctx, src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", src, err, want)
		}
	}
}
