package config

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/files"
)

// TestFetch: /tool fetch hands its request to the router's fetcher and
// gives the answer as RouterOS does: data with output=user as-value, a
// file by default, a failure for a 404 and for a server that does not
// answer (caught by on-error), and FTP refused without a request.
func TestFetch(t *testing.T) {
	r := New(Options{Ports: ports, Files: &files.Store{}})
	var got []FetchRequest
	r.SetFetcher(func(_ context.Context, req FetchRequest) (FetchResult, error) {
		got = append(got, req)
		switch {
		case strings.HasSuffix(req.URL, "/missing"):
			return FetchResult{Status: 404}, nil
		case strings.Contains(req.URL, "10.9.9.9"):
			return FetchResult{}, errors.New("connection refused")
		}
		return FetchResult{Status: 200, Body: []byte("whoami server saw 192.168.88.1")}, nil
	})
	out := run(t, r, `:local r [/tool fetch url="http://192.168.88.10/who" output=user http-method=post http-data="a=1" http-header-field="X-Key: k1,Accept: text/plain" as-value]; :put ($r->"status"); :put ($r->"data")`)
	if out != "finished\nwhoami server saw 192.168.88.1\n" {
		t.Errorf("output=user: %q", out)
	}
	if len(got) != 1 || got[0].Method != "POST" || got[0].Data != "a=1" || len(got[0].Headers) != 2 || got[0].Headers[0] != [2]string{"X-Key", "k1"} || got[0].CheckCert {
		t.Errorf("request: %+v", got)
	}
	run(t, r, `/tool fetch url="http://192.168.88.10/status.txt"`)
	if f := run(t, r, `:put [/file get status.txt contents]`); f != "whoami server saw 192.168.88.1\n" {
		t.Errorf("output=file wrote %q", f)
	}
	if _, err := r.Run(context.Background(), `/tool fetch url="http://192.168.88.10/missing" output=none`); err == nil || !strings.Contains(err.Error(), "status 404") {
		t.Errorf("404: %v", err)
	}
	if out := run(t, r, `:do { /tool fetch url="http://10.9.9.9/" output=none } on-error={ :put "down" }`); out != "down\n" {
		t.Errorf("unreachable server: %q", out)
	}
	n := len(got)
	if _, err := r.Run(context.Background(), `/tool fetch url="ftp://192.168.88.10/f"`); err == nil {
		t.Error("an FTP fetch succeeded")
	}
	if len(got) != n {
		t.Error("an FTP fetch reached the fetcher")
	}
	// Without a fetcher (an offline check) a fetch fails.
	if _, err := New(Options{Ports: ports}).Run(context.Background(), `/tool fetch url="http://192.168.88.10/" output=none`); err == nil {
		t.Error("a fetch without a fetcher succeeded")
	}
}

// TestFetchLetsRouterGoOn: while a fetch waits for its server, the router
// answers the API and sees what the script did before the fetch; the
// script then goes on with the answer.
func TestFetchLetsRouterGoOn(t *testing.T) {
	r := New(Options{Ports: ports, Files: &files.Store{}, Kernel: &fakeKernel{}})
	asked, answer := make(chan struct{}), make(chan struct{})
	r.SetFetcher(func(context.Context, FetchRequest) (FetchResult, error) {
		close(asked)
		<-answer
		return FetchResult{Status: 200, Body: []byte("late")}, nil
	})
	done := make(chan string, 1)
	go func() {
		out, err := r.Run(context.Background(), "/system identity set name=fetching\n"+
			`:put ([/tool fetch url="http://192.168.88.10/slow" output=user as-value]->"data")`)
		if err != nil {
			out = err.Error()
		}
		done <- out
	}()
	<-asked
	type reply struct {
		rows []Row
		err  error
	}
	got := make(chan reply, 1)
	go func() {
		rows, _, err := r.Command(context.Background(), "/system/identity/print", nil)
		got <- reply{rows, err}
	}()
	var rows []Row
	select {
	case rp := <-got:
		rows = rp.rows
		if rp.err != nil {
			t.Fatal(rp.err)
		}
	case <-time.After(3 * time.Second):
		close(answer)
		t.Fatal("the API did not answer while a script's fetch waited for its server")
	}
	close(answer)
	if name, _ := rows[0].Get("name"); name != "fetching" {
		t.Errorf("identity during the fetch: %q, want the name set before it", name)
	}
	if out := <-done; out != "late\n" {
		t.Errorf("the script after the fetch printed %q, want the answer", out)
	}
}

// TestFetchOffline: without a fetcher (the offline check) an HTTP(S) fetch
// is judged when the router runs it, as /ping and :resolve are: reported,
// not refused, since the server (a lab host) answers only then (forum28
// D4). What the offline check can judge is still refused: a misspelt
// parameter, a bad value, FTP (which rosemu never does). Run without a
// fetcher still fails, saying nothing was fetched.
func TestFetchOffline(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`:log info ([/tool fetch url="http://198.51.100.50/" output=user as-value]->"data")`, "1:1 stored-not-enforced " + offlineFetchReason},
		{`/tool fetch url="https://198.51.100.50/x" output=none`, "1:1 stored-not-enforced " + offlineFetchReason},
		{`/tool fetch urll="http://198.51.100.50/"`, "1:13 refused expected end of command"},
		{`/tool fetch url="http://198.51.100.50/" src-address=203.0.113.300`, "1:41 refused invalid value for argument src-address"},
		{`/tool fetch url="ftp://198.51.100.50/f"`, "1:13 refused failure: closing connection: rosemu fetches over http and https only, not ftp://198.51.100.50/f"},
	} {
		v := New(Options{Ports: ports}).Validate(context.Background(), c.src+"\n", time.Second)
		if got := findings(v); len(got) != 1 || got[0] != c.want {
			t.Errorf("%s:\n got %v\nwant %s", c.src, got, c.want)
		}
	}
	_, err := New(Options{Ports: ports}).Run(context.Background(), `/tool fetch url="http://198.51.100.50/"`)
	if err == nil || !strings.Contains(err.Error(), "rosemu does not fetch http://198.51.100.50/") {
		t.Errorf("run without a fetcher: %v", err)
	}
}
