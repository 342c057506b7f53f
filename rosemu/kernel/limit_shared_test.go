package kernel

import (
	"net"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vishvananda/netns"
)

// udpSink listens on the UDP ports of addr's host in ns and counts the
// datagrams each port receives.
func udpSink(t *testing.T, ns netns.NsHandle, host string, ports ...int) map[int]*atomic.Int64 {
	t.Helper()
	got := map[int]*atomic.Int64{}
	for _, p := range ports {
		var c net.PacketConn
		if err := inNetns(ns, func() (err error) {
			c, err = net.ListenPacket("udp4", net.JoinHostPort(host, strconv.Itoa(p)))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		n := new(atomic.Int64)
		got[p] = n
		go func() {
			buf := make([]byte, 64)
			for {
				if _, _, err := c.ReadFrom(buf); err != nil {
					return
				}
				n.Add(1)
			}
		}()
	}
	return got
}

// port5000Lab is the hairpin lab with the internet peer counting the
// datagrams it gets on ports 12567 and 5000. apply puts rules at the top
// of the filter; pairs sends n pairs from the LAN client, one datagram
// from source port 5000 (port='s first nft line) and one to port 5000
// (its second), and returns how many arrived from the port and to it:
// once at least atLeast have (within 5 s, so a loaded machine's late
// datagram is not counted missing), and 300 ms later, for any more.
func port5000Lab(t *testing.T) (apply func(...Rule), pairs func(n int, atLeast int64) (int64, int64)) {
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	cli, peer := nsHandle(t, l.c), nsHandle(t, l.w)
	got := udpSink(t, peer, "198.51.100.50", 12567, 5000)
	apply = func(rules ...Rule) {
		t.Helper()
		st := baseState()
		st.Filter = append(rules, st.Filter...)
		if err := dp.Apply(st); err != nil {
			t.Fatalf("Apply: %v", err)
		}
		got[12567].Store(0)
		got[5000].Store(0)
	}
	pairs = func(n int, atLeast int64) (int64, int64) {
		for i := range n {
			sendUDP(t, cli, "192.168.88.20:5000", "198.51.100.50:12567")
			sendUDP(t, cli, "192.168.88.20:"+strconv.Itoa(40000+i), "198.51.100.50:5000")
		}
		for end := time.Now().Add(5 * time.Second); got[12567].Load()+got[5000].Load() < atLeast && time.Now().Before(end); {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(300 * time.Millisecond)
		return got[12567].Load(), got[5000].Load()
	}
	return apply, pairs
}

// TestLimitOneBucketPerRule: a rule with port= is two nft lines (either
// port), and each had a limit of its own, so a rule with limit=1/1m,1
// let one packet through per line: RouterOS's rule has one bucket
// (Filter page: limit "will match until this limit is reached"). The
// forward accepts what the limit takes and drops the rest: of a datagram
// from port 5000 and one to it only the first reaches the peer. The
// control is the same pair without the limit: both arrive.
func TestLimitOneBucketPerRule(t *testing.T) {
	t.Parallel()
	apply, pairs := port5000Lab(t)
	drop := rule("*11", "chain=forward", "action=drop", "protocol=udp")
	apply(rule("*10", "chain=forward", "action=accept", "protocol=udp", "port=5000"), drop)
	if a, b := pairs(1, 2); a != 1 || b != 1 {
		t.Fatalf("without a limit the peer got %d and %d datagrams, want 1 and 1", a, b)
	}
	apply(rule("*10", "chain=forward", "action=accept", "protocol=udp", "port=5000", "limit=1/1m,1"), drop)
	if a, b := pairs(1, 1); a+b != 1 {
		t.Errorf("limit=1/1m,1 on a port= rule let %d datagrams through (%d from port 5000, %d to it), want 1: one bucket per rule", a+b, a, b)
	}
}

// TestNthOneCountPerRule: nth=2,1 counts the rule's packets, but nft's
// numgen counted each of port='s two lines apart. Two pairs, from port
// 5000 and to it in turn: with one count the first and third (both from
// port 5000) are the first of their two and dropped, and both to port
// 5000 arrive; with a count per line one of each pair was dropped. The
// control: without nth the drop takes all four.
func TestNthOneCountPerRule(t *testing.T) {
	t.Parallel()
	apply, pairs := port5000Lab(t)
	apply(rule("*10", "chain=forward", "action=drop", "protocol=udp", "port=5000"))
	if a, b := pairs(2, 0); a != 0 || b != 0 {
		t.Fatalf("a drop of port=5000 without nth let %d and %d through, want none", a, b)
	}
	apply(rule("*10", "chain=forward", "action=drop", "protocol=udp", "port=5000", "nth=2,1"))
	if a, b := pairs(2, 2); a != 0 || b != 2 {
		t.Errorf("nth=2,1 on a port= rule: %d from port 5000 and %d to it arrived, want 0 and 2: one count per rule", a, b)
	}
}
