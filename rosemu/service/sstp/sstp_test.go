package sstp

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"errors"
	"math/big"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/service/ppp"
)

// TestCodec checks the byte layouts of [MS-SSTP] 2.2: the header's
// version, C bit and 12-bit length; a control message's type, attribute
// count and attributes (reserved byte, ID, 12-bit length with the
// attribute's header); Call Connect Request's 14 bytes, Call Connect
// Ack's 48 and Call Connected's 112.
func TestCodec(t *testing.T) {
	req := connectRequest().bytes()
	want, _ := hex.DecodeString("1001000e" + "0001" + "0001" + "0001" + "0006" + "0001")
	if !bytes.Equal(req, want) {
		t.Fatalf("Call Connect Request = % x, want % x", req, want)
	}
	var nonce [32]byte
	nonce[0], nonce[31] = 0xaa, 0xbb
	ack := connectAck(hashSHA256, nonce).bytes()
	if len(ack) != 48 || !bytes.Equal(ack[:12], []byte{0x10, 0x01, 0x00, 0x30, 0x00, 0x02, 0x00, 0x01, 0x00, 0x04, 0x00, 0x28}) || ack[15] != 0x02 || ack[16] != 0xaa || ack[47] != 0xbb {
		t.Fatalf("Call Connect Ack = % x", ack)
	}
	b := binding{Hash: hashSHA256, Nonce: nonce, CertHash: sha256.Sum256([]byte("cert"))}
	con := connected(b).bytes()
	if len(con) != 112 || !bytes.Equal(con[:12], []byte{0x10, 0x01, 0x00, 0x70, 0x00, 0x04, 0x00, 0x01, 0x00, 0x03, 0x00, 0x68}) || con[15] != 0x02 {
		t.Fatalf("Call Connected = % x", con[:16])
	}
	ctl, body, err := readPacket(bytes.NewReader(append(con, 0xde, 0xad)))
	if err != nil || !ctl || len(body) != 108 {
		t.Fatalf("readPacket = %v %d %v", ctl, len(body), err)
	}
	c, err := parseControl(body)
	if err != nil || c.Type != msgCallConnected {
		t.Fatalf("parseControl = %+v, %v", c, err)
	}
	back, err := parseBinding(c)
	if err != nil || back != b {
		t.Fatalf("parseBinding = %+v, %v", back, err)
	}
	if h, n, err := parseBindingRequest(mustParse(t, ack)); err != nil || h != hashSHA256 || n != nonce {
		t.Fatalf("parseBindingRequest = %x %x %v", h, n, err)
	}
	d, err := dataPacket([]byte{0xff, 0x03, 0xc0, 0x21})
	if err != nil || !bytes.Equal(d, []byte{0x10, 0x00, 0x00, 0x08, 0xff, 0x03, 0xc0, 0x21}) {
		t.Fatalf("data packet = % x, %v", d, err)
	}
	if _, err := dataPacket(make([]byte, 4092)); err == nil {
		t.Error("a packet over 4095 bytes was framed")
	}
	// The compound MAC covers the message with the MAC zeroed: the
	// signed message's MAC is the HMAC of that, and a different key or
	// nonce gives another.
	zero := make([]byte, 32)
	signed := signedConnected(b, zero)
	mac := compoundMAC(hashSHA256, zero, connected(b).bytes())
	if !bytes.Equal(signed[80:], mac[:]) || bytes.Equal(mac[:], make([]byte, 32)) {
		t.Fatalf("signed MAC % x, want % x", signed[80:], mac)
	}
	if other := compoundMAC(hashSHA256, bytes.Repeat([]byte{1}, 32), connected(b).bytes()); other == mac {
		t.Error("the MAC does not depend on the HLAK")
	}
	for name, bad := range map[string][]byte{
		"version 2":             {0x20, 0x00, 0x00, 0x04},
		"length under a header": {0x10, 0x00, 0x00, 0x03},
		"length past the end":   {0x10, 0x01, 0x00, 0x20, 0, 1, 0, 0},
	} {
		if _, _, err := readPacket(bytes.NewReader(bad)); err == nil {
			t.Errorf("%s: readPacket accepted % x", name, bad)
		}
	}
	if _, err := parseControl([]byte{0, 1, 0, 1, 0, 1, 0, 9, 0, 1}); err == nil {
		t.Error("an attribute past its message was accepted")
	}
}

func mustParse(t *testing.T, pkt []byte) Control {
	t.Helper()
	_, body, err := readPacket(bytes.NewReader(pkt))
	if err != nil {
		t.Fatal(err)
	}
	c, err := parseControl(body)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// selfSigned is a server certificate for 127.0.0.1.
func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "router"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: k}
}

type server struct {
	addr  netip.AddrPort
	cert  tls.Certificate
	mu    sync.Mutex
	ups   []*Session
	ended chan *Session
}

// serve runs a server on 127.0.0.1 whose users are alice (a1) and bob
// (b2), giving 10.0.0.10.
func serve(t *testing.T, hello time.Duration) *server {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &server{addr: netip.MustParseAddrPort(ln.Addr().String()), cert: selfSigned(t), ended: make(chan *Session, 8)}
	users := map[string]string{"alice": "a1", "bob": "b2"}
	cfg := ServerConfig{TLS: &tls.Config{Certificates: []tls.Certificate{srv.cert}}, Hello: hello,
		Log: t.Logf,
		Call: func(s *Session) (ppp.Config, bool) {
			return ppp.Config{Auth: []ppp.Auth{ppp.MSCHAPv2, ppp.PAP}, Check: func(c *ppp.Conn, user string, proves ppp.Verifier) bool {
				pw, ok := users[user]
				if ok && proves(pw) {
					c.Grant(netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.10"), nil)
					return true
				}
				return false
			}}, true
		},
		Ended: func(s *Session) { srv.ended <- s },
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = Serve(ctx, ln, cfg, func(s *Session) {
			srv.mu.Lock()
			srv.ups = append(srv.ups, s)
			srv.mu.Unlock()
		})
	}()
	t.Cleanup(func() { cancel(); <-done })
	return srv
}

func (s *server) up() []*Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Session(nil), s.ups...)
}

func dialCfg(user, pw string) ClientConfig {
	return ClientConfig{TLS: &tls.Config{InsecureSkipVerify: true}, PPP: ppp.Config{User: user, Password: pw}}
}

// TestServeAndDial: a client with alice's password comes up with
// 10.0.0.10 and carries IP both ways; its server sees the call up once,
// and closing it ends the server's side; bob by PAP (a zero HLAK) too.
// Controls: bob's wrong password
// is refused by PPP (ErrAuth) and never up; a request for another URI
// gets 404; a client that verifies the certificate against other roots
// refuses the server.
func TestServeAndDial(t *testing.T) {
	srv := serve(t, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := Dial(ctx, srv.addr, dialCfg("alice", "a1"))
	if err != nil {
		t.Fatalf("Dial alice: %v", err)
	}
	if s.PPP.Local != netip.MustParseAddr("10.0.0.10") || s.PPP.Auth != ppp.MSCHAPv2 {
		t.Fatalf("alice got %v by %s", s.PPP.Local, s.PPP.Auth)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(srv.up()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	ups := srv.up()
	if len(ups) != 1 || ups[0].PPP.User != "alice" {
		t.Fatalf("server sessions up: %v", ups)
	}
	pkt := []byte{0x45, 0, 0, 20, 0, 0, 0, 0, 64, 1, 0, 0, 10, 0, 0, 10, 10, 0, 0, 1}
	if err := s.PPP.WritePacket(pkt); err != nil {
		t.Fatal(err)
	}
	if got, err := ups[0].PPP.ReadPacket(); err != nil || !bytes.Equal(got, pkt) {
		t.Fatalf("server read % x, %v", got, err)
	}
	if err := ups[0].PPP.WritePacket(pkt); err != nil {
		t.Fatal(err)
	}
	if got, err := s.PPP.ReadPacket(); err != nil || !bytes.Equal(got, pkt) {
		t.Fatalf("client read % x, %v", got, err)
	}
	s.Close()
	select {
	case e := <-srv.ended:
		if e != ups[0] {
			t.Fatal("another session ended")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server's side did not end")
	}

	// PAP: no MPPE keys, the binding's MAC keyed by zeros.
	pap := dialCfg("bob", "b2")
	pap.PPP.Auth = []ppp.Auth{ppp.PAP}
	sp, err := Dial(ctx, srv.addr, pap)
	if err != nil || sp.PPP.Auth != ppp.PAP {
		t.Fatalf("bob by PAP: %v", err)
	}
	for deadline := time.Now().Add(5 * time.Second); len(srv.up()) < 2 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	sp.Close()
	if _, err := Dial(ctx, srv.addr, dialCfg("bob", "wrong")); !errors.Is(err, ppp.ErrAuth) {
		t.Fatalf("bob with a wrong password: %v, want ErrAuth", err)
	}
	if n := len(srv.up()); n != 2 {
		t.Fatalf("%d sessions came up, want alice's and bob's by PAP", n)
	}

	// Not SSTP: a browser's GET.
	conn, err := tls.Dial("tcp", srv.addr.String(), &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = conn.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
	line, _ := bufio.NewReader(conn).ReadString('\n')
	conn.Close()
	if !strings.HasPrefix(line, "HTTP/1.1 404") {
		t.Fatalf("GET / answered %q", line)
	}

	// verify-server-certificate with roots that do not hold the
	// server's certificate.
	cfg := dialCfg("alice", "a1")
	cfg.TLS = &tls.Config{RootCAs: x509.NewCertPool(), ServerName: "127.0.0.1"}
	if _, err := Dial(ctx, srv.addr, cfg); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("an unknown certificate was trusted: %v", err)
	}
	// And with the server's certificate as the root, it is trusted.
	pool := x509.NewCertPool()
	c, _ := x509.ParseCertificate(srv.cert.Certificate[0])
	pool.AddCert(c)
	cfg.TLS = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
	s2, err := Dial(ctx, srv.addr, cfg)
	if err != nil {
		t.Fatalf("verified dial: %v", err)
	}
	s2.Close()
}

// TestCryptoBinding plays a client whose Call Connected binds another
// certificate (what a man in the middle with its own certificate would
// forward), another nonce, or a compound MAC keyed by other than the
// MS-CHAPv2 login's MPPE keys: the server aborts the call and never
// calls it up, though PPP authenticated.
func TestCryptoBinding(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(*binding, []byte)
	}{
		{"another certificate", func(b *binding, _ []byte) { b.CertHash[0] ^= 1 }},
		{"another nonce", func(b *binding, _ []byte) { b.Nonce[5] ^= 1 }},
		// A relay that does not know the login's MPPE keys: its MAC is
		// keyed otherwise.
		{"a MAC not keyed by the login", func(_ *binding, hlak []byte) { hlak[3] ^= 1 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := serve(t, 0)
			bindingHook = tc.tamper
			t.Cleanup(func() { bindingHook = nil })
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			s, err := Dial(ctx, srv.addr, dialCfg("alice", "a1"))
			if err != nil {
				t.Fatalf("Dial: %v", err)
			}
			select {
			case <-s.Done():
				if !errors.Is(s.Err(), ErrAborted) {
					t.Fatalf("the call ended with %v, want the server's Call Abort", s.Err())
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the server kept a call whose binding does not match")
			}
			if n := len(srv.up()); n != 0 {
				t.Fatalf("%d sessions came up", n)
			}
		})
	}
}

// TestEcho: a silent call sends Echo Requests; a peer that answers
// keeps the call, one that stops reading loses it after two Hello
// periods.
func TestEcho(t *testing.T) {
	// Hello timers of half a second: a call that answers lives through four of them, and
	// a loaded machine (CI runs its tests in parallel) may hold either side for a few
	// hundred milliseconds without ending an answering call; 200 ms left it about that.
	srv := serve(t, 500*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cfg := dialCfg("alice", "a1")
	cfg.Hello = 500 * time.Millisecond
	s, err := Dial(ctx, srv.addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	if err := s.Err(); err != nil {
		t.Fatalf("an answering call ended: %v", err)
	}
	// The client goes deaf: it neither reads nor answers.
	s.wmu.Lock()
	select {
	case e := <-srv.ended:
		if !errors.Is(e.Err(), ErrTimeout) {
			s.wmu.Unlock()
			t.Fatalf("the server's side ended with %v, want ErrTimeout", e.Err())
		}
	case <-time.After(10 * time.Second):
		s.wmu.Unlock()
		t.Fatal("the server kept a call that stopped answering")
	}
	s.wmu.Unlock()
	s.Close()
}
