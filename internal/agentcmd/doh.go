package agentcmd

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// The lab's DNS-over-HTTPS server (labagent node --serve doh): the lab's
// resolver answering RFC 8484 queries (POST and GET, wire format) at
// https://<node>/dns-query, so that a router's use-doh-server can be
// proven end to end without leaving the lab. It answers the --zone names
// of the node's plain DNS service and the --doh-zone names, which only
// it knows: a name that resolves through the router proves the query
// went over DoH. Its certificate comes from a CA the agent makes when it
// starts (a fresh one per lab run, never trusted anywhere else); the CA
// is served as PEM at https://<node>/ca.pem, for the router to fetch and
// /certificate import before it sets verify-doh-cert=yes.

// dohDefaultPort is HTTPS's port, where RouterOS's use-doh-server URLs
// point unless they name another.
const dohDefaultPort = 443

// dohServer is the running DoH server.
type dohServer struct {
	dns   *publicDNS // answers the queries (zone and doh-zone names)
	names []string   // DNS names the certificate carries
	ca    *x509.Certificate
	caKey *ecdsa.PrivateKey
	caPEM []byte
	mu    sync.Mutex
	certs map[netip.Addr]*tls.Certificate // by the address a client reached
	srv   *http.Server
	logf  func(string, ...any)
}

// newLabCA makes the lab's self-signed CA.
func newLabCA(now time.Time) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(now.UnixNano()),
		Subject:               pkix.Name{CommonName: "chrlab lab DoH CA", Organization: []string{"chrlab lab"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(30 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	ca, err := x509.ParseCertificate(der)
	return ca, key, err
}

// newDoHServer makes the CA and the server; extra are the --doh-zone
// names, names the DNS names for the certificate.
func newDoHServer(zone, extra zoneFlags, names []string, logf func(string, ...any)) (*dohServer, error) {
	ca, key, err := newLabCA(time.Now())
	if err != nil {
		return nil, fmt.Errorf("doh: make the lab CA: %w", err)
	}
	all := zoneFlags{}
	for n, a := range zone {
		all[n] = append(all[n], a...)
	}
	for n, a := range extra {
		all[n] = append(all[n], a...)
	}
	d := &dohServer{dns: &publicDNS{zone: all}, names: names, ca: ca, caKey: key,
		caPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw}),
		certs: map[netip.Addr]*tls.Certificate{}, logf: logf}
	mux := http.NewServeMux()
	mux.HandleFunc("/dns-query", d.query)
	mux.HandleFunc("/ca.pem", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/x-pem-file")
		_, _ = w.Write(d.caPEM)
	})
	d.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{GetCertificate: d.certificate, MinVersion: tls.VersionTLS12}}
	return d, nil
}

// listen serves on host:port until close (port 0: one the kernel
// picks, for tests) and returns the address it listens on.
func (d *dohServer) listen(host string, port int) (net.Addr, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("listen doh on tcp %s:%d: %w", host, port, err)
	}
	go func() {
		if err := d.srv.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			d.logf("doh: serve: %v", err)
		}
	}()
	d.logf("doh: DNS over HTTPS on %s (https://.../dns-query; the lab CA at /ca.pem; %d names)", ln.Addr(), len(d.dns.zone))
	return ln.Addr(), nil
}

func (d *dohServer) close() { d.srv.Close() }

// certificate gives a client the server certificate for the address it
// reached (an IP SAN, as a URL with an address needs) and the --doh-name
// names, signed by the lab CA; made once per address.
func (d *dohServer) certificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	var local netip.Addr
	if hello.Conn != nil {
		if ap, err := netip.ParseAddrPort(hello.Conn.LocalAddr().String()); err == nil {
			local = ap.Addr().Unmap()
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if c, ok := d.certs[local]; ok {
		return c, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()),
		Subject:      pkix.Name{CommonName: firstOr(d.names, local.String())},
		DNSNames:     d.names,
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(30 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if local.IsValid() {
		tmpl.IPAddresses = []net.IP{local.AsSlice()}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, d.ca, &key.PublicKey, d.caKey)
	if err != nil {
		return nil, err
	}
	c := &tls.Certificate{Certificate: [][]byte{der, d.ca.Raw}, PrivateKey: key}
	d.certs[local] = c
	return c, nil
}

func firstOr(s []string, def string) string {
	if len(s) > 0 {
		return s[0]
	}
	return def
}

// dohMediaType is RFC 8484's media type of a DNS message.
const dohMediaType = "application/dns-message"

// query answers one RFC 8484 request: POST with the message as body, or
// GET with it base64url-encoded in ?dns=.
func (d *dohServer) query(w http.ResponseWriter, r *http.Request) {
	var wire []byte
	var err error
	switch r.Method {
	case http.MethodPost:
		if ct := r.Header.Get("Content-Type"); ct != dohMediaType {
			http.Error(w, "content type must be "+dohMediaType, http.StatusUnsupportedMediaType)
			return
		}
		wire, err = io.ReadAll(io.LimitReader(r.Body, dns.MaxMsgSize))
	case http.MethodGet:
		wire, err = base64.RawURLEncoding.DecodeString(r.URL.Query().Get("dns"))
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	q := new(dns.Msg)
	if err != nil || q.Unpack(wire) != nil {
		http.Error(w, "not a DNS message", http.StatusBadRequest)
		return
	}
	resp := d.dns.answer(q)
	out, err := resp.Pack()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	name := ""
	if len(q.Question) == 1 {
		name = strings.TrimSuffix(q.Question[0].Name, ".")
	}
	d.logf("doh: %s from %s for %s: %s, %d answers", r.Method, r.RemoteAddr, name, rcodeName(resp.Rcode), len(resp.Answer))
	w.Header().Set("Content-Type", dohMediaType)
	_, _ = w.Write(out)
}

// stringList collects a repeated string flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	if !validName(v) {
		return fmt.Errorf("%q is not a valid DNS name", v)
	}
	*l = append(*l, strings.ToLower(strings.TrimSuffix(v, ".")))
	return nil
}
