package kernel

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vishvananda/netns"
	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
)

// logSink collects what ListenLog hands over.
type logSink struct {
	mu  sync.Mutex
	evs []FirewallLog
}

func (s *logSink) add(ev FirewallLog) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.evs = append(s.evs, ev)
}

// take waits up to 2 s for n entries, 200 ms more for any further one,
// and returns and forgets what came.
func (s *logSink) take(n int) []FirewallLog {
	deadline := time.Now().Add(2 * time.Second)
	for {
		s.mu.Lock()
		have := len(s.evs)
		s.mu.Unlock()
		if have >= n || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.evs
	s.evs = nil
	return out
}

func formatAll(evs []FirewallLog) []string {
	var lines []string
	for _, ev := range evs {
		lines = append(lines, FormatFirewallLog(ev, func(s string) string { return s }))
	}
	return lines
}

// TestFirewallLog: a forward rule with log=yes sends each packet it
// matches to rosemu over NFLOG, and the entry reads as RouterOS writes
// it: prefix and chain, the interfaces, the connection state, the source
// MAC, the protocol with its flags, the addresses and the dst-nat the
// connection went through. A connection the rule does not match (another
// port) writes nothing: the control. Then a logging hairpin masquerade
// and a UDP exchange, without conntrack in NFLOG on a kernel that lacks
// it (fwlog.go's ctLookup).
func TestFirewallLog(t *testing.T) {
	rateTest(t)
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	var sink logSink
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := dp.ListenLog(ctx, sink.add); err != nil {
		t.Fatalf("ListenLog: %v", err)
	}
	serve(t, nsHandle(t, l.s), "0.0.0.0:12566")
	st := withNAT(baseState(), portForward("*2"))
	st.Filter = []Rule{rule("*5", "chain=forward", "protocol=tcp", "dst-port=12566", "tcp-flags=syn", "log=yes", "log-prefix=PF")}
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if _, err := dial(nsHandle(t, l.w), "198.51.100.50", "203.0.113.2:12566"); err != nil {
		t.Fatalf("port forward: %v", err)
	}
	// The control: the server's connection to the peer's closed port
	// 12567 is forwarded too, and the rule (dst-port=12566) must not log
	// it, whatever the peer answers.
	_, _ = dial(nsHandle(t, l.s), "", "198.51.100.50:12567")
	lines := formatAll(sink.take(1))
	if len(lines) != 1 {
		t.Fatalf("logged %d packets, want the one SYN: %q", len(lines), lines)
	}
	for _, want := range []string{"PF forward: in:ether1 out:ether2, connection-state:new src-mac ", ", proto TCP (SYN), 198.51.100.50:", "->192.168.88.10:12566, NAT 198.51.100.50:", "->(203.0.113.2:12566->192.168.88.10:12566), len 60"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("log line %q lacks %q", lines[0], want)
		}
	}

	// A hairpin's masquerade that logs: the LAN client's SYN, seen at
	// srcnat with its dst-nat destination, still finds its connection
	// (both NATs changed it).
	st = withNAT(baseState(), portForward("*2"), hairpinMasq("*3"))
	st.NAT[1].Props["log"], st.NAT[1].Props["log-prefix"] = "yes", "HP"
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply hairpin: %v", err)
	}
	if saw, err := dial(nsHandle(t, l.c), "", "203.0.113.2:12566"); err != nil || saw != "192.168.88.1" {
		t.Fatalf("hairpin: saw %q, %v", saw, err)
	}
	lines = formatAll(sink.take(1))
	if len(lines) != 1 {
		t.Fatalf("hairpin logged %d packets, want the SYN: %q", len(lines), lines)
	}
	for _, want := range []string{"HP srcnat: in:ether2 out:ether2, connection-state:new ", "proto TCP (SYN), 192.168.88.20:", "->(203.0.113.2:12566->192.168.88.10:12566), len 60"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("hairpin log line %q lacks %q", lines[0], want)
		}
	}

	// UDP through the port forward: the first datagram is new even when
	// its answer came back before rosemu read the entry, the second is
	// established.
	var pc net.PacketConn
	if err := inNetns(nsHandle(t, l.s), func() (err error) { pc, err = net.ListenPacket("udp4", "0.0.0.0:12570"); return }); err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	go func() {
		buf := make([]byte, 64)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			pc.WriteTo(buf[:n], from)
		}
	}()
	st = withNAT(baseState(), rule("*6", "chain=dstnat", "action=dst-nat", "dst-address=203.0.113.2", "protocol=udp", "dst-port=12570", "to-addresses=192.168.88.10"))
	st.Filter = []Rule{rule("*7", "chain=forward", "protocol=udp", "dst-port=12570", "log=yes", "log-prefix=U")}
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply udp: %v", err)
	}
	err := inNetns(nsHandle(t, l.w), func() error {
		c, err := net.DialUDP("udp4", &net.UDPAddr{IP: net.ParseIP("198.51.100.50")}, &net.UDPAddr{IP: net.ParseIP("203.0.113.2"), Port: 12570})
		if err != nil {
			return err
		}
		defer c.Close()
		buf := make([]byte, 64)
		for _, m := range []string{"one", "two"} {
			c.Write([]byte(m))
			c.SetReadDeadline(time.Now().Add(time.Second))
			if _, err := c.Read(buf); err != nil {
				return err
			}
			time.Sleep(100 * time.Millisecond)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("udp exchange: %v", err)
	}
	var states []string
	for _, ev := range sink.take(2) {
		states = append(states, ev.State)
	}
	if strings.Join(states, ",") != "new,established" {
		t.Errorf("udp states %v, want new then established", states)
	}
}

// knock sends one SYN from ns, bound to src, to dst and gives up on the
// connection at once: the tests of a dropped SYN read what it logged, and
// a dial waited its whole 1.5-s timeout for an answer the drop never sends
// (4.5 of TestFirewallLogDropped's 5.5 s). connect sends the SYN before
// it returns, and closing the socket in SYN-SENT sends nothing more.
func knock(ns netns.NsHandle, src, dst string) {
	_ = inNetns(ns, func() error {
		d := net.Dialer{Timeout: 100 * time.Millisecond, LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
		if c, err := d.Dial("tcp4", dst); err == nil {
			c.Close()
		}
		return nil
	})
}

// TestFirewallLogDropped: the hardening guides' rule, a drop with
// log=yes, logs the SYN it drops as connection-state:new, as RouterOS
// does and as NFLOG says on a kernel with
// CONFIG_NETFILTER_NETLINK_GLUE_CT. Without it rosemu reads the entry
// from the table, where a dropped packet's entry never arrives
// (unconfirmedState). The controls: a raw drop (before conntrack) and a
// forward drop while a raw notrack rule untracks packets name no state
// "new".
func TestFirewallLogDropped(t *testing.T) {
	rateTest(t)
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	var sink logSink
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := dp.ListenLog(ctx, sink.add); err != nil {
		t.Fatalf("ListenLog: %v", err)
	}
	serve(t, nsHandle(t, l.s), "0.0.0.0:12566")
	st := withNAT(baseState(), portForward("*2"))
	st.Filter = append([]Rule{rule("*F", "chain=forward", "action=drop", "protocol=tcp", "dst-port=12566", "log=yes", "log-prefix=DROP IN")}, st.Filter...)
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	knock(nsHandle(t, l.w), "198.51.100.50", "203.0.113.2:12566")
	lines := formatAll(sink.take(1))
	if len(lines) == 0 {
		t.Fatal("the dropped SYN was not logged")
	}
	if want := "DROP IN forward: in:ether1 out:ether2, connection-state:new src-mac "; !strings.HasPrefix(lines[0], want) {
		t.Errorf("log line %q, want it to start %q", lines[0], want)
	}

	// Raw: the packet has no connection yet.
	st = withNAT(baseState(), portForward("*2"))
	st.Raw = []Rule{rule("*R", "chain=prerouting", "action=drop", "protocol=tcp", "dst-port=12566", "log=yes", "log-prefix=RAW")}
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply raw: %v", err)
	}
	knock(nsHandle(t, l.w), "198.51.100.50", "203.0.113.2:12566")
	lines = formatAll(sink.take(1))
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "RAW prerouting: in:ether1 ") || strings.Contains(lines[0], "connection-state:") {
		t.Errorf("raw log lines %q, want one without a connection state", lines)
	}

	// notrack: the packet is untracked, not new (and, NAT needing a
	// connection, not forwarded: the input drop logs it).
	st = withNAT(baseState(), portForward("*2"))
	st.Raw = []Rule{rule("*N", "chain=prerouting", "action=notrack", "protocol=tcp", "dst-port=12566")}
	st.Filter = append([]Rule{rule("*F", "chain=input", "action=drop", "protocol=tcp", "dst-port=12566", "log=yes", "log-prefix=UT")}, st.Filter...)
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply notrack: %v", err)
	}
	knock(nsHandle(t, l.w), "198.51.100.50", "203.0.113.2:12566")
	lines = formatAll(sink.take(1))
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "UT input: in:ether1 ") {
		t.Errorf("notrack log lines %q, want the input drop's", lines)
	}
	for _, line := range lines {
		if strings.Contains(line, "connection-state:new") {
			t.Errorf("untracked packet logged as new: %q", line)
		}
	}
}

// TestFirewallLogICMP: an ICMP rule with log=yes writes the echo's
// connection state, as RouterOS 7 does for ICMP ("connection-state:new
// src-mac ..., proto ICMP (type 8, code 0)"): the first request new, the
// next one of the same ping established, and a request a forward rule
// drops new. Without the conntrack glue in NFLOG rosemu reads the echo's
// entry by its type and identifier.
func TestFirewallLogICMP(t *testing.T) {
	rateTest(t)
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	var sink logSink
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := dp.ListenLog(ctx, sink.add); err != nil {
		t.Fatalf("ListenLog: %v", err)
	}
	st := baseState()
	st.Filter = append([]Rule{
		rule("*I", "chain=input", "protocol=icmp", "icmp-options=8:0", "action=passthrough", "log=yes", "log-prefix=PING"),
		rule("*F", "chain=forward", "protocol=icmp", "action=drop", "log=yes", "log-prefix=FWD"),
	}, st.Filter...)
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if got := echoes(t, nsHandle(t, l.w), "203.0.113.2", 2); got != 2 {
		t.Fatalf("router answered %d of 2 echoes", got)
	}
	lines := formatAll(sink.take(2))
	if len(lines) != 2 {
		t.Fatalf("logged %q, want the two requests", lines)
	}
	for i, state := range []string{"new", "established"} {
		if want := "PING input: in:ether1 out:(unknown 0), connection-state:" + state + " src-mac "; !strings.HasPrefix(lines[i], want) || !strings.Contains(lines[i], "proto ICMP (type 8, code 0), 203.0.113.1->203.0.113.2") {
			t.Errorf("log line %d %q, want it to start %q", i, lines[i], want)
		}
	}
	if got := echoes(t, nsHandle(t, l.c), "198.51.100.50", 1); got != 0 {
		t.Fatalf("the forward drop let %d echoes through", got)
	}
	lines = formatAll(sink.take(1))
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "FWD forward: in:ether2 out:ether1, connection-state:new ") {
		t.Errorf("forward drop logged %q, want a new echo request", lines)
	}
}

// echoes sends n ICMP echo requests of one identifier from ns to dst, one
// after the other, and counts the replies.
func echoes(t *testing.T, ns netns.NsHandle, dst string, n int) int {
	t.Helper()
	got := 0
	err := inNetns(ns, func() error {
		c, err := icmp.ListenPacket("ip4:icmp", "0.0.0.0")
		if err != nil {
			return err
		}
		defer c.Close()
		for seq := 1; seq <= n; seq++ {
			m := icmp.Message{Type: ipv4.ICMPTypeEcho, Body: &icmp.Echo{ID: 0x4321, Seq: seq, Data: []byte("chrlab")}}
			b, _ := m.Marshal(nil)
			if _, err := c.WriteTo(b, &net.IPAddr{IP: net.ParseIP(dst)}); err != nil {
				return err
			}
			c.SetReadDeadline(time.Now().Add(time.Second))
			buf := make([]byte, 1500)
			for {
				k, _, err := c.ReadFrom(buf)
				if err != nil {
					break
				}
				if r, err := icmp.ParseMessage(1, buf[:k]); err == nil && r.Type == ipv4.ICMPTypeEchoReply {
					if e, ok := r.Body.(*icmp.Echo); ok && e.Seq == seq {
						got++
						break
					}
				}
			}
			time.Sleep(100 * time.Millisecond)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("echo from the namespace: %v", err)
	}
	return got
}
