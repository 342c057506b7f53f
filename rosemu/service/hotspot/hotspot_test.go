package hotspot

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

// The router's own address on the hotspot's interface is 127.0.0.1 here,
// so that the test's connections from 127.0.0.1 are the hotspot client's.
const src = `/ip address add address=127.0.0.1/8 interface=ether2
/ip hotspot add name=hs1 interface=ether2
/ip hotspot user add name=alice password=secret
`

func start(t *testing.T, extra string) (*config.Router, string, string) {
	t.Helper()
	return startOrig(t, extra, nil)
}

func startOrig(t *testing.T, extra string, orig func(net.Conn) (netip.AddrPort, bool)) (*config.Router, string, string) {
	t.Helper()
	m := &Manager{Host: "127.0.0.1", LoginPort: -1, ProxyPort: -1, MAC: func(netip.Addr) string { return "02:00:00:00:00:10" }, OrigDst: orig}
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}, OnCommit: []func(){m.Wake}})
	if _, err := r.Run(context.Background(), src+extra); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx, r); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	for range 1000 { // 10 s: a loaded CI machine may be slow to start the worker
		if l, p := m.Addrs(); l != nil {
			return r, "http://" + l.String(), "http://" + p.String()
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("login page did not start")
	return nil, "", ""
}

var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 5 * time.Second}

type answer struct {
	code      int
	loc, page string
	err       error
}

func fetch(resp *http.Response, err error) answer {
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{code: resp.StatusCode, loc: resp.Header.Get("Location"), page: string(b)}
}

func body(t *testing.T, a answer) (int, string, string) {
	t.Helper()
	if a.err != nil {
		t.Fatal(a.err)
	}
	return a.code, a.loc, a.page
}

// TestProxyRedirects: HTTP a client sent elsewhere is answered with a
// redirect to the login page on the hotspot's address, carrying the URL
// it asked for.
func TestProxyRedirects(t *testing.T) {
	_, _, proxy := start(t, "")
	req, _ := http.NewRequest("GET", proxy+"/index.html", nil)
	req.Host = "203.0.113.80"
	code, loc, page := body(t, fetch(noFollow.Do(req)))
	if code != http.StatusFound || loc != "http://127.0.0.1/login?dst="+url.QueryEscape("http://203.0.113.80/index.html") {
		t.Errorf("proxy: %d %q", code, loc)
	}
	// The lab's http probe names the router by "mikrotik" in the page.
	if !strings.Contains(page, "mikrotik hotspot") {
		t.Errorf("redirect page: %q", page)
	}
}

// TestLoginForm: the form with a wrong password is refused and leaves the
// client out; the right one logs it in (active, redirect to dst).
func TestLoginForm(t *testing.T) {
	r, login, _ := start(t, "")
	code, _, page := body(t, fetch(noFollow.Get(login+"/login")))
	if code != http.StatusOK || !strings.Contains(page, "chrlab-rosemu-hotspot-login") {
		t.Fatalf("login page: %d\n%s", code, page)
	}
	code, _, page = body(t, fetch(noFollow.PostForm(login+"/login", url.Values{"username": {"alice"}, "password": {"wrong"}})))
	if code != http.StatusOK || !strings.Contains(page, "invalid username or password") {
		t.Errorf("wrong password: %d\n%s", code, page)
	}
	if a := r.HotspotActive(); len(a) != 0 {
		t.Fatalf("active after a wrong password: %v", a)
	}
	code, loc, _ := body(t, fetch(noFollow.PostForm(login+"/login", url.Values{"username": {"alice"}, "password": {"secret"}, "dst": {"http://203.0.113.80/"}})))
	if code != http.StatusFound || loc != "http://203.0.113.80/" {
		t.Errorf("login: %d %q", code, loc)
	}
	if a := r.HotspotActive(); len(a) != 1 || a[0].String() != "127.0.0.1" {
		t.Errorf("active: %v", a)
	}
	out, _ := r.Run(context.Background(), "/ip hotspot active print")
	if !strings.Contains(out, "02:00:00:00:00:10") {
		t.Errorf("active print lacks the MAC:\n%s", out)
	}
	code, _, page = body(t, fetch(noFollow.Get(login+"/login")))
	if code != http.StatusOK || !strings.Contains(page, "Welcome alice") {
		t.Errorf("status page: %d\n%s", code, page)
	}
	// The query of a GET logs in as the form does: bob, after alice
	// logs out.
	if _, err := r.Run(context.Background(), "/ip hotspot active remove [find]\n/ip hotspot user add name=bob password=pw"); err != nil {
		t.Fatal(err)
	}
	code, _, page = body(t, fetch(noFollow.Get(login+"/login?username=bob&password=pw")))
	if code != http.StatusOK || !strings.Contains(page, "Welcome bob") {
		t.Errorf("status page: %d\n%s", code, page)
	}
}

// TestLoginByMACOnly: a profile whose login-by takes no password refuses
// the form, with the reason on the page.
func TestLoginByMACOnly(t *testing.T) {
	r, login, _ := start(t, "/ip hotspot profile set default login-by=mac\n")
	code, _, page := body(t, fetch(noFollow.PostForm(login+"/login", url.Values{"username": {"alice"}, "password": {"secret"}})))
	if !strings.Contains(page, "login-by=mac takes no password") || len(r.HotspotActive()) != 0 {
		t.Errorf("login-by=mac took the form: %d %v\n%s", code, r.HotspotActive(), page)
	}
}

// TestTrialLink: with login-by=trial the page offers the trial link with
// the client's MAC, and following it logs the client in as T-<MAC>.
func TestTrialLink(t *testing.T) {
	r, login, _ := start(t, "/ip hotspot profile set default login-by=http-chap,trial\n")
	_, _, page := body(t, fetch(noFollow.Get(login+"/login")))
	const link = "/login?dst=&amp;username=T-02%3A00%3A00%3A00%3A00%3A10"
	if !strings.Contains(page, link) {
		t.Fatalf("no trial link:\n%s", page)
	}
	_, _, page = body(t, fetch(noFollow.Get(login+strings.ReplaceAll(link, "&amp;", "&"))))
	if !strings.Contains(page, "Welcome T-02:00:00:00:00:10") || len(r.HotspotActive()) != 1 {
		t.Errorf("trial login: %v\n%s", r.HotspotActive(), page)
	}
}

// TestStopsWithoutServer: the page listens only while a server is enabled.
func TestStopsWithoutServer(t *testing.T) {
	r, login, _ := start(t, "")
	if _, err := r.Run(context.Background(), "/ip hotspot set hs1 disabled=yes"); err != nil {
		t.Fatal(err)
	}
	for range 1000 { // 10 s, as start waits
		if _, err := noFollow.Get(login + "/login"); err != nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Error("login page still answers with the server disabled")
}

// TestWalledGardenHost: a request to a host the walled garden allows is
// forwarded to where the client sent it; another host, or one a deny
// entry before it names, is redirected to the login page.
func TestWalledGardenHost(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "site %s %s", r.Host, r.URL.Path)
	}))
	defer site.Close()
	dst := netip.MustParseAddrPort(site.Listener.Addr().String())
	_, _, proxy := startOrig(t, "/ip hotspot walled-garden add dst-host=deny.example.org action=deny\n/ip hotspot walled-garden add dst-host=*.example.org\n",
		func(net.Conn) (netip.AddrPort, bool) { return dst, true })
	get := func(host string) (int, string) {
		req, _ := http.NewRequest("GET", proxy+"/news", nil)
		req.Host = host
		code, _, page := body(t, fetch(noFollow.Do(req)))
		return code, page
	}
	if code, page := get("www.Example.org"); code != http.StatusOK || page != "site www.Example.org /news" {
		t.Errorf("allowed host: %d %q", code, page)
	}
	for _, h := range []string{"example.com", "deny.example.org"} {
		if code, _ := get(h); code != http.StatusFound {
			t.Errorf("%s: %d, want the redirect", h, code)
		}
	}
}

// TestOnLogin: the user profile's on-login script runs after the login,
// with the session's variables.
func TestOnLogin(t *testing.T) {
	r, login, _ := start(t, "/ip hotspot user profile set default on-login=\":log info (\\\"hs-login \\\" . \\$user . \\\" \\\" . \\$address . \\\" \\\" . \\$\\\"mac-address\\\")\"\n")
	body(t, fetch(noFollow.Get(login+"/login?username=alice&password=secret")))
	for range 200 {
		out, _ := r.Run(context.Background(), "/log print")
		if strings.Contains(out, "hs-login alice 127.0.0.1 02:00:00:00:00:10") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	out, _ := r.Run(context.Background(), "/log print")
	t.Errorf("on-login did not log:\n%s", out)
}

// TestProxyNotRedirected: a request sent to the proxy's port itself (its
// original destination is the proxy) is answered with the redirect to the
// login page even when the walled garden allows every host: forwarding it
// sent it back to the proxy, from the router's address, without end.
func TestProxyNotRedirected(t *testing.T) {
	local := func(c net.Conn) (netip.AddrPort, bool) {
		ap, err := netip.ParseAddrPort(c.LocalAddr().String())
		return ap, err == nil
	}
	_, _, proxy := startOrig(t, "/ip hotspot walled-garden add dst-host=*\n", local)
	req, _ := http.NewRequest("GET", proxy+"/", nil)
	req.Host = "www.example.org"
	code, loc, _ := body(t, fetch(noFollow.Do(req)))
	if code != http.StatusFound || !strings.HasPrefix(loc, "http://127.0.0.1/login?dst=") {
		t.Errorf("a request to the proxy's own port: %d %q, want the redirect to the login page", code, loc)
	}
}
