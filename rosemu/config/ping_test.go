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
	r.SetPinger(counted(func(_ context.Context, p PingRequest) int {
		asks = append(asks, p)
		if p.Host.String() == "198.51.100.7" {
			return p.Count
		}
		return 0
	}))
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
	r.SetPinger(counted(func(_ context.Context, p PingRequest) int {
		marks = append(marks, p.Mark)
		return p.Count
	}))
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

// counted makes a Pinger of a function that says how many echoes were
// answered, as most tests' fake networks do.
func counted(f func(context.Context, PingRequest) int) Pinger {
	return func(ctx context.Context, req PingRequest) PingResult {
		return PingResult{Sent: req.Count, Received: f(ctx, req)}
	}
}

// TestFloodPing: /tool flood-ping runs its do={ } block with the run's
// totals, as the wiki's latency scripts read them; with no answer the
// round trips are 0 and received is 0.
func TestFloodPing(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}})
	var asks []PingRequest
	r.SetPinger(func(_ context.Context, p PingRequest) PingResult {
		asks = append(asks, p)
		if p.Host.String() == "198.51.100.7" {
			return PingResult{Sent: p.Count, Received: p.Count, Min: 2 * time.Millisecond, Avg: 3 * time.Millisecond, Max: 5 * time.Millisecond}
		}
		return PingResult{Sent: p.Count}
	})
	out := run(t, r, `:local avg 0
:local host 198.51.100.7
:for i from=1 to=2 do={
  /tool flood-ping count=1 size=38 address=$host do={ :set avg ($"avg-rtt" + $avg) }
}
/tool flood-ping 198.51.100.7 count=10 do={ :if ($sent = 10) do={ :put "sent $sent received $received min $"min-rtt" max $"max-rtt"" } }
/tool flood-ping 192.0.2.99 count=3 do={ :put "lost: $received of $sent" }
:put "avg sum $avg"`)
	want := "sent 10 received 10 min 2 max 5\nlost: 0 of 3\navg sum 6\n"
	if out != want {
		t.Errorf("output:\n%s\nwant:\n%s", out, want)
	}
	if len(asks) != 4 || asks[0].Count != 1 || asks[2].Count != 10 || asks[2].Interval != 0 {
		t.Errorf("echo requests: %+v", asks)
	}
	if _, err := r.Run(context.Background(), "/tool flood-ping count=2"); err == nil || !strings.Contains(err.Error(), "missing value for argument address") {
		t.Errorf("without an address: %v", err)
	}
}

// TestToolWol: /tool wol checks its MAC and interface, sends nothing and
// logs so; a bad MAC or an unknown interface is refused (the controls).
func TestToolWol(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}})
	run(t, r, "/tool wol mac=8c:16:45:46:05:22 interface=ether1")
	found := false
	for _, e := range r.Log() {
		found = found || e.Msg == "wake-on-lan to 8C:16:45:46:05:22 not sent: "+wolReason
	}
	if !found {
		t.Errorf("log: %v", r.Log())
	}
	for src, want := range map[string]string{
		"/tool wol mac=zz": "invalid value for argument mac",
		"/tool wol mac=8c:16:45:46:05:22 interface=wlan9": "input does not match any value of interface",
		"/tool wol interface=ether1":                      "missing value for argument mac",
	} {
		if _, err := r.Run(context.Background(), src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", src, err, want)
		}
	}
}

// A script's /ping waits on the network for seconds; the run lets the
// router go meanwhile, as at a :delay: the API answers while it pings, and
// sees the rule the script added before the ping. Before, the ping held
// the router's lock, and a failover script pinging every few seconds
// stalled every API read and the other scripts for its whole count.
func TestPingLetsRouterGo(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports, Kernel: &fakeKernel{}})
	pinging, release := make(chan struct{}), make(chan struct{})
	r.SetPinger(counted(func(_ context.Context, p PingRequest) int {
		close(pinging)
		<-release
		return p.Count
	}))
	done := make(chan error, 1)
	go func() {
		_, err := r.Run(ctx, "/ip firewall filter add chain=forward action=drop comment=before-ping\n"+
			":local n [/ping 198.51.100.7 count=2]\n/ip firewall filter add chain=forward action=drop comment=\"after $n\"")
		done <- err
	}()
	<-pinging
	if cs, ok := filterCommentsWithin(ctx, t, r, 5*time.Second); !ok {
		t.Error("the API did not answer while a script pinged: the ping held the router")
	} else if len(cs) != 1 || cs[0] != "before-ping" {
		t.Errorf("the API read %q while the script pinged; want the rule added before the ping", cs)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	rows, _, err := r.Command(ctx, "/ip/firewall/filter/print", nil)
	if err != nil || len(rows) != 2 || rowComment(rows[1]) != "after 2" {
		t.Errorf("after the ping: %d rules, %v; want the second rule with the ping's count", len(rows), err)
	}
}

// filterCommentsWithin reads the comments of /ip firewall filter through
// the API, as a client does while a script runs; ok is false when no
// answer came within d (a script waiting on the network held the router).
func filterCommentsWithin(ctx context.Context, t *testing.T, r *Router, d time.Duration) (cs []string, ok bool) {
	read := make(chan []string, 1)
	go func() {
		rows, _, err := r.Command(ctx, "/ip/firewall/filter/print", nil)
		if err != nil {
			t.Error(err)
		}
		var cs []string
		for _, row := range rows {
			cs = append(cs, rowComment(row))
		}
		read <- cs
	}()
	select {
	case cs := <-read:
		return cs, true
	case <-time.After(d):
		return nil, false
	}
}
