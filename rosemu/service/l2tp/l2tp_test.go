package l2tp

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/service/ppp"
)

func TestCodec(t *testing.T) {
	m := newMessage(msgSCCRQ, mandatory(avpAssignedTunnelID, u16(7)), mandatory(avpHostName, []byte("lac")))
	h := header{Control: true, Tunnel: 0, Session: 0, Ns: 3, Nr: 9, Payload: encodeAVPs(m.AVPs)}
	b := h.bytes()
	if b[0] != 0xc8 || b[1] != 0x02 || int(b[2])<<8|int(b[3]) != len(b) {
		t.Fatalf("control header % x", b[:12])
	}
	got, err := parseHeader(append(b, 0, 0)) // bytes past Length are not the message's
	if err != nil || !got.Control || got.Ns != 3 || got.Nr != 9 || !bytes.Equal(got.Payload, h.Payload) {
		t.Fatalf("parseHeader = %+v, %v", got, err)
	}
	back, err := parseMessage(got.Payload)
	if err != nil || back.Type != msgSCCRQ {
		t.Fatalf("parseMessage = %+v, %v", back, err)
	}
	if id, ok := back.u16(avpAssignedTunnelID); !ok || id != 7 {
		t.Fatalf("Assigned Tunnel ID = %d %v", id, ok)
	}
	// A data message with an offset (RFC 2661 3.1: O bit, Offset Size,
	// then padding) and with sequence numbers.
	d := []byte{0x02, 0x02, 0, 5, 0, 6, 0, 2, 0xaa, 0xbb, 0xff, 0x03, 0xc0, 0x21}
	dh, err := parseHeader(d)
	if err != nil || dh.Control || dh.Tunnel != 5 || dh.Session != 6 || !bytes.Equal(dh.Payload, []byte{0xff, 0x03, 0xc0, 0x21}) {
		t.Fatalf("data with offset = %+v, %v", dh, err)
	}
	sq := header{Seq: true, Tunnel: 1, Session: 2, Ns: 4, Payload: []byte{1}}.bytes()
	if sh, err := parseHeader(sq); err != nil || sh.Ns != 4 || sh.Control || !bytes.Equal(sh.Payload, []byte{1}) {
		t.Fatalf("data with sequence = %+v, %v", sh, err)
	}
	for name, bad := range map[string][]byte{
		"L2TPv3":              {0xc8, 0x03, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0},
		"control without S":   {0xc0, 0x02, 0, 8, 0, 0, 0, 0},
		"length past the end": {0xc8, 0x02, 0, 40, 0, 0, 0, 0, 0, 0, 0, 0},
		"short":               {0x00, 0x02, 0},
	} {
		if _, err := parseHeader(bad); err == nil {
			t.Errorf("%s: parseHeader accepted % x", name, bad)
		}
	}
	if _, err := parseMessage(encodeAVPs([]avp{mandatory(avpHostName, []byte("x"))})); err == nil {
		t.Error("a message without Message Type first was accepted")
	}
	unknown := newMessage(msgSCCRQ, avp{Mandatory: true, Vendor: 311, Type: 1, Value: []byte{1}})
	if _, err := parseMessage(encodeAVPs(unknown.AVPs)); err == nil {
		t.Error("an unknown mandatory AVP was accepted")
	}
	optional := newMessage(msgSCCRQ, avp{Vendor: 311, Type: 1, Value: []byte{1}})
	if _, err := parseMessage(encodeAVPs(optional.AVPs)); err != nil {
		t.Errorf("an unknown optional AVP was refused: %v", err)
	}
	if _, err := parseAVPs([]byte{0x80, 0x09, 0, 0, 0, 0, 0}); err == nil {
		t.Error("an AVP past the message was accepted")
	}
	if r, msg := parseResult(resultCode(StopError, "bad")); r != StopError || msg != "bad" {
		t.Errorf("result code = %d %q", r, msg)
	}
}

func fastTimers(t *testing.T) {
	a, b := retransmitFirst, retransmitMax
	retransmitFirst, retransmitMax = 50*time.Millisecond, 200*time.Millisecond
	t.Cleanup(func() { retransmitFirst, retransmitMax = a, b })
}

type lab struct {
	addr  netip.AddrPort
	ups   chan *Session
	ended chan *Session
}

// serve runs an LNS on loopback whose only user is alice (s3cret); it
// gives 10.0.0.2 and has 10.0.0.1.
func serve(t *testing.T, cfg ServerConfig) lab {
	t.Helper()
	return serveOn(t, "127.0.0.1:0", cfg)
}

func serveOn(t *testing.T, at string, cfg ServerConfig) lab {
	t.Helper()
	pc, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.MustParseAddrPort(at)))
	if err != nil {
		t.Fatal(err)
	}
	l := lab{addr: pc.LocalAddr().(*net.UDPAddr).AddrPort(), ups: make(chan *Session, 4), ended: make(chan *Session, 4)}
	if cfg.Call == nil {
		cfg.Call = func(s *Session) (ppp.Config, bool) {
			return ppp.Config{Name: "lns", Local: netip.MustParseAddr("10.0.0.1"),
				Check: func(c *ppp.Conn, user string, proves ppp.Verifier) bool {
					return user == "alice" && proves("s3cret")
				}, Peer: netip.MustParseAddr("10.0.0.2")}, true
		}
	}
	cfg.HostName = "lns"
	cfg.Ended = func(s *Session) { l.ended <- s }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := Serve(ctx, pc, cfg, func(s *Session) { l.ups <- s }); err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	return l
}

func dial(t *testing.T, to netip.AddrPort, pw string) (*Session, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return Dial(ctx, to, ClientConfig{HostName: "lac", PPP: ppp.Config{User: "alice", Password: pw}})
}

func TestDialServe(t *testing.T) {
	l := serve(t, ServerConfig{})
	c, err := dial(t, l.addr, "s3cret")
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	var s *Session
	select {
	case s = <-l.ups:
	case <-time.After(5 * time.Second):
		t.Fatal("the server's session never came up")
	}
	if c.PPP.Local != netip.MustParseAddr("10.0.0.2") || c.PPP.Peer != netip.MustParseAddr("10.0.0.1") {
		t.Fatalf("client addresses %s -> %s", c.PPP.Local, c.PPP.Peer)
	}
	if s.PPP.User != "alice" || s.PeerName != "lac" || s.Peer.Addr() != netip.MustParseAddr("127.0.0.1") {
		t.Fatalf("server session: user %q host %q peer %s", s.PPP.User, s.PeerName, s.Peer)
	}
	// An IPv4 packet each way over the data channel.
	pkt := []byte{0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1}
	if err := c.PPP.WritePacket(pkt); err != nil {
		t.Fatal(err)
	}
	if got, err := s.PPP.ReadPacket(); err != nil || !bytes.Equal(got, pkt) {
		t.Fatalf("server read %x, %v", got, err)
	}
	if err := s.PPP.WritePacket(pkt); err != nil {
		t.Fatal(err)
	}
	if got, err := c.PPP.ReadPacket(); err != nil || !bytes.Equal(got, pkt) {
		t.Fatalf("client read %x, %v", got, err)
	}
	c.Close()
	select {
	case e := <-l.ended:
		if e != s || e.Err() == nil {
			t.Fatalf("ended %v, err %v", e, e.Err())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server's session did not end with the client's CDN")
	}
}

func TestServerClosesCall(t *testing.T) {
	l := serve(t, ServerConfig{})
	c, err := dial(t, l.addr, "s3cret")
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	s := <-l.ups
	s.Close() // /ppp active remove
	select {
	case <-c.Done():
		if c.Err() == nil {
			t.Fatal("client session ended without a reason")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the client's call outlived the server's CDN")
	}
}

func TestWrongPassword(t *testing.T) {
	l := serve(t, ServerConfig{})
	_, err := dial(t, l.addr, "wrong")
	if !errors.Is(err, ppp.ErrAuth) {
		t.Fatalf("Dial = %v, want ppp.ErrAuth", err)
	}
	select {
	case <-l.ups:
		t.Fatal("a refused login came up")
	case <-time.After(100 * time.Millisecond):
	}
}

func TestNotAccepted(t *testing.T) {
	fastTimers(t)
	var mu sync.Mutex
	var asked []netip.AddrPort
	l := serve(t, ServerConfig{Accept: func(p netip.AddrPort) bool {
		mu.Lock()
		defer mu.Unlock()
		asked = append(asked, p)
		return false
	}})
	_, err := dial(t, l.addr, "s3cret")
	if !errors.Is(err, ErrNoAnswer) {
		t.Fatalf("Dial = %v, want ErrNoAnswer", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) < 2 {
		t.Fatalf("the client sent %d SCCRQs, want the retransmissions too", len(asked))
	}
}

func TestCallRefused(t *testing.T) {
	l := serve(t, ServerConfig{Call: func(*Session) (ppp.Config, bool) { return ppp.Config{}, false }})
	_, err := dial(t, l.addr, "s3cret")
	if !errors.Is(err, ErrCallDown) {
		t.Fatalf("Dial = %v, want ErrCallDown", err)
	}
}

// lossy relays datagrams between a client and a server and drops the
// first copy of every control message with a payload, each way: the
// tunnel comes up only by retransmission.
func lossy(t *testing.T, server netip.AddrPort) netip.AddrPort {
	t.Helper()
	front, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		t.Fatal(err)
	}
	back, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { front.Close(); back.Close() })
	var mu sync.Mutex
	seen := map[string]bool{}
	var client netip.AddrPort
	drop := func(dir string, b []byte) bool {
		h, err := parseHeader(b)
		if err != nil || !h.Control || len(h.Payload) == 0 {
			return false
		}
		k := dir + string(b[:12]) // direction, tunnel, session, Ns
		mu.Lock()
		defer mu.Unlock()
		first := !seen[k]
		seen[k] = true
		return first
	}
	go func() {
		buf := make([]byte, 65536)
		for {
			n, from, err := front.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			mu.Lock()
			client = from
			mu.Unlock()
			if !drop(">", buf[:n]) {
				back.WriteToUDPAddrPort(buf[:n], server)
			}
		}
	}()
	go func() {
		buf := make([]byte, 65536)
		for {
			n, _, err := back.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			mu.Lock()
			to := client
			mu.Unlock()
			if !drop("<", buf[:n]) {
				front.WriteToUDPAddrPort(buf[:n], to)
			}
		}
	}()
	return front.LocalAddr().(*net.UDPAddr).AddrPort()
}

func TestRetransmission(t *testing.T) {
	fastTimers(t)
	l := serve(t, ServerConfig{})
	c, err := dial(t, lossy(t, l.addr), "s3cret")
	if err != nil {
		t.Fatalf("Dial through a lossy path: %v", err)
	}
	defer c.Close()
	select {
	case <-l.ups:
	case <-time.After(5 * time.Second):
		t.Fatal("the server's session never came up")
	}
}

func TestHelloFindsDeadPeer(t *testing.T) {
	fastTimers(t)
	l := serve(t, ServerConfig{Hello: 100 * time.Millisecond})
	c, err := dial(t, l.addr, "s3cret")
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	<-l.ups
	c.t.e.close() // the client vanishes without StopCCN
	select {
	case s := <-l.ended:
		if !errors.Is(s.Err(), ErrNoAnswer) {
			t.Fatalf("server session ended with %v, want ErrNoAnswer", s.Err())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server never noticed the silent client")
	}
}

// A server bound to every address answers from the address it was
// dialled on (a router's second address), not from the one the kernel
// would pick for the reply (127.0.0.1 here): the client takes answers
// from the address it dialled only.
func TestAnswersFromDialledAddress(t *testing.T) {
	fastTimers(t)
	l := serveOn(t, "0.0.0.0:0", ServerConfig{})
	to := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.3"), l.addr.Port())
	c, err := dial(t, to, "s3cret")
	if err != nil {
		t.Fatalf("Dial %s: %v", to, err)
	}
	c.Close()
}

// TestUnansweredDialEndsItsTunnel (sm61): a Dial cancelled before the
// server ever answered ends its tunnel at once. It sent a StopCCN that
// could name no tunnel and retransmitted it, and its SCCRQ, for 10 s after
// Dial returned. Control: a closed session's tunnel ends too, once its
// StopCCN is acknowledged.
func TestUnansweredDialEndsItsTunnel(t *testing.T) {
	silent, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	waitTunnels := func(what string, tunnels *sync.WaitGroup) {
		t.Helper()
		start := time.Now()
		tunnels.Wait()
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: its tunnel ended %v after Dial or Close returned, want at once", what, d.Round(time.Millisecond))
		}
	}
	var tunnels sync.WaitGroup
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	_, err = Dial(ctx, silent.LocalAddr().(*net.UDPAddr).AddrPort(), ClientConfig{PPP: ppp.Config{User: "alice", Password: "s3cret"}, Tunnels: &tunnels})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Dial to a silent server = %v, want its deadline", err)
	}
	waitTunnels("a Dial no server answered", &tunnels)

	l := serve(t, ServerConfig{})
	dctx, dcancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer dcancel()
	c, err := Dial(dctx, l.addr, ClientConfig{HostName: "lac", PPP: ppp.Config{User: "alice", Password: "s3cret"}, Tunnels: &tunnels})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	waitTunnels("a closed session", &tunnels)
}
