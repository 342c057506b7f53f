package pppoeclient

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

// TestSSTPServerAddressFromCertificate: with verify-server-certificate
// and verify-server-address-from-certificate=yes, the server's
// certificate must name connect-to in its subject-alt-name or, when it
// has none, in its common name: a server certificate made with
// common-name=<the WAN address> alone, and [MS-SSTP] has the client
// compare the common name or subject name. Go's own name check reads
// subject-alt-names only, so such a certificate was refused. Controls: a common name of another address, a subject-alt-name
// of another address beside a matching common name (the names then come
// from the subject-alt-name alone), and a certificate the router does not
// trust fail; with the address check off, the chain alone decides.
func TestSSTPServerAddressFromCertificate(t *testing.T) {
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ca"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	trusted := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}))
	leaf := func(cn string, sans ...net.IP) tls.Certificate {
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: cn}, IPAddresses: sans,
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &k.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: k}
	}
	// A loopback connection, not net.Pipe: on a refused certificate the
	// client writes its alert while the server writes, which an
	// unbuffered pipe never lets finish.
	handshake := func(cert tls.Certificate, w config.PPPoEClient) error {
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		go func() {
			s, err := ln.Accept()
			if err != nil {
				return
			}
			defer s.Close()
			ts := tls.Server(s, &tls.Config{Certificates: []tls.Certificate{cert}})
			_ = ts.SetDeadline(time.Now().Add(5 * time.Second))
			_ = ts.Handshake()
		}()
		c, err := net.Dial("tcp4", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		tc := tls.Client(c, sstpTLS(w))
		_ = tc.SetDeadline(time.Now().Add(5 * time.Second))
		return tc.Handshake()
	}
	wan := net.IPv4(198, 51, 100, 1)
	for _, c := range []struct {
		name      string
		cert      tls.Certificate
		trust     string
		checkAddr bool
		ok        bool
	}{
		{"common name only, connect-to's", leaf("198.51.100.1"), trusted, true, true},
		{"subject-alt-name, connect-to's", leaf("sstp", wan), trusted, true, true},
		{"common name of another address", leaf("198.51.100.9"), trusted, true, false},
		{"subject-alt-name of another address, common name connect-to's", leaf("198.51.100.1", net.IPv4(198, 51, 100, 9)), trusted, true, false},
		{"not trusted", leaf("198.51.100.1"), "", true, false},
		{"address check off: another common name", leaf("198.51.100.9"), trusted, false, true},
		{"address check off: not trusted", leaf("198.51.100.1"), "", false, false},
	} {
		w := config.PPPoEClient{Kind: "sstp", ConnectTo: "198.51.100.1", VerifyServer: true, VerifyAddress: c.checkAddr, TrustedPEM: c.trust}
		if err := handshake(c.cert, w); (err == nil) != c.ok {
			t.Errorf("%s: handshake error %v, want ok=%v", c.name, err, c.ok)
		}
	}
}
