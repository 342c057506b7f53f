package agentcmd

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// TestDoHServer: the lab's DoH server answers RFC 8484 POST and GET
// queries for its --zone and --doh-zone names (NXDOMAIN for others), and
// its certificate verifies against the CA it serves at /ca.pem for the
// address reached; a client that does not trust that CA fails (control).
func TestDoHServer(t *testing.T) {
	zone := zoneFlags{"myserver.net": {netip.MustParseAddr("203.0.113.2")}}
	extra := zoneFlags{"only-doh.example": {netip.MustParseAddr("192.0.2.77")}}
	d, err := newDoHServer(zone, extra, []string{"doh.lab.example"}, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	addr, err := d.listen("127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.close)
	base := "https://" + addr.String()

	insecure := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := insecure.Get(base + "/ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	caPEM, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatalf("/ca.pem is not a PEM certificate: %q", caPEM)
	}
	trusting := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}

	ask := func(c *http.Client, method, name string) (*dns.Msg, error) {
		q := new(dns.Msg).SetQuestion(dns.Fqdn(name), dns.TypeA)
		q.Id = 0
		wire, _ := q.Pack()
		var req *http.Request
		if method == http.MethodPost {
			req, _ = http.NewRequest(method, base+"/dns-query", bytes.NewReader(wire))
			req.Header.Set("Content-Type", dohMediaType)
		} else {
			req, _ = http.NewRequest(method, base+"/dns-query?dns="+base64.RawURLEncoding.EncodeToString(wire), nil)
		}
		resp, err := c.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); ct != dohMediaType || resp.StatusCode != 200 {
			t.Fatalf("%s %s: HTTP %d %s", method, name, resp.StatusCode, ct)
		}
		body, _ := io.ReadAll(resp.Body)
		m := new(dns.Msg)
		return m, m.Unpack(body)
	}
	for _, tc := range []struct{ method, name, want string }{
		{http.MethodPost, "only-doh.example", "192.0.2.77"},
		{http.MethodGet, "only-doh.example", "192.0.2.77"},
		{http.MethodPost, "myserver.net", "203.0.113.2"},
		{http.MethodPost, "nowhere.example", "NXDOMAIN"},
	} {
		m, err := ask(trusting, tc.method, tc.name)
		if err != nil {
			t.Fatalf("%s %s: %v", tc.method, tc.name, err)
		}
		got := dns.RcodeToString[m.Rcode]
		if len(m.Answer) == 1 {
			got = m.Answer[0].(*dns.A).A.String()
		}
		if got != tc.want {
			t.Errorf("%s %s = %s, want %s", tc.method, tc.name, got, tc.want)
		}
	}
	if _, err := ask(&http.Client{}, http.MethodPost, "only-doh.example"); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("a client without the lab CA: %v, want a certificate error", err)
	}
}
