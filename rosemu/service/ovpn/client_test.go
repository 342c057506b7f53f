package ovpn

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netns"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/files"
)

// TestClientDials runs two routers in two network namespaces joined by a
// veth pair: rosemu's OpenVPN server on one (198.51.100.1) and
// /interface ovpn-client on the other (198.51.100.2), which trusts the
// server's CA imported from a file. With alice's password the client
// comes up (status connected, running, the pushed address and the
// server's side as its session), the server lists alice in /ppp active,
// and a TCP exchange crosses the tunnel. The controls: a wrong password
// never connects, and a disabled client ends the server's session. A
// client with verify-server-certificate=no connects as well.
func TestClientDials(t *testing.T) {
	if testing.Short() || os.Geteuid() != 0 {
		t.Skip("needs root and no -short: makes namespaces, a veth pair and TUNs")
	}
	if _, err := exec.LookPath("openvpn"); err != nil {
		t.Skip("needs openvpn (Debian's package)")
	}
	nss, hs := netnstest.New(t, 2)
	nsR, nsC := nss[0], nss[1]
	netnstest.Veth(t, hs[0], hs[1], "ether1", nsC, "ether1", "198.51.100.1/24", "198.51.100.2/24")
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	in := func(ns int) (func(*exec.Cmd) error, func(string, int) error) {
		h := nss[ns]
		return func(c *exec.Cmd) (err error) {
				netnstest.In(t, h, func() { err = c.Start() })
				return err
			}, func(name string, mtu int) (err error) {
				netnstest.In(t, h, func() { err = linkUp(name, mtu) })
				return err
			}
	}
	srv := New(log.With("router", "server"))
	srv.start, _ = in(0)
	srv.routerNS = func() (netns.NsHandle, error) { return dupNetns(nsR) }
	cli := NewClients(log.With("router", "client"))
	cli.start, cli.linkUp = in(1)

	rs := config.New(config.Options{Ports: []string{"ether1"}, OVPNServer: srv})
	if _, err := rs.Run(context.Background(), `/ip pool add name=vpn ranges=10.88.0.10-10.88.0.20
/ppp profile add name=vpn local-address=10.88.0.1 remote-address=vpn
/ppp secret add name=alice password=a1 profile=vpn
/certificate add name=ca common-name=ca key-usage=key-cert-sign,crl-sign
/certificate add name=srv common-name=198.51.100.1
/certificate sign ca
/certificate sign srv ca=ca
/interface ovpn-server server set enabled=yes certificate=srv default-profile=vpn cipher=aes256-gcm
`); err != nil {
		t.Fatal(err)
	}
	store := &files.Store{}
	if err := store.WriteFile("ca.pem", []byte(rs.OVPNServers()[0].CAPEM)); err != nil {
		t.Fatal(err)
	}
	rc := config.New(config.Options{Ports: []string{"ether1"}, OVPNClient: cli, Files: store})
	run := func(r *config.Router, src string) string {
		t.Helper()
		out, err := r.Run(context.Background(), src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		return strings.TrimSpace(out)
	}
	run(rc, `/certificate import file-name=ca.pem name=ca passphrase=""
/certificate set ca_0 trusted=yes
/interface ovpn-client add name=c1 connect-to=198.51.100.1 user=alice password=a1 cipher=aes256-gcm verify-server-certificate=yes
/interface ovpn-client add name=c2 connect-to=198.51.100.1 user=alice password=wrong cipher=aes256-gcm verify-server-certificate=yes
/interface ovpn-client add name=c3 connect-to=198.51.100.1 user=alice password=a1 cipher=aes256-gcm disabled=yes
`)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	go func() { _ = srv.Run(ctx, rs); done <- struct{}{} }()
	go func() { _ = cli.Run(ctx, rc); done <- struct{}{} }()
	defer func() { cancel(); <-done; <-done }()

	status := func(name string) string {
		return run(rc, `:put ([/interface ovpn-client get `+name+` status]." ".[/interface ovpn-client get `+name+` running])`)
	}
	for deadline := time.Now().Add(30 * time.Second); status("c1") != "connected true"; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("c1: %q, want connected", status("c1"))
		}
	}
	if got := run(rc, `:put ([/interface ovpn-client monitor c1 once as-value]->"local-address")`); got != "10.88.0.10" {
		t.Errorf("c1's local address %q, want the pool's 10.88.0.10", got)
	}
	if got := run(rs, `:put [:len [/ppp active find name=alice service=ovpn]]`); got != "1" {
		t.Errorf("the server's /ppp active has %s alice sessions, want 1 (c2 has the wrong password)", got)
	}
	// c2's login is refused (the server logs it) and c2 stays down.
	for deadline := time.Now().Add(30 * time.Second); run(rs, `:put [:len [/log find message~"alice authentication failed"]]`) == "0"; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("c2's login never reached the server")
		}
	}
	if got := status("c2"); got == "connected true" {
		t.Errorf("c2 with a wrong password: %q", got)
	}

	// The kernels' side of the sessions by hand, as the engines put it.
	ip := func(ns int, args ...string) {
		t.Helper()
		var b []byte
		var err error
		netnstest.In(t, nss[ns], func() { b, err = exec.Command("ip", args...).CombinedOutput() })
		if err != nil {
			t.Fatalf("ip %v: %v %s", args, err, b)
		}
	}
	ip(0, "addr", "add", "10.88.0.1/32", "peer", "10.88.0.10", "dev", "<ovpn-alice>")
	ip(1, "addr", "add", "10.88.0.10/32", "peer", "10.88.0.1", "dev", "c1")
	if err := exchange(t, nsR, nsC, "10.88.0.1:7777"); err != nil {
		t.Fatalf("TCP through c1's tunnel: %v", err)
	}

	run(rc, "/interface ovpn-client disable c1")
	for deadline := time.Now().Add(15 * time.Second); run(rs, `:put [:len [/ppp active find]]`) != "0"; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the server keeps alice's session after the client is disabled")
		}
	}

	// verify-server-certificate=no (c3): any certificate is taken.
	run(rc, "/interface ovpn-client disable c2\n/interface ovpn-client enable c3")
	for deadline := time.Now().Add(30 * time.Second); status("c3") != "connected true"; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("c3 (verify-server-certificate=no): %q, want connected", status("c3"))
		}
	}
}
