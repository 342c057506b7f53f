package pppoeserver

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/service/internal/pppsession"
	"github.com/chrlab/chrlab/rosemu/service/pppoe"
)

// TestServeSessions runs the manager on a router's configuration in one
// network namespace and PPPoE clients in another, joined by a veth pair:
// a client with the secret's password comes up with the pool's address and
// the profile's DNS, the router's side has a TUN of the session's name and
// /ppp active lists it, and /ppp active remove ends it. The controls: a
// wrong password and a disabled secret get no session, and a disabled
// server answers no discovery.
func TestServeSessions(t *testing.T) {
	if testing.Short() || os.Geteuid() != 0 {
		t.Skip("needs root and no -short: makes namespaces, a veth pair and TUN devices")
	}
	r, hR, links, dial := serveLab(t, `/ip pool add name=subs ranges=10.77.0.10-10.77.0.20
/ppp profile add name=subs local-address=10.77.0.1 remote-address=subs dns-server=192.0.2.53
/ppp secret add name=alice password=a1 profile=subs
/ppp secret add name=erin password=e5 profile=subs disabled=yes
/interface pppoe-server server add interface=ether2 service-name=home disabled=no
`)

	if _, err := dial("alice", "wrong"); !errors.Is(err, pppoe.ErrAuth) {
		t.Errorf("wrong password: %v, want refused", err)
	}
	if _, err := dial("erin", "e5"); !errors.Is(err, pppoe.ErrAuth) {
		t.Errorf("disabled secret: %v, want refused", err)
	}
	c, err := dial("alice", "a1")
	if err != nil {
		t.Fatalf("alice: %v", err)
	}
	defer c.Close()
	if c.Auth != pppoe.MSCHAPv2 {
		t.Errorf("alice logged in with %q: the default authentication should start with mschap2", c.Auth)
	}
	if c.Local.String() != "10.77.0.10" || c.Peer.String() != "10.77.0.1" || len(c.DNS) != 1 || c.DNS[0].String() != "192.0.2.53" {
		t.Fatalf("alice got %s, peer %s, DNS %v", c.Local, c.Peer, c.DNS)
	}
	// The router's TUN comes up a moment after IPCP.
	var lk netlink.Link
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if lk, err = hR.LinkByName(kernel.LinkName("<pppoe-alice>")); err == nil && lk.Attrs().Flags&1 != 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no TUN <pppoe-alice> up in the router: %v", err)
		}
	}
	out, err := r.Run(context.Background(), ":put [/ppp active get [find name=alice] address]")
	if err != nil || strings.TrimSpace(out) != "10.77.0.10" {
		t.Fatalf("/ppp active: %q, %v", out, err)
	}

	if _, err := r.Run(context.Background(), "/ppp active remove [find name=alice]"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the session lives on after /ppp active remove")
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := hR.LinkByName(kernel.LinkName("<pppoe-alice>")); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the TUN of a removed session is still there")
		}
	}

	// authentication= is enforced: a server for chap alone turns away a
	// client that allows only mschap2 and lets one that allows all in
	// by chap.
	links.change(t, r, "/interface pppoe-server server set [find] authentication=chap", 1)
	if _, err := dial("alice", "a1", pppoe.MSCHAPv2); !errors.Is(err, pppoe.ErrNoCommonAuth) {
		t.Errorf("mschap2-only client of a chap server: %v, want no common protocol", err)
	}
	c, err = dial("alice", "a1")
	if err != nil {
		t.Fatalf("alice on a chap server: %v", err)
	}
	if c.Auth != pppoe.CHAP {
		t.Errorf("alice on a chap server logged in with %q", c.Auth)
	}
	c.Close()

	links.change(t, r, "/interface pppoe-server server disable [find]", 0)
	if _, err := dial("alice", "a1"); !errors.Is(err, pppoe.ErrNoServer) {
		t.Errorf("disabled server: %v, want no answer", err)
	}
}

// dialer dials the lab's PPPoE server as user from the client's side.
type dialer func(user, pass string, allow ...pppoe.Auth) (*pppoe.Conn, error)

// serverLinks counts the links the servers opened and those still open. A
// change of a server's settings restarts it: the old server answers
// discovery until it has closed its link, and the new one from when it has
// opened its own (a packet socket is not exclusive: both can be open). A
// fixed sleep of 200 ms after the change was shorter than that on a
// loaded machine.
type serverLinks struct {
	opened, open atomic.Int32
}

// countedLink is a server's link that tells serverLinks when it closes.
type countedLink struct {
	pppoe.Link
	links *serverLinks
	once  sync.Once
}

func (l *countedLink) Close() error {
	l.once.Do(func() { l.links.open.Add(-1) })
	return l.Link.Close()
}

// change runs src on r and waits until the servers it restarted have
// opened their links and the old ones have closed theirs: open links
// remain.
func (s *serverLinks) change(t *testing.T, r *config.Router, src string, open int32) {
	t.Helper()
	before := s.opened.Load()
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); open > 0 && s.opened.Load() <= before || s.open.Load() != open; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after %q: %d links opened since, %d open, want %d open", src, s.opened.Load()-before, s.open.Load(), open)
		}
	}
}

// serveLab runs the manager on a router configured with cfg in one network
// namespace, its ether2 a veth pair's end whose other end, eth0, is in
// another namespace the returned dialer dials from. It returns the router,
// the netlink handle of its namespace and the count of the servers'
// links; the test's cleanup stops it.
func serveLab(t *testing.T, cfg string) (*config.Router, *netlink.Handle, *serverLinks, dialer) {
	t.Helper()
	nss, hs := netnstest.New(t, 2)
	nsR, nsC := nss[0], nss[1]
	hR, hC := hs[0], hs[1]
	netnstest.Veth(t, hR, hC, "ether2", nsC, "eth0")

	m := New(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	links := &serverLinks{}
	m.openLink = func(name string) (l pppoe.Link, err error) {
		netnstest.In(t, nsR, func() { l, err = pppoe.OpenLink(name) })
		if err != nil {
			return nil, err
		}
		links.open.Add(1)
		links.opened.Add(1)
		return &countedLink{Link: l, links: links}, nil
	}
	m.sessions.OpenTUN = func(name string, mtu int) (f *os.File, err error) {
		netnstest.In(t, nsR, func() { f, err = pppsession.OpenTUN(name, mtu) })
		return f, err
	}
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}, PPPoEServer: m})
	if _, err := r.Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, r) }()
	t.Cleanup(func() { cancel(); <-done })

	return r, hR, links, func(user, pass string, allow ...pppoe.Auth) (*pppoe.Conn, error) {
		var l pppoe.Link
		var err error
		netnstest.In(t, nsC, func() { l, err = pppoe.OpenLink("eth0") })
		if err != nil {
			t.Fatal(err)
		}
		dctx, dcancel := context.WithTimeout(ctx, 15*time.Second)
		defer dcancel()
		return pppoe.Dial(dctx, l, pppoe.ClientConfig{User: user, Password: pass, Allow: allow, Keepalive: 5 * time.Second, Log: t.Logf})
	}
}

// TestSessionTimeout: the profile's session-timeout ends a session when it
// has been up that long, and the log says why; a session of a profile
// without one stays (the control). Before f71 (D6) the setting was stored
// only and a prepaid customer's session never ended.
func TestSessionTimeout(t *testing.T) {
	if testing.Short() || os.Geteuid() != 0 {
		t.Skip("needs root and no -short: makes namespaces, a veth pair and TUN devices")
	}
	r, alice, bob := aliceAndBob(t, "session-timeout=2s")
	select {
	case <-alice.Done():
	case <-time.After(8 * time.Second):
		t.Fatal("alice's session lives on after its session-timeout of 2s")
	}
	select {
	case <-bob.Done():
		t.Error("bob's session, without session-timeout, ended")
	default:
	}
	aliceLogSays(t, r, "session timeout")
}

// TestIdleTimeout: the profile's idle-timeout ends a session from which
// nothing has come for that long; a session that keeps sending stays past
// it, and a session of a profile without one stays idle (the control).
// Before f71 (D8) the setting was stored only.
func TestIdleTimeout(t *testing.T) {
	if testing.Short() || os.Geteuid() != 0 {
		t.Skip("needs root and no -short: makes namespaces, a veth pair and TUN devices")
	}
	r, alice, bob := aliceAndBob(t, "idle-timeout=2s")
	// A UDP datagram from alice's address to the router's, every half
	// second for 4 s: twice her idle-timeout, and she stays.
	pkt := []byte{0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 77, 0, 10, 10, 77, 0, 1, 0x30, 0x39, 0x30, 0x39, 0, 8, 0, 0}
	for end := time.Now().Add(4 * time.Second); time.Now().Before(end); time.Sleep(500 * time.Millisecond) {
		if err := alice.WritePacket(append([]byte(nil), pkt...)); err != nil {
			t.Fatalf("alice's session ended while she sent: %v", err)
		}
	}
	select {
	case <-alice.Done():
		t.Fatal("alice's session ended while she sent")
	default:
	}
	select {
	case <-alice.Done():
	case <-time.After(6 * time.Second):
		t.Fatal("alice's session lives on, idle past its idle-timeout of 2s")
	}
	select {
	case <-bob.Done():
		t.Error("bob's session, without idle-timeout, ended")
	default:
	}
	aliceLogSays(t, r, "idle timeout")
}

// aliceAndBob serves alice with a profile of setting (a timeout) and bob
// with a flat one, and dials both: bob first, so that his session is the
// older.
func aliceAndBob(t *testing.T, setting string) (*config.Router, *pppoe.Conn, *pppoe.Conn) {
	t.Helper()
	r, _, _, dial := serveLab(t, `/ppp profile add name=timed local-address=10.77.0.1 `+setting+`
/ppp profile add name=flat local-address=10.77.0.1
/ppp secret add name=alice password=a1 profile=timed remote-address=10.77.0.10
/ppp secret add name=bob password=b2 profile=flat remote-address=10.77.0.11
/interface pppoe-server server add interface=ether2 service-name=home disabled=no
`)
	bob, err := dial("bob", "b2")
	if err != nil {
		t.Fatalf("bob: %v", err)
	}
	t.Cleanup(func() { bob.Close() })
	alice, err := dial("alice", "a1")
	if err != nil {
		t.Fatalf("alice: %v", err)
	}
	t.Cleanup(func() { alice.Close() })
	return r, alice, bob
}

// aliceLogSays checks that the router's log names why alice's session
// ended.
//
// Her client sees the session end when the server's close reaches it,
// which can be before the server's session goroutine has logged why:
// the log is read again for up to 3 s.
func aliceLogSays(t *testing.T, r *config.Router, why string) {
	t.Helper()
	var out string
	var err error
	for end := time.Now().Add(3 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		out, err = r.Run(context.Background(), `:foreach e in=[/log find message~"alice"] do={:put [/log get $e message]}`)
		if err == nil && strings.Contains(out, why) || time.Now().After(end) {
			break
		}
	}
	if err != nil || !strings.Contains(out, why) {
		t.Errorf("log: %q, %v; want %q named", out, err, why)
	}
}
