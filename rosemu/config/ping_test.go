package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// What a script's /ping asks of the router's pinger, and what it refuses:
// the address as its first value or address=, count, interval and the
// interface to send out of (a failover script's interface=ether1), passed
// on as given.
func TestPingRequest(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	var asks []PingRequest
	r.SetPinger(func(_ context.Context, p PingRequest) int {
		asks = append(asks, p)
		if p.Host.String() == "198.51.100.7" {
			return p.Count
		}
		return 0
	})
	out, err := r.Run(ctx, ":put [/ping 198.51.100.7 count=3 interface=ether1 interval=200ms]")
	if err != nil || out != "3\n" {
		t.Fatalf("[/ping ...] = %q, %v; want the 3 answers", out, err)
	}
	if out, err := r.Run(ctx, ":put [/ping address=198.51.100.9 count=2]"); err != nil || out != "0\n" {
		t.Errorf("a host that does not answer: %q, %v", out, err)
	}
	if len(asks) != 2 || asks[0].Count != 3 || asks[0].Interface != "ether1" || asks[0].Interval != 200*time.Millisecond || asks[1].Interface != "" {
		t.Errorf("asked %+v", asks)
	}
	for src, want := range map[string]string{
		"/ping":                      "missing value for argument address",
		"/ping 198.51.100.7 count=0": "count",
	} {
		if _, err := r.Run(ctx, src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", src, err, want)
		}
	}
}

// routing-table= (v7's /routing table, v6's implicit routing marks) and
// vrf= send the echoes with that table's routing mark, the kernel id the
// ip rules route by; main is no mark, and a table that does not exist is
// refused.
func TestPingRoutingTable(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	var marks []uint32
	r.SetPinger(func(_ context.Context, p PingRequest) int {
		marks = append(marks, p.Mark)
		return p.Count
	})
	if _, err := r.Run(ctx, "/routing table add name=isp1 fib\n/routing table add name=isp2 fib"); err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{
		"/ping 198.51.100.7 count=1 routing-table=isp2",
		"/ping 198.51.100.7 count=1 routing-table=main",
		"/ping 198.51.100.7 count=1",
	} {
		if _, err := r.Run(ctx, src); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
	}
	if len(marks) != 3 || marks[0] != 2 || marks[1] != 0 || marks[2] != 0 {
		t.Errorf("marks %v, want [2 0 0] (isp2 is the second table)", marks)
	}
	if _, err := r.Run(ctx, "/ping 198.51.100.7 count=1 routing-table=isp3"); err == nil || !strings.Contains(err.Error(), "input does not match any value of routing-table") {
		t.Errorf("a table that does not exist: %v", err)
	}
}
