package kernel

import (
	"net"
	"testing"
	"time"

	"golang.org/x/net/ipv4"
)

// TestChangeTTLSteps: a datagram sent with TTL 64 from the WAN peer through
// a port forward reaches the LAN server with 63 (the router's hop); a
// mangle rule with new-ttl=increment:5 makes it 68, decrement:10 53, and
// with passthrough=no a later set:1 rule is not reached. The control is the
// first send, without the mangle rule.
func TestChangeTTLSteps(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	srv, peer := nsHandle(t, l.s), nsHandle(t, l.w)
	var pc *ipv4.PacketConn
	if err := inNetns(srv, func() error {
		c, err := net.ListenPacket("udp4", "0.0.0.0:12567")
		if err != nil {
			return err
		}
		pc = ipv4.NewPacketConn(c)
		return pc.SetControlMessage(ipv4.FlagTTL, true)
	}); err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	var out *ipv4.PacketConn
	if err := inNetns(peer, func() error {
		c, err := net.ListenPacket("udp4", "198.51.100.50:0")
		if err != nil {
			return err
		}
		out = ipv4.NewPacketConn(c)
		return out.SetTTL(64)
	}); err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	fwd := rule("*2", "chain=dstnat", "action=dst-nat", "dst-address=203.0.113.2", "protocol=udp", "dst-port=12567", "to-addresses=192.168.88.10")
	ttlSeen := func(mangle ...Rule) int {
		t.Helper()
		st := withNAT(baseState(), fwd)
		st.Mangle = mangle
		if err := dp.Apply(st); err != nil {
			t.Fatalf("Apply: %v", err)
		}
		if _, err := out.WriteTo([]byte("x"), nil, &net.UDPAddr{IP: net.IPv4(203, 0, 113, 2), Port: 12567}); err != nil {
			t.Fatal(err)
		}
		pc.SetReadDeadline(time.Now().Add(2 * time.Second))
		buf := make([]byte, 16)
		_, cm, _, err := pc.ReadFrom(buf)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		if cm == nil {
			t.Fatal("no TTL in the control message")
		}
		return cm.TTL
	}
	if got := ttlSeen(); got != 63 {
		t.Fatalf("without a mangle rule the server saw TTL %d, want 63", got)
	}
	inc := rule("*5", "chain=prerouting", "action=change-ttl", "new-ttl=increment:5", "protocol=udp", "passthrough=yes")
	if got := ttlSeen(inc); got != 68 {
		t.Errorf("increment:5: TTL %d, want 68", got)
	}
	dec := rule("*6", "chain=forward", "action=change-ttl", "new-ttl=decrement:10", "protocol=udp", "passthrough=yes")
	if got := ttlSeen(dec); got != 53 {
		t.Errorf("decrement:10: TTL %d, want 53", got)
	}
	// Both, in two hooks: 64+5-1-10.
	if got := ttlSeen(inc, dec); got != 58 {
		t.Errorf("increment:5 then decrement:10: TTL %d, want 58", got)
	}
	stop := rule("*7", "chain=forward", "action=change-ttl", "new-ttl=decrement:1", "protocol=udp", "passthrough=no")
	later := rule("*8", "chain=forward", "action=change-ttl", "new-ttl=set:1", "protocol=udp")
	if got := ttlSeen(stop, later); got != 62 {
		t.Errorf("decrement:1 with passthrough=no before set:1: TTL %d, want 62", got)
	}
	if got := ttlSeen(later); got != 1 {
		t.Errorf("set:1 alone: TTL %d, want 1", got)
	}
}
