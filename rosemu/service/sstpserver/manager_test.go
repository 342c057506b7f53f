package sstpserver

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/service/internal/pppsession"
	"github.com/chrlab/chrlab/rosemu/service/ppp"
	"github.com/chrlab/chrlab/rosemu/service/sstp"
)

// TestServeSessions runs the manager on a router's configuration in one
// network namespace and SSTP clients in another, joined by a veth pair
// (198.51.100.1 the router, .2 the client). With certificate=none, and
// with a certificate template not yet signed, the TLS handshake fails
// (RouterOS offers only anonymous DH then, which a standard client does
// not speak); once signed, alice comes up with the pool's address, the
// router has <sstp-alice> and /ppp active says sstp and her address; a
// client that verifies the certificate against the router's CA trusts
// it; bob's session takes his binding's name; /ppp active remove ends a
// session. Controls: a wrong password, a secret for L2TP only, the old
// port after port=8443, and a disabled server get no session.
func TestServeSessions(t *testing.T) {
	if testing.Short() || os.Geteuid() != 0 {
		t.Skip("needs root and no -short: makes namespaces, a veth pair and TUN devices")
	}
	nss, hs := netnstest.New(t, 2)
	nsR, nsC := nss[0], nss[1]
	hR, hC := hs[0], hs[1]
	netnstest.Veth(t, hR, hC, "ether1", nsC, "eth0", "198.51.100.1/24", "198.51.100.2/24")

	m := New(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	// binds counts the server's listeners: a change of its settings
	// restarts it, and the test waits for the new server's listener.
	// waitPort alone returned at once when the port was already open, the
	// old server's, and the 300 ms sleep after a change was shorter than
	// a restart on a loaded machine: a client met the old server.
	var binds atomic.Int32
	m.listen = func(port int) (ln net.Listener, err error) {
		netnstest.In(t, nsR, func() { ln, err = listen(port) })
		if err == nil {
			binds.Add(1)
		}
		return ln, err
	}
	m.sessions.OpenTUN = func(name string, mtu int) (f *os.File, err error) {
		netnstest.In(t, nsR, func() { f, err = pppsession.OpenTUN(name, mtu) })
		return f, err
	}
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}, SSTPServer: m})
	// change runs a change of the server's settings and waits until the
	// server it restarts has its listener: a new one on the same port
	// binds only once the old one's is closed.
	change := func(src string) {
		t.Helper()
		before := binds.Load()
		if _, err := r.Run(context.Background(), src); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); binds.Load() <= before; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("after %q the server did not listen again in 10 s", src)
			}
		}
	}
	if _, err := r.Run(context.Background(), `/ip pool add name=vpn ranges=10.88.0.10-10.88.0.20
/ppp profile add name=vpn local-address=10.88.0.1 remote-address=vpn
/ppp secret add name=alice password=a1 profile=vpn service=sstp
/ppp secret add name=bob password=b2 profile=vpn
/ppp secret add name=dave password=d4 profile=vpn service=l2tp
/interface sstp-server add name=sstp-bob user=bob
/certificate add name=ca common-name=ca key-usage=key-cert-sign,crl-sign
/certificate add name=srv common-name=198.51.100.1 subject-alt-name=IP:198.51.100.1
/interface sstp-server server set enabled=yes default-profile=vpn
`); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, r) }()
	defer func() { cancel(); <-done }()

	server := netip.MustParseAddrPort("198.51.100.1:443")
	insecure := &tls.Config{InsecureSkipVerify: true}
	dialTo := func(to netip.AddrPort, tc *tls.Config, user, pass string) (s *sstp.Session, err error) {
		dctx, dcancel := context.WithTimeout(ctx, 15*time.Second)
		defer dcancel()
		netnstest.In(t, nsC, func() {
			s, err = sstp.Dial(dctx, to, sstp.ClientConfig{TLS: tc, PPP: ppp.Config{User: user, Password: pass}, Log: t.Logf})
		})
		return s, err
	}
	dial := func(user, pass string) (*sstp.Session, error) { return dialTo(server, insecure, user, pass) }
	waitTUN := func(name string, present bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			lk, err := hR.LinkByName(kernel.LinkName(name))
			if present && err == nil && lk.Attrs().Flags&1 != 0 || !present && err != nil {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("TUN %s present=%v: %v", name, !present, err)
			}
		}
	}
	// waitPort waits until the router's port accepts TCP (open) or
	// refuses it: the server restarts after each change.
	waitPort := func(port int, open bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			var err error
			netnstest.In(t, nsC, func() {
				var c net.Conn
				if c, err = net.DialTimeout("tcp4", netip.AddrPortFrom(server.Addr(), uint16(port)).String(), time.Second); err == nil {
					c.Close()
				}
			})
			if (err == nil) == open {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("port %d open=%v: %v", port, !open, err)
			}
		}
	}
	waitPort(443, true)

	// certificate=none, then a template: the handshake fails.
	if _, err := dial("alice", "a1"); err == nil || !strings.Contains(err.Error(), "TLS") {
		t.Fatalf("certificate=none: %v, want a failed TLS handshake", err)
	}
	change("/interface sstp-server server set certificate=srv")
	if _, err := dial("alice", "a1"); err == nil || !strings.Contains(err.Error(), "TLS") {
		t.Fatalf("a certificate not signed: %v, want a failed TLS handshake", err)
	}
	change("/certificate sign ca\n/certificate sign srv ca=ca\n/interface sstp-server server set certificate=none\n/interface sstp-server server set certificate=srv")

	if _, err := dial("alice", "wrong"); !errors.Is(err, ppp.ErrAuth) {
		t.Errorf("wrong password: %v, want refused", err)
	}
	if _, err := dial("dave", "d4"); !errors.Is(err, ppp.ErrAuth) {
		t.Errorf("a secret for service l2tp: %v, want refused", err)
	}
	c, err := dial("alice", "a1")
	if err != nil {
		t.Fatalf("alice: %v", err)
	}
	defer c.Close()
	if c.PPP.Local.String() != "10.88.0.10" || c.PPP.Peer.String() != "10.88.0.1" {
		t.Fatalf("alice got %s, peer %s", c.PPP.Local, c.PPP.Peer)
	}
	waitTUN("<sstp-alice>", true)
	out, err := r.Run(context.Background(), ":put ([/ppp active get [find name=alice] address].\" \".[/ppp active get [find name=alice] service].\" \".[/ppp active get [find name=alice] caller-id])")
	if err != nil || strings.TrimSpace(out) != "10.88.0.10 sstp 198.51.100.2" {
		t.Fatalf("/ppp active: %q, %v", out, err)
	}

	// A client that verifies the certificate (its name, 198.51.100.1,
	// in subject-alt-name) trusts it as a root.
	pool := x509.NewCertPool()
	pool.AddCert(serverCert(t, r))
	b, err := dialTo(server, &tls.Config{RootCAs: pool, ServerName: "198.51.100.1"}, "bob", "b2")
	if err != nil {
		t.Fatalf("bob, verifying the certificate: %v", err)
	}
	// bob's session takes the name of his static binding.
	waitTUN("sstp-bob", true)
	b.Close()
	waitTUN("sstp-bob", false)

	if _, err := r.Run(context.Background(), "/ppp active remove [find name=alice]"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the session lives on after /ppp active remove")
	}
	waitTUN("<sstp-alice>", false)

	// port=8443: 443 is closed, 8443 answers.
	// The new server listens on 8443 while the old one may still hold
	// 443 for a moment: wait for both.
	change("/interface sstp-server server set port=8443")
	waitPort(8443, true)
	waitPort(443, false)
	if _, err := dial("alice", "a1"); err == nil {
		t.Error("alice got in on 443 after port=8443")
	}
	c, err = dialTo(netip.MustParseAddrPort("198.51.100.1:8443"), insecure, "alice", "a1")
	if err != nil {
		t.Fatalf("alice on 8443: %v", err)
	}
	c.Close()

	if _, err := r.Run(context.Background(), "/interface sstp-server server set enabled=no"); err != nil {
		t.Fatal(err)
	}
	waitPort(8443, false)
	if _, err := dialTo(netip.MustParseAddrPort("198.51.100.1:8443"), insecure, "alice", "a1"); err == nil {
		t.Error("a disabled server let alice in")
	}
}

// serverCert is the router's certificate srv as the server serves it.
func serverCert(t *testing.T, r *config.Router) *x509.Certificate {
	t.Helper()
	for _, w := range r.SSTPServers() {
		if w.CertDER != "" {
			c, err := x509.ParseCertificate([]byte(w.CertDER))
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
	}
	t.Fatal("the server has no certificate")
	return nil
}
