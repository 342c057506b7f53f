package ovpn

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vishvananda/netns"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/chrlab/chrlab/rosemu/config"
)

// syncBuffer is an openvpn client's output, read while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeClients runs the manager on a router's configuration in one
// network namespace and Debian's openvpn clients in two others, each
// joined to the router by a veth pair (198.51.100.1 the router, .2
// alice's host; 198.51.101.1 and .2 bob's): alice with her secret's
// password comes up with the pool's address, /ppp active lists her as
// <ovpn-alice> with service ovpn and her address as caller-id; bob comes
// up beside her on the same server as <ovpn-bob>; each session is an
// interface of its own in the router's namespace, and a TCP exchange
// through alice's tunnel is counted on <ovpn-alice> and not on
// <ovpn-bob> (and bob's the other way round); /ppp active remove ends her
// session and her interface; she logs in over UDP once the server takes
// protocol=udp. The controls: a wrong password, a secret for L2TP only,
// and a disabled server get no session.
func TestServeClients(t *testing.T) {
	if testing.Short() || os.Geteuid() != 0 {
		t.Skip("needs root and no -short: makes namespaces, a veth pair and a TUN")
	}
	if _, err := exec.LookPath("openvpn"); err != nil {
		t.Skip("needs openvpn (Debian's package)")
	}
	nss, hs := netnstest.New(t, 3)
	nsR, nsC, nsB := nss[0], nss[1], nss[2]
	netnstest.Veth(t, hs[0], hs[1], "ether1", nsC, "eth0", "198.51.100.1/24", "198.51.100.2/24")
	netnstest.Veth(t, hs[0], hs[2], "ether2", nsB, "eth0", "198.51.101.1/24", "198.51.101.2/24")

	m := New(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	m.start = func(c *exec.Cmd) (err error) {
		netnstest.In(t, nsR, func() { err = c.Start() })
		return err
	}
	m.routerNS = func() (netns.NsHandle, error) { return dupNetns(nsR) }
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}, OVPNServer: m})
	run := func(src string) string {
		t.Helper()
		out, err := r.Run(context.Background(), src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		return strings.TrimSpace(out)
	}
	run(`/ip pool add name=vpn ranges=10.88.0.10-10.88.0.20
/ppp profile add name=vpn local-address=10.88.0.1 remote-address=vpn
/ppp secret add name=alice password=a1 profile=vpn service=ovpn
/ppp secret add name=bob password=b2 profile=vpn service=ovpn
/ppp secret add name=dave password=d4 profile=vpn service=l2tp
/certificate add name=ca common-name=ca key-usage=key-cert-sign,crl-sign
/certificate add name=srv common-name=198.51.100.1
/certificate sign ca
/certificate sign srv ca=ca
/interface ovpn-server server set enabled=yes certificate=srv default-profile=vpn cipher=aes256-gcm,aes128 auth=sha256
`)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, r) }()
	defer func() { cancel(); <-done }()

	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, []byte(r.OVPNServers()[0].CAPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	var last *syncBuffer
	var dialFrom func(ns netns.NsHandle, server, user, pass string, wait time.Duration) (string, func())
	proto := "tcp-client"
	ciphers := []string{"--data-ciphers", "AES-256-GCM"}
	// dial runs the client until it completes its initialisation, fails
	// its login or wait passes; it returns the client's output and a
	// stop function.
	dial := func(user, pass string, wait time.Duration) (string, func()) {
		return dialFrom(nsC, "198.51.100.1", user, pass, wait)
	}
	dialFrom = func(ns netns.NsHandle, server, user, pass string, wait time.Duration) (string, func()) {
		t.Helper()
		up := filepath.Join(dir, user+".up")
		if err := os.WriteFile(up, []byte(user+"\n"+pass+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		cctx, stop := context.WithCancel(ctx)
		c := exec.CommandContext(cctx, "openvpn", "--client", "--dev", "tun", "--proto", proto,
			"--remote", server, "1194", "--ca", ca, "--auth-user-pass", up, "--auth", "SHA256",
			"--verb", "3", "--connect-retry", "1", "--connect-retry-max", "3", "--auth-retry", "none")
		c.Args = append(c.Args, ciphers...)
		out := &syncBuffer{}
		c.Stdout, c.Stderr = out, out
		var err error
		netnstest.In(t, ns, func() { err = c.Start() })
		if err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { _ = c.Wait(); close(exited) }()
		deadline := time.After(wait)
	loop:
		for !strings.Contains(out.String(), "Initialization Sequence Completed") {
			select {
			case <-exited:
				break loop
			case <-deadline:
				break loop
			case <-time.After(100 * time.Millisecond):
			}
		}
		last = out
		return out.String(), func() { stop(); <-exited }
	}
	outOf := func() string { return last.String() }
	// serving waits until an openvpn other than the one of pid has bound
	// the server's port over proto ("" for none bound), and returns its
	// pid: a fixed sleep raced openvpn's start and restart on a loaded
	// machine, and a client that dialled the old process, or none, failed.
	serving := func(proto, pid string) string {
		t.Helper()
		var now string
		for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			now = boundBy(t, nsR, "1194")
			if proto == "" && now == "" || proto != "" && strings.HasPrefix(now, proto+" ") && now != proto+" "+pid {
				return strings.TrimPrefix(now, proto+" ")
			}
			if time.Now().After(deadline) {
				t.Fatalf("port 1194: want %s bound by an openvpn other than %q, have %q", proto, pid, now)
			}
		}
	}
	pid := serving("tcp", "")

	if out, stop := dial("alice", "wrong", 15*time.Second); strings.Contains(out, "Initialization Sequence Completed") || !strings.Contains(out, "AUTH_FAILED") {
		t.Errorf("wrong password: want AUTH_FAILED, got\n%s", out)
		stop()
	} else {
		stop()
	}
	if out, stop := dial("dave", "d4", 15*time.Second); !strings.Contains(out, "AUTH_FAILED") {
		t.Errorf("a secret for service l2tp: want AUTH_FAILED, got\n%s", out)
		stop()
	} else {
		stop()
	}
	out, stop := dial("alice", "a1", 20*time.Second)
	if !strings.Contains(out, "Initialization Sequence Completed") {
		stop()
		t.Fatalf("alice did not connect:\n%s", out)
	}
	if got := run(`:put ([/ppp active get [find name=alice] address]." ".[/ppp active get [find name=alice] service]." ".[/ppp active get [find name=alice] caller-id])`); got != "10.88.0.10 ovpn 198.51.100.2" {
		stop()
		t.Fatalf("/ppp active: %q", got)
	}
	aliceOut := last
	outB, stopB := dialFrom(nsB, "198.51.101.1", "bob", "b2", 20*time.Second)
	if !strings.Contains(outB, "Initialization Sequence Completed") {
		stop()
		stopB()
		t.Fatalf("bob did not connect beside alice:\n%s", outB)
	}
	if got := run(`:put ([/ppp active get [find name=bob] address]." ".[/ppp active get [find name=bob] caller-id])`); got != "10.88.0.11 198.51.101.2" {
		stop()
		stopB()
		t.Fatalf("bob in /ppp active: %q", got)
	}
	// The engine's kernel is not in this test: the router's side of each
	// session is put on its interface by hand, as the engine does.
	ipr := func(args ...string) {
		t.Helper()
		var err error
		var b []byte
		netnstest.In(t, nsR, func() { b, err = exec.Command("ip", args...).CombinedOutput() })
		if err != nil {
			t.Fatalf("ip %v: %v %s", args, err, b)
		}
	}
	ipr("addr", "add", "10.88.0.1/32", "peer", "10.88.0.10/32", "dev", "<ovpn-alice>")
	ipr("addr", "add", "10.88.0.1/32", "peer", "10.88.0.11/32", "dev", "<ovpn-bob>")
	received := func(link string) uint64 {
		t.Helper()
		l, err := hs[0].LinkByName(link)
		if err != nil {
			t.Fatalf("the session's interface %s: %v", link, err)
		}
		return l.Attrs().Statistics.RxPackets
	}
	// A TCP connection from each client to the router's side crosses
	// its own session's interface, and only that one.
	for _, c := range []struct {
		who         string
		ns          netns.NsHandle
		mine, other string
	}{{"alice", nsC, "<ovpn-alice>", "<ovpn-bob>"}, {"bob", nsB, "<ovpn-bob>", "<ovpn-alice>"}} {
		mine, other := received(c.mine), received(c.other)
		if err := exchange(t, nsR, c.ns, "10.88.0.1:7777"); err != nil {
			stop()
			stopB()
			t.Fatalf("TCP through %s's tunnel: %v", c.who, err)
		}
		// The client's FIN leaves after exchange returns.
		time.Sleep(time.Second)
		if d := received(c.mine) - mine; d < 3 {
			t.Errorf("%s's exchange: %d packets in on %s, want its packets", c.who, d, c.mine)
		}
		if d := received(c.other) - other; d != 0 {
			t.Errorf("%s's exchange: %d packets in on %s, the other session's interface", c.who, d, c.other)
		}
	}
	stopB()
	// /ppp active remove ends the session: openvpn tells the client to
	// restart, and the session's interface goes.
	last = aliceOut
	run("/ppp active remove [find name=alice]")
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(outOf(), "SIGUSR1"); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			stop()
			t.Fatalf("the session lives on after /ppp active remove:\n%s", outOf())
		}
	}
	stop()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if _, err := hs[0].LinkByName("<ovpn-alice>"); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("<ovpn-alice> outlives her session")
		}
	}

	// RouterOS's default cipher list, blowfish128 first: a client that
	// has only BF-CBC (OpenVPN before 2.4, RouterOS 6's default) gets in
	// when OpenSSL's legacy provider is there.
	if Legacy() {
		run("/interface ovpn-server server set cipher=blowfish128,aes128")
		pid = serving("tcp", pid)
		ciphers = []string{"--providers", "legacy", "default", "--data-ciphers", "BF-CBC"}
		if out, stop := dial("alice", "a1", 20*time.Second); !strings.Contains(out, "Initialization Sequence Completed") || !strings.Contains(out, "BF-CBC") {
			stop()
			t.Fatalf("alice with BF-CBC did not connect:\n%s", out)
		} else {
			stop()
		}
		ciphers = []string{"--data-ciphers", "AES-256-GCM"}
		run("/interface ovpn-server server set cipher=aes256-gcm,aes128")
		pid = serving("tcp", pid)
	}

	// protocol=udp (RouterOS 7): the same login over UDP.
	run("/interface ovpn-server server set protocol=udp")
	serving("udp", pid)
	proto = "udp"
	if out, stop := dial("alice", "a1", 20*time.Second); !strings.Contains(out, "Initialization Sequence Completed") {
		stop()
		t.Fatalf("alice over UDP did not connect:\n%s", out)
	} else {
		stop()
	}

	run("/interface ovpn-server server set enabled=no")
	serving("", "")
	if out, stop := dial("alice", "a1", 5*time.Second); strings.Contains(out, "Initialization Sequence Completed") {
		stop()
		t.Error("a disabled server let alice in")
	} else {
		stop()
	}
}

// exchange sends a greeting over a TCP connection from namespace c to a
// listener at addr in namespace r, across the tunnel between them.
func exchange(t *testing.T, r, c netns.NsHandle, addr string) error {
	t.Helper()
	var ln net.Listener
	var err error
	netnstest.In(t, r, func() { ln, err = net.Listen("tcp4", addr) })
	if err != nil {
		return err
	}
	defer ln.Close()
	go func() {
		if conn, err := ln.Accept(); err == nil {
			_, _ = conn.Write([]byte("hello through the tunnel"))
			conn.Close()
		}
	}()
	var got []byte
	netnstest.In(t, c, func() {
		var conn net.Conn
		if conn, err = net.DialTimeout("tcp4", addr, 5*time.Second); err == nil {
			_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
			got, err = io.ReadAll(conn)
			conn.Close()
		}
	})
	if err == nil && string(got) != "hello through the tunnel" {
		err = fmt.Errorf("got %q", got)
	}
	return err
}

// boundBy says which openvpn has port bound in namespace ns: "tcp PID"
// or "udp PID" (the first socket ss lists), or "" when none has.
func boundBy(t *testing.T, ns netns.NsHandle, port string) string {
	t.Helper()
	var out []byte
	var err error
	netnstest.In(t, ns, func() {
		out, err = exec.Command("ss", "-Hlntup", "sport = :"+port).CombinedOutput()
	})
	if err != nil {
		t.Fatalf("ss: %v %s", err, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		if len(f) == 0 || !strings.Contains(l, `"openvpn"`) {
			continue
		}
		m := regexp.MustCompile(`pid=([0-9]+)`).FindStringSubmatch(l)
		if m == nil {
			continue
		}
		return f[0] + " " + m[1]
	}
	return ""
}
