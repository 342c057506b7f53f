package config

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"github.com/chrlab/chrlab/rosemu/files"
)

// A VPN setup script's certificates: a CA signed by itself, a server and a
// client signed by it, the client exported with its key. The files are
// real: the exported certificate verifies against the exported CA, the key
// decrypts with the passphrase only, and the PKCS#12 file opens with it.
// "bad command name sign" and "export-certificate" before.
func TestCertificateSignExport(t *testing.T) {
	store := &files.Store{}
	r := New(Options{Ports: ports, Version: "7.16.2", Files: store})
	runScript(t, r, `/certificate add name=CA-tmpl common-name=Lab-CA days-valid=3650 key-usage=key-cert-sign,crl-sign
/certificate sign CA-tmpl ca-crl-host=127.0.0.1 name="CA"
/certificate add name=SERVER common-name=vpn.example.com subject-alt-name=DNS:vpn.example.com,IP:203.0.113.2 key-usage=tls-server
/certificate sign SERVER ca="CA"
/certificate add name=USER01 common-name=user01 key-usage=tls-client
/certificate sign USER01 ca="CA"
/certificate export-certificate CA
/certificate export-certificate USER01 export-passphrase=secret123
/certificate export-certificate USER01 export-passphrase=secret123 type=pkcs12 file-name=user01
:global Issuer [/certificate get SERVER issuer]
:global Flags ([/certificate get CA trusted] . " " . [/certificate get CA issued] . " " . [/certificate get CA crl] . " " . [/certificate get SERVER issued] . " " . [/certificate get SERVER private-key])`)
	if out := strings.TrimSpace(run(t, r, `:put $Issuer`)); out != "CN=Lab-CA" {
		t.Errorf("the server's issuer: %q, want CN=Lab-CA", out)
	}
	if out := strings.TrimSpace(run(t, r, `:put $Flags`)); out != "true false true true true" {
		t.Errorf("CA trusted, issued, crl; server issued, private-key: %q", out)
	}
	if out := strings.TrimSpace(run(t, r, `:put [:len [/certificate find where name="CA-tmpl"]]`)); out != "0" {
		t.Errorf("the CA template kept its name after sign name=CA: %q", out)
	}

	read := func(name string) []byte {
		t.Helper()
		data, err := store.ReadFile(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return data
	}
	parse := func(name string) *x509.Certificate {
		t.Helper()
		b, _ := pem.Decode(read(name))
		if b == nil || b.Type != "CERTIFICATE" {
			t.Fatalf("%s holds no PEM certificate", name)
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ca, user := parse("cert_export_CA.crt"), parse("cert_export_USER01.crt")
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	if _, err := user.Verify(x509.VerifyOptions{Roots: pool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		t.Errorf("the client certificate does not verify against the CA: %v", err)
	}
	if !ca.IsCA || user.Subject.CommonName != "user01" {
		t.Errorf("CA IsCA %v, client CN %q", ca.IsCA, user.Subject.CommonName)
	}
	if _, err := store.ReadFile("cert_export_CA.key"); err == nil {
		t.Error("the CA's key was exported without a passphrase")
	}
	kb, _ := pem.Decode(read("cert_export_USER01.key"))
	//lint:ignore SA1019 the legacy encrypted PEM RouterOS writes.
	// A wrong passphrase passes the legacy format's padding check about once
	// in 256 tries (DecryptPEMBlock's doc: an incorrect password is not
	// always detected), so what proves it wrong is that no key comes out.
	if der, err := x509.DecryptPEMBlock(kb, []byte("wrong")); err == nil { //nolint:staticcheck
		if _, err := x509.ParsePKCS8PrivateKey(der); err == nil {
			t.Error("the key decrypts with a wrong passphrase")
		}
	}
	//lint:ignore SA1019 the legacy encrypted PEM RouterOS writes.
	if der, err := x509.DecryptPEMBlock(kb, []byte("secret123")); err != nil { //nolint:staticcheck
		t.Errorf("the key does not decrypt with its passphrase: %v", err)
	} else if _, err := x509.ParsePKCS8PrivateKey(der); err != nil {
		t.Errorf("the decrypted key: %v", err)
	}
	if _, c, err := pkcs12.Decode(read("user01.p12"), "secret123"); err != nil || c.Subject.CommonName != "user01" {
		t.Errorf("the PKCS#12 file: %v", err)
	}

	// What cannot be signed or exported changes nothing.
	before := len(store.Names())
	for _, bad := range []string{
		`/certificate sign NOPE`, // no such certificate
		`/certificate add name=T2 common-name=t2` + "\n" + `/certificate sign T2 ca=SERVERX`,    // no such CA
		`/certificate add name=T3 common-name=t3` + "\n" + `/certificate sign T3 ca=T3`,         // a template cannot sign
		`/certificate add name=T4 common-name=t4` + "\n" + `/certificate export-certificate T4`, // not signed
		`/certificate export-certificate CA type=der`,
		`/certificate add name=T5 common-name=t5 days-valid=99999999` + "\n" + `/certificate sign T5`, // past year 9999
		`/certificate add name=T6 common-name=t6 days-valid=0` + "\n" + `/certificate sign T6`,
	} {
		if _, err := r.Run(context.Background(), bad); err == nil {
			t.Errorf("taken: %s", bad)
		}
	}
	if got := len(store.Names()); got != before {
		t.Errorf("refused commands wrote files: %d, want %d", got, before)
	}
	if out := strings.TrimSpace(run(t, r, `:put [:len [/certificate find where name~"^T"]]`)); out != "0" {
		t.Errorf("a refused source left templates behind: %q", out)
	}
}

// A CA imported from a PEM file with its key signs as one made on the
// router does (the import's private-key=true and sign agree); the same CA
// imported without its key cannot sign. An export of several certificates
// of which one is a template writes none of them.
func TestCertificateImportedCASigns(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Imported CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	store := &files.Store{}
	for name, data := range map[string][]byte{
		"ca.pem":    append(append([]byte{}, certPEM...), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})...),
		"nokey.pem": certPEM,
	} {
		if err := store.WriteFile(name, data); err != nil {
			t.Fatal(err)
		}
	}
	r := New(Options{Ports: ports, Version: "7.16.2", Files: store})
	runScript(t, r, `/certificate import file-name=ca.pem name=ca passphrase=""
/certificate import file-name=nokey.pem name=bare passphrase=""
/certificate add name=C1 common-name=client1
/certificate sign C1 ca=ca_0
:global Issuer [/certificate get C1 issuer]`)
	if out := strings.TrimSpace(run(t, r, `:put $Issuer`)); out != "CN=Imported CA" {
		t.Errorf("signed by the imported CA: issuer %q", out)
	}
	if _, err := r.Run(context.Background(), "/certificate add name=C2 common-name=c2\n/certificate sign C2 ca=bare_0"); err == nil {
		t.Error("a CA imported without its key signed")
	}
	before := len(store.Names())
	if _, err := r.Run(context.Background(), "/certificate add name=T common-name=t\n/certificate export-certificate C1,T"); err == nil {
		t.Error("an export naming a template was taken")
	}
	if got := len(store.Names()); got != before {
		t.Errorf("a refused export wrote %d files", got-before)
	}
}
