package pppoe

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/service/ppp"
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

}

var (
	macC = net.HardwareAddr{2, 0, 0, 0, 0, 1}
	macS = net.HardwareAddr{2, 0, 0, 0, 0, 2}
)

func server(t *testing.T, l Link, cfg ServerConfig) chan *Conn {
	t.Helper()
	if cfg.Check == nil {
		cfg.Check = func(u string, proves Verifier) bool { return u == "alice" && proves("s3cret") }
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

// authAsked records the authentication protocols a server's LCP
// Configure-Requests ask for, in order, by watching what it sends on l.
func authAsked(l Link) func() []Auth {
	var mu sync.Mutex
	var asked []Auth
	l.(*memLink).drop = func(f Frame) bool {
		h, err := parseHeader(f.Payload)
		if err != nil || f.Type != EtherSession {
			return false
		}
		if a, ok := ppp.RequestedAuth(h.Payload); ok {
			mu.Lock()
			if len(asked) == 0 || asked[len(asked)-1] != a {
				asked = append(asked, a)
			}
			mu.Unlock()
		}
		return false
	}
	return func() []Auth {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(asked)
	}
}

// dialAuth runs a server allowing srv and a client allowing cli with
// password pw; it returns both ends (the server's nil when no session came
// up), Dial's error and what the server asked for.
func dialAuth(t *testing.T, srv, cli []Auth, pw string) (c, s *Conn, err error, asked []Auth) {
	t.Helper()
	a, b := Pipe(macC, macS)
	watch := authAsked(b)
	ups := server(t, b, ServerConfig{Auth: srv})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err = Dial(ctx, a, ClientConfig{User: "alice", Password: pw, Allow: cli})
	if err == nil {
		t.Cleanup(func() { c.Close() })
		select {
		case s = <-ups:
		case <-time.After(5 * time.Second):
			t.Fatal("the client is up, the server's session never came up")
		}
	} else {
		select {
		case s = <-ups:
			t.Errorf("a server session came up although Dial failed: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	return c, s, err, watch()
}

// TestAuthEachProtocol: a server allowing only one protocol logs in a
// client with the right password by it, and refuses a wrong password;
// both ends agree on the protocol, and IP flows once up.
func TestAuthEachProtocol(t *testing.T) {
	for _, p := range AuthAll {
		t.Run(string(p), func(t *testing.T) {
			c, s, err, asked := dialAuth(t, []Auth{p}, nil, "s3cret")
			if err != nil {
				t.Fatalf("Dial: %v", err)
			}
			if c.Auth != p || s.Auth != p || s.User != "alice" {
				t.Fatalf("client used %q, server %q for user %q: want %s", c.Auth, s.Auth, s.User, p)
			}
			if !slices.Equal(asked, []Auth{p}) {
				t.Errorf("server asked for %v, want only %s", asked, p)
			}
			pkt := []byte{0x45, 0, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
			if err := c.WritePacket(pkt); err != nil {
				t.Fatal(err)
			}
			if got, err := s.ReadPacket(); err != nil || !bytes.Equal(got, pkt) {
				t.Fatalf("server read %x, %v", got, err)
			}
		})
		t.Run(string(p)+"/wrong-password", func(t *testing.T) {
			_, _, err, _ := dialAuth(t, []Auth{p}, nil, "s3cre7")
			if !errors.Is(err, ErrAuth) {
				t.Fatalf("Dial = %v, want ErrAuth", err)
			}
		})
	}
}

// TestAuthStrongestFirst: with everything allowed on both ends the server
// asks for MS-CHAPv2 and gets it.
func TestAuthStrongestFirst(t *testing.T) {
	c, s, err, asked := dialAuth(t, nil, nil, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	if c.Auth != MSCHAPv2 || s.Auth != MSCHAPv2 || !slices.Equal(asked, []Auth{MSCHAPv2}) {
		t.Fatalf("client %q server %q asked %v: want mschap2", c.Auth, s.Auth, asked)
	}
}

// TestAuthNakDownToPAP: a server preferring MS-CHAPv2 that allows PAP
// takes a PAP-only client's Nak toward PAP and logs it in by PAP.
func TestAuthNakDownToPAP(t *testing.T) {
	c, s, err, asked := dialAuth(t, nil, []Auth{PAP}, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	if c.Auth != PAP || s.Auth != PAP {
		t.Fatalf("client %q server %q: want pap", c.Auth, s.Auth)
	}
	if !slices.Equal(asked, []Auth{MSCHAPv2, PAP}) {
		t.Errorf("server asked for %v, want mschap2 then (on the Nak) pap", asked)
	}
	// The client suggests its strongest; a server that does not allow
	// it goes down its own list instead.
	c, _, err, asked = dialAuth(t, []Auth{MSCHAPv2, MSCHAPv1, PAP}, []Auth{CHAP, PAP}, "s3cret")
	if err != nil || c.Auth != PAP {
		t.Fatalf("Dial = %v with %q, want pap", err, c.Auth)
	}
	if !slices.Equal(asked, []Auth{MSCHAPv2, MSCHAPv1, PAP}) {
		t.Errorf("server asked for %v, want mschap2, mschap1, pap", asked)
	}
}

// TestAuthNoCommonProtocol is the negative control: a client whose allow
// excludes everything the server allows never comes up, and says why.
func TestAuthNoCommonProtocol(t *testing.T) {
	_, _, err, asked := dialAuth(t, []Auth{MSCHAPv2, CHAP}, []Auth{PAP, MSCHAPv1}, "s3cret")
	if !errors.Is(err, ErrNoCommonAuth) {
		t.Fatalf("Dial = %v, want ErrNoCommonAuth", err)
	}
	if !slices.Equal(asked, []Auth{MSCHAPv2, CHAP}) {
		t.Errorf("server asked for %v, want mschap2 then chap", asked)
	}
	// A server that allows nothing lets nobody in.
	if _, _, err, _ := dialAuth(t, []Auth{}, nil, "s3cret"); err == nil {
		t.Fatal("a server allowing no protocol let a client in")
	}
}

// TestMSCHAPv2ServerMustProve: a client refuses an MS-CHAPv2 server whose
// Success carries an authenticator response its password does not give
// (a server that does not know the password); TestAuthEachProtocol's
// mschap2 case is the control with the true response.
func TestMSCHAPv2ServerMustProve(t *testing.T) {
	a, b := Pipe(macC, macS)
	b.(*memLink).drop = func(f Frame) bool {
		h, err := parseHeader(f.Payload)
		if err != nil || f.Type != EtherSession {
			return false
		}
		if m := ppp.CHAPSuccessMessage(h.Payload); len(m) > 3 {
			m[2] ^= 1 // the first hex digit after "S=", changed in place
		}
		return false
	}
	ups := server(t, b, ServerConfig{Auth: []Auth{MSCHAPv2}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := Dial(ctx, a, ClientConfig{User: "alice", Password: "s3cret"})
	if !errors.Is(err, ErrPeerAuth) {
		t.Fatalf("Dial = %v, want ErrPeerAuth", err)
	}
	select {
	case <-ups:
		t.Fatal("the server's session came up although the client refused the server")
	case <-time.After(200 * time.Millisecond):
	}
}
