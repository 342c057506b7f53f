// Package hotspot is the login page of rosemu's HotSpot, run while an
// /ip hotspot server is enabled. The hotspot's dynamic nat rules
// (rosemu/config/hotspot.go) redirect a client's HTTP to the router's own
// address to the login servlet's port and its HTTP to anywhere else, while
// it has not logged in, to the proxy port, as RouterOS's do (64873 and
// 64874, Manual:Customizing Hotspot). The proxy forwards a request that
// /ip hotspot walled-garden allows to where the client sent it and
// answers any other with a redirect to the login page; the login page takes a form of username and password,
// posted to /login, and logs the client in through the configuration, so
// its address joins /ip hotspot active and the authorised set the rules
// test. See docs/rosemu-menus.md.
package hotspot

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/script"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
	"github.com/chrlab/chrlab/rosemu/service/internal/reconcile"
)

// Engine is what the login page needs of the router; *config.Router
// implements it.
type Engine interface {
	HotspotRunning() bool
	HotspotFor(client netip.Addr) (config.HotspotPortal, bool)
	HotspotLogin(client netip.Addr, mac, user, password string) error
	HotspotLoggedIn(client netip.Addr) (user string, ok bool)
	HotspotExpire(now time.Time) error
	HotspotGardenAllows(config.HotspotRequest) bool
	HotspotOnLogin(client netip.Addr) (string, map[string]script.Value)
	RunScript(ctx context.Context, name, src string, vars map[string]script.Value) error
}

// Manager runs the login page while a hotspot server is enabled. Its Wake
// belongs in config.Options.OnCommit.
type Manager struct {
	// Host is the address the listeners bind ("" for every address of
	// the router's namespace; tests use 127.0.0.1).
	Host string
	// LoginPort and ProxyPort default to RouterOS's; tests set -1 for a
	// free port.
	LoginPort, ProxyPort int
	// MAC finds a client's MAC address (default: the router's ARP
	// table); "" when unknown.
	MAC func(netip.Addr) string
	// OrigDst finds where a redirected connection was sent (default:
	// the connection tracker's original destination, SO_ORIGINAL_DST).
	OrigDst func(net.Conn) (netip.AddrPort, bool)
	Log     *slog.Logger

	bell doorbell.Bell
	mu   sync.Mutex
	addr [2]*net.TCPAddr
}

// Wake tells the manager the configuration changed; it never blocks.
func (m *Manager) Wake() { m.bell.Ring() }

// Addrs are the login servlet's and the proxy's listening addresses while
// the page runs (nil otherwise).
func (m *Manager) Addrs() (login, proxy *net.TCPAddr) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.addr[0], m.addr[1]
}

// Run keeps the page in step with the configuration until ctx ends: one
// worker serves while a server is enabled (reconcile.Loop with the single
// key "on").
func (m *Manager) Run(ctx context.Context, e Engine) error {
	log := m.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var want doorbell.Latest[[]bool]
	go func() {
		for {
			want.Set([]bool{e.HotspotRunning()})
			select {
			case <-ctx.Done():
				return
			case <-m.bell.C():
			}
		}
	}()
	reconcile.Loop(ctx, &want, func(on bool) bool { return on }, func(ctx context.Context, _ bool) { m.serve(ctx, e, log) })
	return nil
}

// serve listens until ctx ends, trying again every 2 s while a port is
// taken.
func (m *Manager) serve(ctx context.Context, e Engine, log *slog.Logger) {
	for {
		stop, err := m.start(e, log)
		if err == nil {
			log.Info("hotspot: login page running")
			// Sessions past their limit-uptime or session-timeout end
			// within a second.
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					stop()
					log.Info("hotspot: login page stopped")
					return
				case now := <-tick.C:
					if err := e.HotspotExpire(now); err != nil {
						log.Warn("hotspot: expire sessions", "err", err)
					}
				}
			}
		}
		log.Warn("hotspot: start", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
	}
}

func (m *Manager) start(e Engine, log *slog.Logger) (func(), error) {
	var ls []net.Listener
	for i, p := range []int{m.LoginPort, m.ProxyPort} {
		if p == 0 {
			p = []int{config.HotspotLoginPort, config.HotspotProxyPort}[i]
		}
		// A negative port asks the kernel for a free one.
		l, err := net.Listen("tcp4", net.JoinHostPort(m.Host, strconv.Itoa(max(p, 0))))
		if err != nil {
			for _, o := range ls {
				o.Close()
			}
			return nil, err
		}
		ls = append(ls, l)
	}
	mac := m.MAC
	if mac == nil {
		mac = arpMAC
	}
	orig := m.OrigDst
	if orig == nil {
		orig = originalDst
	}
	pg := &page{e: e, mac: mac, orig: orig, log: log}
	keep := func(ctx context.Context, c net.Conn) context.Context { return context.WithValue(ctx, connKey{}, c) }
	srvs := []*http.Server{
		{Handler: http.HandlerFunc(pg.login), ReadHeaderTimeout: 10 * time.Second},
		{Handler: http.HandlerFunc(pg.proxy), ReadHeaderTimeout: 10 * time.Second, ConnContext: keep},
	}
	m.mu.Lock()
	for i, l := range ls {
		m.addr[i] = l.Addr().(*net.TCPAddr)
		go srvs[i].Serve(l)
	}
	m.mu.Unlock()
	return func() {
		for _, s := range srvs {
			s.Close()
		}
		m.mu.Lock()
		m.addr = [2]*net.TCPAddr{}
		m.mu.Unlock()
	}, nil
}

type page struct {
	e    Engine
	mac  func(netip.Addr) string
	orig func(net.Conn) (netip.AddrPort, bool)
	log  *slog.Logger
}

// connKey keeps a request's connection in its context, for its original
// destination.
type connKey struct{}

// originalDst is where a connection the nat table redirected was sent:
// the tracker's original destination (SO_ORIGINAL_DST, a sockaddr_in read
// through the IPv6 membership request it has the size of).
func originalDst(c net.Conn) (netip.AddrPort, bool) {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return netip.AddrPort{}, false
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return netip.AddrPort{}, false
	}
	var ap netip.AddrPort
	var serr error
	if err := raw.Control(func(fd uintptr) {
		m, err := unix.GetsockoptIPv6Mreq(int(fd), unix.SOL_IP, unix.SO_ORIGINAL_DST)
		if err != nil {
			serr = err
			return
		}
		port := uint16(m.Multiaddr[2])<<8 | uint16(m.Multiaddr[3])
		ap = netip.AddrPortFrom(netip.AddrFrom4([4]byte(m.Multiaddr[4:8])), port)
	}); err != nil || serr != nil {
		return netip.AddrPort{}, false
	}
	return ap, true
}

func clientOf(r *http.Request) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}, false
	}
	return ap.Addr().Unmap(), true
}

// proxy answers HTTP a client not logged in sent elsewhere: a redirect to
// the login page, with the URL it asked for as dst (RouterOS's
// redirect.html sends the browser to $(link-login-only) with dst; the
// Customizing Hotspot page lists the variables).
func (p *page) proxy(w http.ResponseWriter, r *http.Request) {
	cl, ok := clientOf(r)
	hp, found := p.e.HotspotFor(cl)
	if !ok || !found {
		http.Error(w, "not a hotspot client", http.StatusForbidden)
		return
	}
	// An HTTP request a walled-garden entry allows goes on to where the
	// client sent it, from the router, as RouterOS's proxy fetches it.
	if c, ok := r.Context().Value(connKey{}).(net.Conn); ok {
		// A connection the nat table did not redirect (sent to the
		// proxy's port itself) has nowhere else to go: forwarding it
		// would send the request back to this proxy, from the router's
		// own address, which is a client too, without end.
		if od, ok := p.orig(c); ok && od.String() != c.LocalAddr().String() {
			host := r.Host
			if h, _, err := net.SplitHostPort(host); err == nil {
				host = h
			}
			if p.e.HotspotGardenAllows(config.HotspotRequest{Client: cl, Dst: od, Host: host, Path: r.URL.Path, Method: r.Method}) {
				rp := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
					pr.Out.URL.Scheme, pr.Out.URL.Host = "http", od.String()
					pr.Out.Host = r.Host
				}}
				rp.ServeHTTP(w, r)
				return
			}
		}
	}
	dst := "http://" + r.Host + r.URL.RequestURI()
	to := "http://" + hp.Address.String() + "/login?dst=" + url.QueryEscape(dst)
	w.Header().Set("Server", "rosemu hotspot")
	w.Header().Set("Location", to)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusFound)
	// The body is redirect.html's: a page that sends the browser on
	// (RouterOS's [verify] whether it answers 302 or 200 with this).
	fmt.Fprintf(w, "<html><head><title>mikrotik hotspot &gt; redirect</title>\n<meta http-equiv=\"refresh\" content=\"0; url=%s\">\n</head><body></body></html>\n", html.EscapeString(to))
}

// login is the login servlet: GET shows the form (or the status of a
// client logged in), POST of username and password logs in.
func (p *page) login(w http.ResponseWriter, r *http.Request) {
	c, ok := clientOf(r)
	hp, found := p.e.HotspotFor(c)
	w.Header().Set("Server", "rosemu hotspot")
	if !ok || !found {
		http.Error(w, "not a hotspot client", http.StatusForbidden)
		return
	}
	dst := r.FormValue("dst")
	// The form posts to /login; RouterOS's servlet takes the same
	// fields in the query of a GET too (a link such as
	// /login?username=..&password=.. logs in) [verify].
	if r.URL.Path == "/login" && (r.Method == http.MethodPost || r.FormValue("username") != "") {
		err := p.e.HotspotLogin(c, p.mac(c), r.FormValue("username"), r.FormValue("password"))
		if err != nil {
			why := err.Error()
			if errors.Is(err, config.ErrHotspotLogin) {
				why = strings.TrimPrefix(why, config.ErrHotspotLogin.Error()+": ")
			}
			p.log.Info("hotspot: login refused", "client", c, "user", r.FormValue("username"), "why", why)
			// RouterOS shows login.html again with $(error) set.
			p.form(w, hp, c, dst, why)
			return
		}
		p.log.Info("hotspot: logged in", "client", c, "user", r.FormValue("username"))
		// The user profile's on-login script runs once the login is
		// committed, outside the request's lifetime (HotSpot page:
		// on-login, "Script name to be executed, when user logs in").
		if src, vars := p.e.HotspotOnLogin(c); src != "" {
			go func() {
				if err := p.e.RunScript(context.Background(), "hotspot on-login "+r.FormValue("username"), src, vars); err != nil {
					p.log.Warn("hotspot: on-login script failed", "err", err)
				}
			}()
		}
		if dst != "" {
			http.Redirect(w, r, dst, http.StatusFound)
			return
		}
		r.Method = http.MethodGet
	}
	if user, in := p.e.HotspotLoggedIn(c); in {
		fmt.Fprintf(w, "<html><head><title>mikrotik hotspot &gt; status</title></head><body>\n<p>Welcome %s!</p>\n<p>IP address: %s</p>\n<p>chrlab-rosemu-hotspot-status</p>\n</body></html>\n",
			html.EscapeString(user), c)
		return
	}
	p.form(w, hp, c, dst, "")
}

// form writes the login page; its marker names it for probes.
func (p *page) form(w http.ResponseWriter, hp config.HotspotPortal, c netip.Addr, dst, errMsg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<html><head><title>mikrotik hotspot &gt; login</title></head><body>\n<p>chrlab-rosemu-hotspot-login (%s)</p>\n", html.EscapeString(hp.Server))
	if errMsg != "" {
		fmt.Fprintf(w, "<p class=\"error\">%s</p>\n", html.EscapeString(errMsg))
	}
	if mac := p.mac(c); mac != "" && slices.Contains(strings.Split(hp.LoginBy, ","), "trial") {
		// login.html's free trial link: username T-$(mac-esc).
		fmt.Fprintf(w, "<p><a href=\"http://%s/login?dst=%s&amp;username=T-%s\">free trial</a></p>\n", hp.Address, url.QueryEscape(dst), url.QueryEscape(mac))
	}
	fmt.Fprintf(w, "<form name=\"login\" action=\"http://%s/login\" method=\"post\">\n<input type=\"hidden\" name=\"dst\" value=\"%s\">\n<input name=\"username\" type=\"text\">\n<input name=\"password\" type=\"password\">\n<input type=\"submit\" value=\"OK\">\n</form>\n</body></html>\n",
		hp.Address, html.EscapeString(dst))
}

// arpMAC reads a's MAC from the router's ARP table.
func arpMAC(a netip.Addr) string {
	f, err := os.Open("/proc/net/arp")
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		fs := strings.Fields(s.Text())
		if len(fs) >= 4 && fs[0] == a.String() && fs[3] != "00:00:00:00:00:00" {
			return strings.ToUpper(fs[3])
		}
	}
	return ""
}
