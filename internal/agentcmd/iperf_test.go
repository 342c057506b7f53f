package agentcmd

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

// startIperf3 runs a real iperf3 server on a free loopback port until the test ends.
func startIperf3(t *testing.T) int {
	t.Helper()
	if _, err := exec.LookPath("iperf3"); err != nil {
		t.Skip("iperf3 is not installed; the iperf probe needs a real server to parse real -J output")
	}
	port := freePort(t)
	cmd := exec.Command("iperf3", "-s", "-p", strconv.Itoa(port), "-B", "127.0.0.1")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start iperf3 server: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if err := waitListening([]int{port}, 10*time.Second, nil); err != nil {
		t.Fatal(err)
	}
	return port
}

func TestIperfProbe(t *testing.T) {
	port := startIperf3(t)
	for _, reverse := range []bool{false, true} {
		res := probeIperf(t.Context(), iperfOptions{to: "127.0.0.1", port: port, seconds: 1, reverse: reverse,
			connectTimeout: 2 * time.Second, busyBudget: 5 * time.Second})
		if res.Result != probe.OK || res.BitsPerSecond <= 0 || res.SentBitsPerSecond <= 0 || res.Seconds <= 0 {
			t.Errorf("iperf reverse=%v against a local iperf3 server = %v, want ok with rates and seconds", reverse, res)
		}
		if err := res.Validate(probe.KindIperf); err != nil {
			t.Error(err)
		}
	}
}

func TestIperfRefused(t *testing.T) {
	if _, err := exec.LookPath("iperf3"); err != nil {
		t.Skip("iperf3 is not installed")
	}
	res := probeIperf(t.Context(), iperfOptions{to: "127.0.0.1", port: freePort(t), seconds: 1,
		connectTimeout: time.Second, busyBudget: time.Second})
	if res.Result != probe.Refused || !strings.Contains(res.Error, "Connection refused") {
		t.Fatalf("iperf against a closed port = %v, want refused with iperf3's message", res)
	}
}

// TestIperfBusyRetry replaces iperf3 on PATH with a script that answers as a busy server once
// (iperf3 3.12's exact words) and then with a minimal report, to check the retry without racing
// two real clients.
func TestIperfBusyRetry(t *testing.T) {
	dir := t.TempDir()
	script := `#!/bin/sh
if [ ! -e "` + dir + `/tried" ]; then
  touch "` + dir + `/tried"
  echo '{"start":{"connected":[]},"intervals":[],"end":{},"error":"the server is busy running a test. try again later"}'
  exit 1
fi
echo '{"end":{"sum_sent":{"seconds":1.0,"bits_per_second":1000,"retransmits":3},"sum_received":{"seconds":1.0,"bits_per_second":900}}}'
`
	if err := os.WriteFile(filepath.Join(dir, "iperf3"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+":"+os.Getenv("PATH"))
	res := probeIperf(t.Context(), iperfOptions{to: "127.0.0.1", port: 1, seconds: 1,
		connectTimeout: time.Second, busyBudget: 5 * time.Second})
	if res.Result != probe.OK || res.BitsPerSecond != 900 || res.SentBitsPerSecond != 1000 || res.Retransmits != 3 {
		t.Fatalf("iperf after one busy answer = %v, want ok with the second report's numbers", res)
	}
	// With no budget left the busy answer is the result.
	os.Remove(filepath.Join(dir, "tried"))
	res = probeIperf(t.Context(), iperfOptions{to: "127.0.0.1", port: 1, seconds: 1, connectTimeout: time.Second})
	if res.Result != probe.Error || !strings.Contains(res.Error, "busy") {
		t.Fatalf("iperf with no busy budget = %v, want error saying busy", res)
	}
}

// proxy is a freezeProxy's port, the bytes it relayed towards its target (sent) and its relays
// still moving (live), which stop within 50 ms of the freeze.
type proxy struct {
	port int
	sent atomic.Int64
	live atomic.Int32
}

// freezeProxy relays TCP from a loopback port to target until freeze closes; from then on it
// holds each connection open and moves nothing, as a path that broke in the middle of a test.

func freezeProxy(t *testing.T, target string, freeze <-chan struct{}) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	p := &proxy{}
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	relay := func(from, to net.Conn, moved *atomic.Int64) {
		defer p.live.Add(-1)
		buf := make([]byte, 64<<10)
		for {
			select {
			case <-freeze:
				return // neither read nor closed: the peer hears nothing more
			default:
			}
			from.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
			n, err := from.Read(buf)
			if n > 0 {
				select {
				case <-freeze:
					return
				default:
				}
				if _, werr := to.Write(buf[:n]); werr != nil {
					return
				}
				moved.Add(int64(n))
			}
			if ne, ok := err.(net.Error); err != nil && !(ok && ne.Timeout()) {
				return
			}
		}
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, c, s)
			mu.Unlock()
			p.live.Add(2)
			go relay(c, s, &p.sent)
			go relay(s, c, new(atomic.Int64))
		}
	}()
	p.port = ln.Addr().(*net.TCPAddr).Port
	return p
}

// TestIperfServerGivesUpStalledTest: a node's iperf3 server whose test stalls (the path broke,
// and the client was stopped without the server hearing of it) takes a new test within its
// timeout, where iperf3's defaults keep it busy for two minutes (the control, a server started
// without the timeouts, still answers "busy").
func TestIperfServerGivesUpStalledTest(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("iperf3"); err != nil {
		t.Skip("iperf3 is not installed (scripts/ensure-iperf3.sh)")
	}
	ours, plain := freePort(t), freePort(t)
	for _, cmd := range []*exec.Cmd{iperfServerCmd("127.0.0.1", ours),
		exec.Command("iperf3", "-s", "-p", strconv.Itoa(plain), "-B", "127.0.0.1")} {
		cmd.Stdout, cmd.Stderr = nil, nil
		if err := cmd.Start(); err != nil {
			t.Fatalf("start iperf3 server: %v", err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
	if err := waitListening([]int{ours, plain}, 10*time.Second, nil); err != nil {
		t.Fatal(err)
	}
	freeze := make(chan struct{})
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	var proxies []*proxy
	for _, port := range []int{ours, plain} {
		p := freezeProxy(t, "127.0.0.1:"+strconv.Itoa(port), freeze)
		via := p.port
		proxies = append(proxies, p)
		wg.Add(1)
		go func() {
			defer wg.Done()
			probeIperf(ctx, iperfOptions{to: "127.0.0.1", port: via, seconds: 30, connectTimeout: 2 * time.Second})
		}()
	}
	// The path breaks in the middle of both tests: once each has moved
	// data (its stream, beyond the control messages' few hundred bytes).
	// A fixed 1.5 s could end before a loaded machine's clients started,
	// and a server whose test never began is not the case.
	for deadline := time.Now().Add(20 * time.Second); proxies[0].sent.Load() < 1<<20 || proxies[1].sent.Load() < 1<<20; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the tests through the proxies moved %d and %d bytes in 20 s, want 1 MiB each", proxies[0].sent.Load(), proxies[1].sent.Load())
		}
	}
	close(freeze)
	// The clients stop only once no relay moves anything: a relay that
	// had not yet seen freeze would pass a client's close on (a fixed
	// 300 ms was the wait before).
	for deadline := time.Now().Add(10 * time.Second); proxies[0].live.Load() > 0 || proxies[1].live.Load() > 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d and %d relays still move 10 s after the freeze", proxies[0].live.Load(), proxies[1].live.Load())
		}
	}
	cancel() // the clients are gone; the servers never hear of it
	wg.Wait()
	time.Sleep(iperfServerTimeout + time.Second)
	res := probeIperf(t.Context(), iperfOptions{to: "127.0.0.1", port: ours, seconds: 1,
		connectTimeout: 2 * time.Second, busyBudget: 5 * time.Second})
	if res.Result != probe.OK {
		t.Errorf("a test %s after the stalled one = %v, want ok", iperfServerTimeout+time.Second, res)
	}
	res = probeIperf(t.Context(), iperfOptions{to: "127.0.0.1", port: plain, seconds: 1, connectTimeout: 2 * time.Second})
	if !strings.Contains(res.Error, "busy") {
		t.Errorf("control: a server without the timeouts, after the stalled test = %v, want busy", res)
	}
}

// TestIperfReadyBudget (forum40 D8): the wait for iperf3 to listen grows with
// the machine's load as the harness's lab budgets do, at most 4 times; an
// idle machine keeps 5 s (control).
func TestIperfReadyBudget(t *testing.T) {
	for _, tt := range []struct {
		load float64
		cpus int
		want time.Duration
	}{
		{0, 2, 5 * time.Second},
		{2, 2, 5 * time.Second},
		{6, 2, 15 * time.Second},
		{56, 2, 20 * time.Second},
	} {
		if got := iperfReadyBudget(tt.load, tt.cpus); got != tt.want {
			t.Errorf("load %v on %d CPUs: %v, want %v", tt.load, tt.cpus, got, tt.want)
		}
	}
}
