package pppoeclient

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/netip"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/service/ppp"
	"github.com/chrlab/chrlab/rosemu/service/sstp"
)

// TestSSTPClient: /interface sstp-client entries dial an SSTP server
// (package sstp's, on 127.0.0.3 with a certificate for that address):
// one that does not verify the certificate, and one that verifies it
// against the router's trusted certificates holding it, connect with the
// address the server gave. Controls: a wrong password and verification
// with no trusted certificate end disconnected and never connect.
func TestSSTPClient(t *testing.T) {
	if testing.Short() || os.Geteuid() != 0 {
		t.Skip("needs root and no -short: makes a namespace and TUN devices")
	}
	ln, err := net.Listen("tcp4", "127.0.0.3:0")
	if err != nil {
		t.Skipf("listen on 127.0.0.3: %v", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "127.0.0.3"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 3)}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	trusted := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	nss, _ := netnstest.New(t, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		_ = sstp.Serve(ctx, ln, sstp.ServerConfig{TLS: &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: k}}},
			Call: func(*sstp.Session) (ppp.Config, bool) {
				return ppp.Config{Local: netip.MustParseAddr("10.9.0.1"), Peer: netip.MustParseAddr("10.9.0.2"),
					Check: func(_ *ppp.Conn, user string, proves ppp.Verifier) bool { return user == "alice" && proves("pw") }}, true
			}}, func(*sstp.Session) {})
	}()
	entry := func(id, name, pw string, verify bool, pemRoots string) config.PPPoEClient {
		return config.PPPoEClient{ID: id, Name: name, Kind: "sstp", ConnectTo: "127.0.0.3", Port: port, User: "alice", Password: pw,
			Allow: "mschap2", MaxMTU: 1450, MaxMRU: 1450, VerifyServer: verify, VerifyAddress: true, TrustedPEM: pemRoots}
	}
	e := &fakeEngine{clients: []config.PPPoEClient{
		entry("*1", "sstp-out1", "pw", false, ""),
		entry("*2", "sstp-out2", "wrong", false, ""),
		entry("*3", "sstp-out3", "pw", true, ""),
		entry("*4", "sstp-out4", "pw", true, trusted),
	}}
	m := New(nil)
	m.Redial = time.Second
	m.openTUN = func(name string, mtu int) (f *os.File, err error) {
		netnstest.In(t, nss[0], func() { f, err = ppp.OpenTUNUp(kernel.LinkName(name), mtu) })
		return f, err
	}
	done := make(chan error)
	go func() { done <- m.Run(ctx, e) }()
	waitFor(t, e, "sstp-out1:connected")
	waitFor(t, e, "sstp-out4:connected")
	e.mu.Lock()
	got := e.up["sstp-out1"]
	e.mu.Unlock()
	if got.Local != netip.MustParseAddr("10.9.0.2") || got.Remote != netip.MustParseAddr("10.9.0.1") {
		t.Errorf("session %+v, want 10.9.0.2 to 10.9.0.1", got)
	}
	waitFor(t, e, "sstp-out2:disconnected")
	waitFor(t, e, "sstp-out3:disconnected")
	for _, bad := range []string{"sstp-out2:connected", "sstp-out3:connected"} {
		if slices.Contains(e.statuses(), bad) {
			t.Errorf("%s: want never connected", bad)
		}
	}
	cancel()
	<-done
}
