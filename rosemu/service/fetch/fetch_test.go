package fetch

import (
	"context"
	"io"
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
