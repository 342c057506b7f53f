package l2tpserver

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/service/internal/pppsession"
	"github.com/chrlab/chrlab/rosemu/service/l2tp"
	"github.com/chrlab/chrlab/rosemu/service/ppp"
)

// TestServeSessions runs the manager on a router's configuration in one
// network namespace and L2TP clients in another, joined by a veth pair
// (198.51.100.1 the router, .2 the client): a road warrior with the
// secret's password comes up with the pool's address, the router has a
// TUN of the session's name (<l2tp-alice>, or a binding's) and /ppp
// active lists it with service l2tp and the client's address as
// caller-id; /ppp active remove ends it. The controls: a wrong password,
// a secret for PPPoE only, max-sessions, use-ipsec=required (no answer at
// all) and a disabled server get no session.
func TestServeSessions(t *testing.T) {
	if testing.Short() || os.Geteuid() != 0 {
		t.Skip("needs root and no -short: makes namespaces, a veth pair and TUN devices")
	}
	nss, hs := netnstest.New(t, 2)
	nsR, nsC := nss[0], nss[1]
	hR, hC := hs[0], hs[1]
	netnstest.Veth(t, hR, hC, "ether1", nsC, "eth0", "198.51.100.1/24", "198.51.100.2/24")

	m := New(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	// binds counts the server's sockets and bound is the last: a
	// change of the server's settings restarts it, and the test waits
	// for the new server's socket, not a fixed time (a sleep of 300 ms
	// was shorter than a restart on a loaded machine, and the old
	// server answered the next client).
	var binds atomic.Int32
	var bound atomic.Pointer[net.UDPConn]
	m.listen = func() (pc *net.UDPConn, err error) {
		netnstest.In(t, nsR, func() { pc, err = listen() })
		if err == nil {
			bound.Store(pc)
			binds.Add(1)
		}
		return pc, err
	}
	m.sessions.OpenTUN = func(name string, mtu int) (f *os.File, err error) {
		netnstest.In(t, nsR, func() { f, err = pppsession.OpenTUN(name, mtu) })
		return f, err
	}
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}, L2TPServer: m})
	if _, err := r.Run(context.Background(), `/ip pool add name=vpn ranges=10.88.0.10-10.88.0.20
/ppp profile add name=vpn local-address=10.88.0.1 remote-address=vpn
/ppp secret add name=alice password=a1 profile=vpn service=l2tp
/ppp secret add name=bob password=b2 profile=vpn
/ppp secret add name=dave password=d4 profile=vpn service=pppoe
/interface l2tp-server add name=l2tp-bob user=bob
/interface l2tp-server server set enabled=yes default-profile=vpn
`); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, r) }()
	defer func() { cancel(); <-done }()

	// A closed or refused client's tunnel retransmits its StopCCN after
	// Dial or Close has returned, logging through t.Logf: the test ends
	// only once every one has ended, while the server still answers them.
	// It ended before, and a late line panicked ("Log in goroutine after
	// TestServeSessions has completed").
	var tunnels sync.WaitGroup
	defer func() {
		gone := make(chan struct{})
		go func() { tunnels.Wait(); close(gone) }()
		select {
		case <-gone:
		case <-time.After(15 * time.Second):
			t.Fatal("a client's tunnel outlived its session by 15 s")
		}
	}()
	server := netip.MustParseAddrPort("198.51.100.1:1701")
	dial := func(user, pass string, wait time.Duration) (s *l2tp.Session, err error) {
		dctx, dcancel := context.WithTimeout(ctx, wait)
		defer dcancel()
		netnstest.In(t, nsC, func() {
			s, err = l2tp.Dial(dctx, server, l2tp.ClientConfig{HostName: "roadwarrior", PPP: ppp.Config{User: user, Password: pass}, Log: t.Logf, Tunnels: &tunnels})
		})
		return s, err
	}
	waitTUN := func(name string, present bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			lk, err := hR.LinkByName(kernel.LinkName(name))
			if present && err == nil && lk.Attrs().Flags&1 != 0 || !present && err != nil {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("TUN %s present=%v: %v", name, !present, err)
			}
		}
	}
	// restarted waits until the server has bound its socket more than
	// before times: the new server's, which binds only once the old
	// one's socket is closed (the port is taken until then).
	restarted := func(before int32) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); binds.Load() <= before; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the server did not bind its port again in 10 s (%d binds)", binds.Load())
			}
		}
	}
	// change runs a change of the server's settings and waits for the
	// server it restarts.
	change := func(src string) {
		t.Helper()
		before := binds.Load()
		if _, err := r.Run(context.Background(), src); err != nil {
			t.Fatal(err)
		}
		restarted(before)
	}
	restarted(0)

	if _, err := dial("alice", "wrong", 15*time.Second); !errors.Is(err, ppp.ErrAuth) {
		t.Errorf("wrong password: %v, want refused", err)
	}
	if _, err := dial("dave", "d4", 15*time.Second); !errors.Is(err, ppp.ErrAuth) {
		t.Errorf("a secret for service pppoe: %v, want refused", err)
	}
	c, err := dial("alice", "a1", 15*time.Second)
	if err != nil {
		t.Fatalf("alice: %v", err)
	}
	defer c.Close()
	if c.PPP.Local.String() != "10.88.0.10" || c.PPP.Peer.String() != "10.88.0.1" {
		t.Fatalf("alice got %s, peer %s", c.PPP.Local, c.PPP.Peer)
	}
	waitTUN("<l2tp-alice>", true)
	out, err := r.Run(context.Background(), ":put ([/ppp active get [find name=alice] address].\" \".[/ppp active get [find name=alice] service].\" \".[/ppp active get [find name=alice] caller-id])")
	if err != nil || strings.TrimSpace(out) != "10.88.0.10 l2tp 198.51.100.2" {
		t.Fatalf("/ppp active: %q, %v", out, err)
	}
	// bob's session takes the name of his static binding.
	b, err := dial("bob", "b2", 15*time.Second)
	if err != nil {
		t.Fatalf("bob: %v", err)
	}
	waitTUN("l2tp-bob", true)
	b.Close()
	waitTUN("l2tp-bob", false)

	if _, err := r.Run(context.Background(), "/ppp active remove [find name=alice]"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the session lives on after /ppp active remove")
	}
	waitTUN("<l2tp-alice>", false)

	// max-sessions=1: a second session is refused while the first lasts.
	// The engine counts at login; the server keeps running.
	if _, err := r.Run(context.Background(), "/interface l2tp-server server set max-sessions=1"); err != nil {
		t.Fatal(err)
	}
	c, err = dial("alice", "a1", 15*time.Second)
	if err != nil {
		t.Fatalf("alice under max-sessions=1: %v", err)
	}
	if _, err := dial("bob", "b2", 15*time.Second); !errors.Is(err, ppp.ErrAuth) {
		t.Errorf("a second session over max-sessions=1: %v, want refused", err)
	}
	c.Close()

	// use-ipsec=required: clear L2TP gets no answer, so no session.
	change("/interface l2tp-server server set max-sessions=unlimited use-ipsec=required")
	if _, err := dial("alice", "a1", 3*time.Second); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("use-ipsec=required: %v, want no answer", err)
	}
	// use-ipsec=yes takes a client without IPsec.
	change("/interface l2tp-server server set use-ipsec=yes")
	c, err = dial("alice", "a1", 15*time.Second)
	if err != nil {
		t.Fatalf("use-ipsec=yes, a clear client: %v", err)
	}
	c.Close()

	if _, err := r.Run(context.Background(), "/interface l2tp-server server set enabled=no"); err != nil {
		t.Fatal(err)
	}
	// A disabled server closes its socket: wait for that.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		rc, err := bound.Load().SyscallConn()
		if err == nil {
			err = rc.Control(func(uintptr) {})
		}
		if err != nil {
			break // closed
		}
		if time.Now().After(deadline) {
			t.Fatal("the disabled server's socket is still open after 10 s")
		}
	}
	if _, err := dial("alice", "a1", 3*time.Second); err == nil {
		t.Error("a disabled server let alice in")
	}
}
