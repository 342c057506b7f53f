package fetch

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

// TestDo: the request carries its method, body and headers, and the
// answer's status and body come back; a server that is not there is an
// error; an HTTPS server with a self-signed certificate is taken unless
// the certificate is checked.
func TestDo(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(201)
		io.WriteString(w, r.Method+" "+string(b)+" "+r.Header.Get("X-Key"))
	}))
	defer srv.Close()
	res, err := New(nil)(context.Background(), config.FetchRequest{URL: srv.URL, Method: "POST", Data: "a=1", Headers: [][2]string{{"X-Key", "k"}}, Timeout: time.Second})
	if err != nil || res.Status != 201 || string(res.Body) != "POST a=1 k" {
		t.Errorf("Do = %d %q, %v", res.Status, res.Body, err)
	}
	gone := srv.URL
	srv.Close()
	if _, err := New(nil)(context.Background(), config.FetchRequest{URL: gone, Method: "GET", Timeout: time.Second}); err == nil {
		t.Error("a closed server answered")
	}
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }))
	defer tlsSrv.Close()
	if res, err := New(nil)(context.Background(), config.FetchRequest{URL: tlsSrv.URL, Method: "GET", Timeout: time.Second}); err != nil || string(res.Body) != "ok" {
		t.Errorf("check-certificate=no: %q, %v", res.Body, err)
	}
	if _, err := New(nil)(context.Background(), config.FetchRequest{URL: tlsSrv.URL, Method: "GET", CheckCert: true, Timeout: time.Second}); err == nil {
		t.Error("check-certificate=yes took a self-signed certificate")
	}
}

// TestFetchFailureWords (forum35 D5): a fetch that gets no answer fails in
// RouterOS's words, not with Go's net/http error: a refused connection is
// "failure: connection refused", a server that does not answer in time
// "failure: connection timeout", an answer that is not HTTP "failure:
// closing connection". Control: a server that answers is fetched.
func TestFetchFailureWords(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	gone := closed.URL
	closed.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			// Not HTTP: one line of text, then the connection closes.
			io.WriteString(c, "server ready\r\n")
			c.Close()
		}
	}()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(3 * time.Second):
		}
	}))
	defer slow.Close()
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }))
	defer ok.Close()

	r := config.New(config.Options{Ports: []string{"ether1"}})
	r.SetFetcher(New(nil))
	for _, tt := range []struct{ url, want string }{
		{gone + "/x", "failure: connection refused (line 1 column 13)"},
		{"http://" + ln.Addr().String() + "/", "failure: closing connection (line 1 column 13)"},
		{slow.URL + "/", "failure: connection timeout (line 1 column 13)"},
	} {
		_, err := r.Run(context.Background(), `/tool fetch url="`+tt.url+`" output=user idle-timeout=1s`)
		if err == nil || err.Error() != tt.want {
			t.Errorf("fetch %s: %v, want %q", tt.url, err, tt.want)
		}
	}
	out, err := r.Run(context.Background(), `:put ([/tool fetch url="`+ok.URL+`/" output=user as-value]->"data")`)
	if err != nil || out != "ok\n" {
		t.Errorf("control: %q, %v", out, err)
	}
}

// TestFetchResolvesThroughRouter (forum46 D1): a URL's host name is
// answered by the router's resolver alone. A name only the router's
// resolver knows is fetched; "localhost", which the process's resolver
// answers from /etc/hosts but the router's does not know, is not fetched
// (the lookup must never leave the router for the container's or host's
// DNS); without a resolver a name is not fetched at all. Control: the
// same server by address.
func TestFetchResolvesThroughRouter(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "peer") }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	var asked []string
	resolve := func(_ context.Context, name string) ([]netip.Addr, error) {
		asked = append(asked, name)
		if name == "peer.lab.example" {
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
		}
		return nil, errors.New("dns name does not exist")
	}
	fetchData := func(fn config.Fetcher, host string) (string, error) {
		r := config.New(config.Options{Ports: []string{"ether1"}})
		r.SetFetcher(fn)
		return r.Run(context.Background(), `:put ([/tool fetch url="http://`+net.JoinHostPort(host, port)+`/" output=user as-value]->"data")`)
	}
	if out, err := fetchData(New(resolve), "peer.lab.example"); err != nil || out != "peer\n" {
		t.Errorf("a name the router's resolver knows: %q, %v", out, err)
	}
	const noName = "failure: could not resolve dns name (line 1 column 20)"
	if out, err := fetchData(New(resolve), "localhost"); err == nil || err.Error() != noName {
		t.Errorf("a name only the process's resolver knows: %q, %v, want %q", out, err, noName)
	}
	if want := []string{"peer.lab.example", "localhost"}; !slices.Equal(asked, want) {
		t.Errorf("the router's resolver was asked %q, want %q", asked, want)
	}
	if out, err := fetchData(New(nil), "localhost"); err == nil || err.Error() != noName {
		t.Errorf("no resolver: %q, %v, want %q", out, err, noName)
	}
	if out, err := fetchData(New(resolve), "127.0.0.1"); err != nil || out != "peer\n" {
		t.Errorf("control, by address: %q, %v", out, err)
	}
}
