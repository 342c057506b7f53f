package agentcmd

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

func TestSummarizeFlow(t *testing.T) {
	tick := func(ms int, ok bool) flowTick {
		return flowTick{at: time.Duration(ms) * time.Millisecond, answered: ok, rtt: time.Millisecond}
	}
	// Broken from the start, working from 3.0 s: a stale entry removed.
	var ticks []flowTick
	for i := range 50 {
		ticks = append(ticks, tick(i*100, i >= 30))
	}
	var r probe.Result
	summarizeFlow(&r, ticks)
	if r.Result != probe.OK || r.FirstReplyS != 3 || r.StoppedS != -1 || r.ResumedS != -1 || r.Sent != 50 || r.Received != 20 || r.Loss != 0.6 {
		t.Errorf("flow broken until 3s = %v", r)
	}
	// Working, stopped at 1.0 s, resumed at 2.0 s, then stopped for good at 4.0 s.
	ticks = nil
	for i := range 50 {
		ticks = append(ticks, tick(i*100, (i < 10) || (i >= 20 && i < 40)))
	}
	r = probe.Result{}
	summarizeFlow(&r, ticks)
	if r.Result != probe.Timeout || r.FirstReplyS != 0 || r.StoppedS != 4 || r.ResumedS != -1 || r.Gaps != 2 {
		t.Errorf("flow that stopped twice = %v", r)
	}
}

func TestClassifyHTTP(t *testing.T) {
	r := classifyHTTP(probe.Result{Probe: probe.KindHTTP, Status: 200}, "<html><title>RouterOS router configuration page</title></html>")
	if r.Result != probe.OK || r.ServerName != "router" || r.Marker != "routeros" {
		t.Errorf("router page = %v, want ok from router", r)
	}
	r = classifyHTTP(probe.Result{Probe: probe.KindHTTP, Status: 200}, "whoami server saw 192.168.88.1:4000 at 192.168.88.10:80\n")
	if r.Result != probe.OK || r.ServerName != "server" || r.ServerSaw != "192.168.88.1" {
		t.Errorf("whoami page = %v, want ok from server", r)
	}
	r = classifyHTTP(probe.Result{Probe: probe.KindHTTP, Status: 404}, "not found")
	if r.Result != probe.WrongAnswer {
		t.Errorf("other page = %v, want wrong-answer", r)
	}
}

func TestPortProbe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if r := probePort(t.Context(), portOptions{to: ln.Addr().String(), timeout: time.Second}); r.Result != probe.Open {
		t.Errorf("port probe of a listener = %v, want open", r)
	}
	if r := probePort(t.Context(), portOptions{to: fmt.Sprintf("127.0.0.1:%d", freePort(t)), timeout: time.Second}); r.Result != probe.Closed {
		t.Errorf("port probe of a closed port = %v, want closed", r)
	}
	// A service that accepts and resets a client it does not allow
	// (/ip service address=) is closed; one that accepts and closes
	// gracefully is open.
	for _, c := range []struct {
		reset bool
		want  probe.Outcome
	}{{true, probe.Closed}, {false, probe.Open}} {
		rl, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			conn, err := rl.Accept()
			if err != nil {
				return
			}
			time.Sleep(20 * time.Millisecond) // after the client's connect returned
			if c.reset {
				conn.(*net.TCPConn).SetLinger(0)
			}
			conn.Close()
		}()
		if r := probePort(t.Context(), portOptions{to: rl.Addr().String(), timeout: time.Second}); r.Result != c.want {
			t.Errorf("port probe of a service that closes (reset %v) = %v, want %s", c.reset, r, c.want)
		}
		rl.Close()
	}
}

func TestConnectionsAndFixedSourcePort(t *testing.T) {
	port := startWhoami(t, "server1", "127.0.0.1")
	to := fmt.Sprintf("127.0.0.1:%d", port)
	r := probeConnections(t.Context(), connectionsOptions{to: to, count: 10, timeout: time.Second})
	if r.Result != probe.OK || r.Attempted != 10 || r.Share != 1 || r.AnsweredBy["server1"] != 10 {
		t.Errorf("connections = %v, want 10 of 10 answered by server1", r)
	}
	src := freePort(t)
	for range 2 { // the second proves the port can be reused at once
		u := probeUDP(t.Context(), connectOptions{to: to, timeout: time.Second, srcPort: src})
		if u.Result != probe.OK || u.ServerSawPort != src {
			t.Errorf("udp from port %d = %v, want the server to see that port", src, u)
		}
	}
	f := probeFlow(t.Context(), flowOptions{to: to, srcPort: src, duration: 300 * time.Millisecond, interval: 50 * time.Millisecond})
	if f.Result != probe.OK || f.Sent != 6 || f.Received != 6 || f.FirstReplyS >= 0.3 || f.ServerSawPort != src {
		t.Errorf("flow = %v, want 6 of 6 answered from port %d", f, src)
	}
	if a, err := netip.ParseAddrPort(f.Local); err != nil || int(a.Port()) != src {
		t.Errorf("flow local = %q, want port %d", f.Local, src)
	}
}

func TestPing(t *testing.T) {
	r := probePing(t.Context(), pingOptions{to: netip.MustParseAddr("127.0.0.1"), count: 3, interval: 10 * time.Millisecond, timeout: time.Second})
	if r.Result == probe.Error {
		t.Skipf("no raw ICMP socket here: %v", r.Error)
	}
	if r.Result != probe.OK || r.Sent != 3 || r.Received != 3 || r.Loss != 0 || r.RTTMaxMS <= 0 {
		t.Errorf("ping 127.0.0.1 = %v, want 3 of 3", r)
	}
}

// TestPing6: the same probe over ICMPv6 (the ipv6-pd-blocked scenario
// pings a peer's IPv6 address), and an address nobody holds loses every
// echo (the control).
func TestPing6(t *testing.T) {
	r := probePing(t.Context(), pingOptions{to: netip.MustParseAddr("::1"), count: 3, interval: 10 * time.Millisecond, timeout: time.Second})
	if r.Result != probe.OK || r.Sent != 3 || r.Received != 3 || r.Loss != 0 {
		t.Errorf("ping ::1 = %v, want 3 of 3", r)
	}
	r = probePing(t.Context(), pingOptions{to: netip.MustParseAddr("3fff:ffff::1"), count: 2, interval: 10 * time.Millisecond, timeout: 200 * time.Millisecond})
	if r.Result == probe.OK || r.Received != 0 || r.Loss != 1 {
		t.Errorf("ping of an address nobody holds = %v, want no replies", r)
	}
}

// forum32 D8: the port probe's unreachable, which docs/scenarios.md now
// lists, is a network unreachable (ICMP, or no route on the prober); a
// host unreachable or an ICMP prohibition, both EHOSTUNREACH, is filtered.
func TestPortOutcomeUnreachable(t *testing.T) {
	for errno, want := range map[syscall.Errno]probe.Outcome{syscall.ENETUNREACH: probe.Unreachable, syscall.EHOSTUNREACH: probe.Filtered} {
		err := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", errno)}
		if got := portOutcome(err); got != want {
			t.Errorf("portOutcome(%v) = %v, want %v", errno, got, want)
		}
	}
}

// A reset right after the SYN-ACK reaches connect as ECONNRESET (a service that accepts and resets
// at once, as rosemu's for a client outside its address= list): a reset, so closed, not an error.
func TestPortOutcomeResetAfterHandshake(t *testing.T) {
	err := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNRESET)}
	if got := portOutcome(err); got != probe.Closed {
		t.Errorf("portOutcome(ECONNRESET) = %v, want closed", got)
	}
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	if got := portOutcome(refused); got != probe.Closed {
		t.Errorf("portOutcome(ECONNREFUSED) = %v, want closed", got)
	}
	readReset := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	if got := outcome(readReset); got != probe.Refused {
		t.Errorf("outcome(reset on read) = %v, want refused", got)
	}
}
