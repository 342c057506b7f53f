package fetch

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
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
	res, err := Do(context.Background(), config.FetchRequest{URL: srv.URL, Method: "POST", Data: "a=1", Headers: [][2]string{{"X-Key", "k"}}, Timeout: time.Second})
	if err != nil || res.Status != 201 || string(res.Body) != "POST a=1 k" {
		t.Errorf("Do = %d %q, %v", res.Status, res.Body, err)
	}
	gone := srv.URL
	srv.Close()
	if _, err := Do(context.Background(), config.FetchRequest{URL: gone, Method: "GET", Timeout: time.Second}); err == nil {
		t.Error("a closed server answered")
	}
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }))
	defer tlsSrv.Close()
	if res, err := Do(context.Background(), config.FetchRequest{URL: tlsSrv.URL, Method: "GET", Timeout: time.Second}); err != nil || string(res.Body) != "ok" {
		t.Errorf("check-certificate=no: %q, %v", res.Body, err)
	}
	if _, err := Do(context.Background(), config.FetchRequest{URL: tlsSrv.URL, Method: "GET", CheckCert: true, Timeout: time.Second}); err == nil {
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
	r.SetFetcher(Do)
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
