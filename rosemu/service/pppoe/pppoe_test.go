package pppoe

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"
)

func TestCodecRoundTrip(t *testing.T) {
	tags := []tag{{tagServiceName, nil}, {tagACName, []byte("isp")}, {tagHostUniq, []byte{1, 2, 3}}}
	h := header{Code: codePADO, Session: 0, Payload: encodeTags(tags)}
	b := h.bytes()
	if b[0] != 0x11 || b[1] != codePADO || int(b[4])<<8|int(b[5]) != len(b)-6 {
		t.Fatalf("header bytes % x", b[:6])
	}
	got, err := parseHeader(append(b, 0, 0, 0)) // Ethernet padding follows
	if err != nil || got.Code != codePADO || !bytes.Equal(got.Payload, h.Payload) {
		t.Fatalf("parseHeader = %+v, %v", got, err)
	}
	back, err := parseTags(got.Payload)
	if err != nil || len(back) != 3 || string(back[1].Data) != "isp" {
		t.Fatalf("parseTags = %+v, %v", back, err)
	}
	if _, err := parseHeader([]byte{0x11, 0, 0, 1, 0, 9, 1}); err == nil {
		t.Fatal("parseHeader accepted a length past the frame")
	}
	if _, err := parseTags([]byte{1, 1, 0, 5, 'a'}); err == nil {
		t.Fatal("parseTags accepted a tag past the payload")
	}

	opts := []option{{1, []byte{0x05, 0xd4}}, {5, []byte{1, 2, 3, 4}}}
	p := cp{Code: confReq, ID: 7, Data: encodeOptions(opts)}
	q, err := parseCP(p.bytes())
	if err != nil || q.ID != 7 || q.Code != confReq {
		t.Fatalf("parseCP = %+v, %v", q, err)
	}
	o, err := parseOptions(q.Data)
	if err != nil || len(o) != 2 || o[0].Data[1] != 0xd4 {
		t.Fatalf("parseOptions = %+v, %v", o, err)
	}
	if _, err := parseOptions([]byte{1, 1}); err == nil {
		t.Fatal("parseOptions accepted a length under 2")
	}

	u, pw, err := parsePAPRequest(papRequest(1, "alice", "s3cret").Data)
	if err != nil || u != "alice" || pw != "s3cret" {
		t.Fatalf("PAP = %q %q %v", u, pw, err)
	}
	if _, _, err := parsePAPRequest([]byte{9, 'a'}); err == nil {
		t.Fatal("parsePAPRequest accepted a truncated user")
	}
}

var (
	macC = net.HardwareAddr{2, 0, 0, 0, 0, 1}
	macS = net.HardwareAddr{2, 0, 0, 0, 0, 2}
)

func server(t *testing.T, l Link, cfg ServerConfig) chan *Conn {
	t.Helper()
	if cfg.Check == nil {
		cfg.Check = func(u, p string) bool { return u == "alice" && p == "s3cret" }
	}
	cfg.Local = netip.MustParseAddr("10.64.0.1")
	cfg.Assign = func(string) (netip.Addr, bool) { return netip.MustParseAddr("100.64.7.9"), true }
	ups := make(chan *Conn, 4)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = Serve(ctx, l, cfg, func(c *Conn) { ups <- c }); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return ups
}

func TestClientServer(t *testing.T) {
	a, b := Pipe(macC, macS)
	ups := server(t, b, ServerConfig{ACName: "lab-isp", DNS: []netip.Addr{netip.MustParseAddr("9.9.9.9"), netip.MustParseAddr("1.1.1.1")}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Dial(ctx, a, ClientConfig{User: "alice", Password: "s3cret", ACName: "lab-isp"})
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	if c.Local != netip.MustParseAddr("100.64.7.9") || c.Peer != netip.MustParseAddr("10.64.0.1") {
		t.Fatalf("client local %s peer %s", c.Local, c.Peer)
	}
	if len(c.DNS) != 2 || c.DNS[0].String() != "9.9.9.9" || c.DNS[1].String() != "1.1.1.1" {
		t.Fatalf("client DNS %v", c.DNS)
	}
	var s *Conn
	select {
	case s = <-ups:
	case <-time.After(5 * time.Second):
		t.Fatal("server session never came up")
	}
	if s.User != "alice" || s.Peer != c.Local {
		t.Fatalf("server user %q peer %s", s.User, s.Peer)
	}
	if c.MTU != 1492 || s.MTU != 1480 {
		t.Fatalf("MTU client %d server %d: want the peer's MRU", c.MTU, s.MTU)
	}
	pkt := []byte{0x45, 0, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	if err := c.WritePacket(pkt); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ReadPacket(); err != nil || !bytes.Equal(got, pkt) {
		t.Fatalf("server read %x, %v", got, err)
	}
	if err := s.WritePacket(pkt[:10]); err != nil {
		t.Fatal(err)
	}
	if got, err := c.ReadPacket(); err != nil || !bytes.Equal(got, pkt[:10]) {
		t.Fatalf("client read %x, %v", got, err)
	}
	if err := c.WritePacket(make([]byte, 1500)); err == nil {
		t.Fatal("WritePacket sent more than the peer's MRU")
	}
	c.Close()
	select {
	case <-s.Done():
		if !errors.Is(s.Err(), ErrTerminated) {
			t.Fatalf("server ended with %v, want ErrTerminated", s.Err())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("server session outlived the client's Close")
	}
}

func TestWrongPassword(t *testing.T) {
	a, b := Pipe(macC, macS)
	ups := server(t, b, ServerConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := Dial(ctx, a, ClientConfig{User: "alice", Password: "wrong"})
	if !errors.Is(err, ErrAuth) {
		t.Fatalf("Dial = %v, want ErrAuth", err)
	}
	select {
	case <-ups:
		t.Fatal("a session came up with a wrong password")
	default:
	}
}

func TestACNameMismatch(t *testing.T) {
	a, b := Pipe(macC, macS)
	server(t, b, ServerConfig{ACName: "other"})
	ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
	defer cancel()
	if _, err := Dial(ctx, a, ClientConfig{User: "alice", Password: "s3cret", ACName: "lab-isp"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Dial = %v, want no answer from an AC of another name", err)
	}
}

func TestKeepalive(t *testing.T) {
	a, b := Pipe(macC, macS)
	server(t, b, ServerConfig{})
	// Once up, the server's frames stop arriving: the client's echo
	// watchdog must end the session.
	var cut atomic.Bool
	b.(*memLink).drop = func(Frame) bool { return cut.Load() }
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Dial(ctx, a, ClientConfig{User: "alice", Password: "s3cret", Keepalive: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	if c.Err() != nil {
		t.Fatalf("session with answered echoes ended: %v", c.Err())
	}
	cut.Store(true)
	select {
	case <-c.Done():
		if !errors.Is(c.Err(), ErrKeepalive) {
			t.Fatalf("ended with %v, want ErrKeepalive", c.Err())
		}
	case <-time.After(6 * time.Second):
		t.Fatal("the client never noticed a silent server")
	}
}
