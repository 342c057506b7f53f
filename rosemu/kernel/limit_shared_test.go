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

// TestLimitOneBucketPerRule: a rule with port= is two nft lines (either
// port), and each had a limit of its own, so a rule with limit=1/1m,1
// let one packet through per line: RouterOS's rule has one bucket
// (Filter page: limit "will match until this limit is reached"). A LAN
// host sends one datagram with source port 5000 and one to port 5000;
// the forward accepts what the limit takes and drops the rest: only the
// first reaches the peer. The control is the same pair without the limit
// rule's limit: both arrive.
func TestLimitOneBucketPerRule(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	cli, peer := nsHandle(t, l.c), nsHandle(t, l.w)
	got := udpSink(t, peer, "198.51.100.50", 12567, 5000)
	apply := func(limit string) {
		t.Helper()
		st := baseState()
		acc := rule("*10", "chain=forward", "action=accept", "protocol=udp", "port=5000")
		if limit != "" {
			acc.Props["limit"] = limit
		}
		st.Filter = append([]Rule{acc, rule("*11", "chain=forward", "action=drop", "protocol=udp")}, st.Filter...)
		if err := dp.Apply(st); err != nil {
			t.Fatalf("Apply: %v", err)
		}
		got[12567].Store(0)
		got[5000].Store(0)
	}
	send := func() (int64, int64) {
		sendUDP(t, cli, "192.168.88.20:5000", "198.51.100.50:12567") // the first line: source port 5000
		sendUDP(t, cli, "192.168.88.20:40000", "198.51.100.50:5000") // the second: destination port 5000
		time.Sleep(300 * time.Millisecond)
		return got[12567].Load(), got[5000].Load()
	}
	apply("")
	if a, b := send(); a != 1 || b != 1 {
		t.Fatalf("without a limit the peer got %d and %d datagrams, want 1 and 1", a, b)
	}
	apply("1/1m,1")
	if a, b := send(); a+b != 1 {
		t.Errorf("limit=1/1m,1 on a port= rule let %d datagrams through (%d from port 5000, %d to it), want 1: one bucket per rule", a+b, a, b)
	}
}

// TestNthOneCountPerRule: nth=2,1 counts the rule's packets, but nft's
// numgen counted each of port='s two lines apart. Four datagrams, from
// port 5000 and to it in turn: with one count the first and third (both
// from port 5000) are the first of their two and dropped, and both to
// port 5000 arrive; with a count per line one of each pair was dropped.
// The control: without nth all four arrive.
func TestNthOneCountPerRule(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	cli, peer := nsHandle(t, l.c), nsHandle(t, l.w)
	got := udpSink(t, peer, "198.51.100.50", 12567, 5000)
	apply := func(nth string) {
		t.Helper()
		st := baseState()
		drop := rule("*10", "chain=forward", "action=drop", "protocol=udp", "port=5000")
		if nth != "" {
			drop.Props["nth"] = nth
		}
		st.Filter = append([]Rule{drop}, st.Filter...)
		if err := dp.Apply(st); err != nil {
			t.Fatalf("Apply: %v", err)
		}
		got[12567].Store(0)
		got[5000].Store(0)
	}
	send := func() (int64, int64) {
		for i := range 2 {
			sendUDP(t, cli, "192.168.88.20:5000", "198.51.100.50:12567")
			sendUDP(t, cli, "192.168.88.20:"+strconv.Itoa(40010+i), "198.51.100.50:5000")
		}
		time.Sleep(300 * time.Millisecond)
		return got[12567].Load(), got[5000].Load()
	}
	apply("")
	if a, b := send(); a != 0 || b != 0 {
		t.Fatalf("a drop of port=5000 without nth let %d and %d through, want none", a, b)
	}
	apply("2,1")
	if a, b := send(); a != 0 || b != 2 {
		t.Errorf("nth=2,1 on a port= rule: %d from port 5000 and %d to it arrived, want 0 and 2: one count per rule", a, b)
	}
}
