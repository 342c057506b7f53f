package kernel

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestFirewallLog: a forward rule with log=yes sends each packet it
// matches to rosemu over NFLOG, and the entry reads as RouterOS writes
// it: prefix and chain, the interfaces, the connection state, the source
// MAC, the protocol with its flags, the addresses and the dst-nat the
// connection went through. A connection the rule does not match (another
// port) writes nothing: the control.
func TestFirewallLog(t *testing.T) {
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	var mu sync.Mutex
	var got []FirewallLog
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := dp.ListenLog(ctx, func(ev FirewallLog) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, ev)
	}); err != nil {
		t.Fatalf("ListenLog: %v", err)
	}
	serve(t, nsHandle(t, l.s), "0.0.0.0:12566")
	serve(t, nsHandle(t, l.s), "0.0.0.0:12567")
	st := withNAT(baseState(), portForward("*2"))
	st.Filter = []Rule{rule("*5", "chain=forward", "protocol=tcp", "dst-port=12566", "tcp-flags=syn", "log=yes", "log-prefix=PF")}
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if _, err := dial(nsHandle(t, l.w), "198.51.100.50", "203.0.113.2:12566"); err != nil {
		t.Fatalf("port forward: %v", err)
	}
	if _, err := dial(nsHandle(t, l.s), "", "198.51.100.50:12567"); err == nil {
		// The server reaching the WAN peer's closed port is refused; either
		// way the rule (dst-port=12566) must not log it.
		t.Logf("unexpected answer from 198.51.100.50:12567")
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 {
		var lines []string
		for _, ev := range got {
			lines = append(lines, FormatFirewallLog(ev, func(s string) string { return s }))
		}
		t.Fatalf("logged %d packets, want the one SYN: %q", len(got), lines)
	}
	line := FormatFirewallLog(got[0], func(s string) string { return s })
	for _, want := range []string{"PF forward: in:ether1 out:ether2, connection-state:new src-mac ", ", proto TCP (SYN), 198.51.100.50:", "->192.168.88.10:12566, NAT 198.51.100.50:", "->(203.0.113.2:12566->192.168.88.10:12566), len 60"} {
		if !strings.Contains(line, want) {
			t.Errorf("log line %q lacks %q", line, want)
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
	got = got[:0]
	mu.Unlock()
	if saw, err := dial(nsHandle(t, l.c), "", "203.0.113.2:12566"); err != nil || saw != "192.168.88.1" {
		t.Fatalf("hairpin: saw %q, %v", saw, err)
	}
	time.Sleep(300 * time.Millisecond)
	mu.Lock()
	if len(got) != 1 {
		t.Fatalf("hairpin logged %d packets, want the SYN", len(got))
	}
	line = FormatFirewallLog(got[0], func(s string) string { return s })
	for _, want := range []string{"HP srcnat: in:ether2 out:ether2, connection-state:new ", "proto TCP (SYN), 192.168.88.20:", "->(203.0.113.2:12566->192.168.88.10:12566), len 60"} {
		if !strings.Contains(line, want) {
			t.Errorf("hairpin log line %q lacks %q", line, want)
		}
	}

	mu.Unlock()

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
	mu.Lock()
	got = got[:0]
	mu.Unlock()
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
	time.Sleep(200 * time.Millisecond)
	mu.Lock()
	var states []string
	for _, ev := range got {
		states = append(states, ev.State)
	}
	if strings.Join(states, ",") != "new,established" {
		t.Errorf("udp states %v, want new then established", states)
	}
}
