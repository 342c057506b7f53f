package ipsec

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestTunnel brings a site-to-site IKEv2 tunnel up between two routers in
// two namespaces (WAN 198.51.100.0/24, LAN A 192.168.1.0/24 behind a,
// LAN B 192.168.2.0/24 behind b, each LAN a host of its own) with a
// masquerade on the WAN that leaves the policy's traffic out
// (ipsec-policy=out,none, as defconf's). LAN A's host reaches LAN B's
// over TCP and the server sees LAN A's address; both SAs count the
// packets, active-peers and installed-sa list them. The controls: with a
// wrong secret on b no SA comes up and the connection fails (level=require
// drops it); a masquerade without the bypass translates the packets, the
// policy no longer covers them and they leave in clear text: the server
// sees a's WAN address; a proposal that no longer matches leaves no SA
// installed and the traffic dropped.
func TestTunnel(t *testing.T) {
	if testing.Short() || os.Geteuid() != 0 {
		t.Skip("needs root and no -short: makes namespaces, veth pairs and charon's TUN")
	}
	if _, err := os.Stat(Charon); err != nil {
		t.Skip("needs strongSwan's charon (scripts/ensure-strongswan.sh)")
	}
	pid := os.Getpid()
	ra, rb, ha, hb := fmt.Sprintf("rosemu-ipsec%d-a", pid), fmt.Sprintf("rosemu-ipsec%d-b", pid), fmt.Sprintf("rosemu-ipsec%d-ha", pid), fmt.Sprintf("rosemu-ipsec%d-hb", pid)
	sh := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	for _, ns := range []string{ra, rb, ha, hb} {
		ns := ns
		t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
		sh("netns", "add", ns)
	}
	sh("link", "add", "w1", "netns", ra, "type", "veth", "peer", "name", "w2", "netns", rb)
	sh("link", "add", "la", "netns", ra, "type", "veth", "peer", "name", "h0", "netns", ha)
	sh("link", "add", "lb", "netns", rb, "type", "veth", "peer", "name", "h0", "netns", hb)
	for _, x := range [][3]string{{ra, "w1", "198.51.100.1/24"}, {ra, "la", "192.168.1.1/24"}, {rb, "w2", "198.51.100.2/24"}, {rb, "lb", "192.168.2.1/24"},
		{ha, "h0", "192.168.1.10/24"}, {hb, "h0", "192.168.2.10/24"}} {
		sh("-n", x[0], "addr", "add", x[2], "dev", x[1])
		sh("-n", x[0], "link", "set", x[1], "up")
		sh("-n", x[0], "link", "set", "lo", "up")
	}
	sh("-n", ha, "route", "add", "default", "via", "192.168.1.1")
	sh("-n", hb, "route", "add", "default", "via", "192.168.2.1")
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	router := func(ns, wan, lan string, side string) *config.Router {
		dp, err := kernel.Setup(kernel.SetupOptions{Netns: ns, Ports: []kernel.Port{
			{Name: "ether1", Subnet: netip.MustParsePrefix("198.51.100.0/24")}, {Name: "ether2", Subnet: netip.MustParsePrefix(lan)}}})
		if err != nil {
			t.Fatalf("Setup: %v", err)
		}
		t.Cleanup(func() { dp.Close() })
		svc := New(log.With("router", side))
		svc.start = func(c *exec.Cmd) (err error) { netnstest.InNamed(t, ns, func() { err = c.Start() }); return err }
		svc.inNS = func(f func() error) (err error) { netnstest.InNamed(t, ns, func() { err = f() }); return err }
		r := config.New(config.Options{Ports: []string{"ether1", "ether2"}, Kernel: dp, IPsec: svc})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { svc.Run(ctx, r); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
		return r
	}
	a := router(ra, "198.51.100.1", "192.168.1.0/24", "a")
	b := router(rb, "198.51.100.2", "192.168.2.0/24", "b")
	run := func(r *config.Router, src string) string {
		t.Helper()
		out, err := r.Run(context.Background(), src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		return out
	}
	site := func(me, them, myLAN, theirLAN, secret string) string {
		return fmt.Sprintf(`/ip address add address=%[1]s/24 interface=ether1
/ip address add address=%[6]s interface=ether2
/ip route add gateway=%[2]s
/ip ipsec profile add name=s2s enc-algorithm=aes-256 hash-algorithm=sha256 dh-group=modp2048
/ip ipsec proposal add name=s2s enc-algorithms=aes-256-cbc auth-algorithms=sha256 pfs-group=modp2048
/ip ipsec peer add name=other address=%[2]s/32 local-address=%[1]s exchange-mode=ike2 profile=s2s
/ip ipsec identity add peer=other secret=%[5]s
/ip ipsec policy add src-address=%[3]s dst-address=%[4]s tunnel=yes peer=other proposal=s2s
/ip firewall nat add chain=srcnat action=masquerade out-interface=ether1 ipsec-policy=out,none
`, me, them, myLAN, theirLAN, secret, strings.Replace(myLAN, ".0/", ".1/", 1))
	}
	run(a, site("198.51.100.1", "198.51.100.2", "192.168.1.0/24", "192.168.2.0/24", "s3cret"))
	run(b, site("198.51.100.2", "198.51.100.1", "192.168.2.0/24", "192.168.1.0/24", "wrong"))

	// The server on LAN B's host reports the source address it sees.
	var ln net.Listener
	netnstest.InNamed(t, hb, func() {
		var err error
		if ln, err = net.Listen("tcp", "192.168.2.10:8080"); err != nil {
			t.Fatal(err)
		}
	})
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			fmt.Fprintf(c, "%s\n", c.RemoteAddr().(*net.TCPAddr).IP)
			c.Close()
		}
	}()
	dial := func() string {
		var got string
		netnstest.InNamed(t, ha, func() {
			c, err := net.DialTimeout("tcp", "192.168.2.10:8080", 3*time.Second)
			if err != nil {
				got = "error: " + err.Error()
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(3 * time.Second))
			buf := make([]byte, 64)
			n, _ := c.Read(buf)
			got = strings.TrimSpace(string(buf[:n]))
		})
		return got
	}
	established := func(r *config.Router, want bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			out := run(r, "/ip ipsec installed-sa print count-only")
			if (strings.TrimSpace(out) == "2") == want {
				return
			}
			time.Sleep(300 * time.Millisecond)
		}
		t.Fatalf("installed-sa: want up=%v; active-peers:\n%s", want, run(r, "/ip ipsec active-peers print"))
	}

	// Control: b's secret is wrong, no SA, level=require drops.
	time.Sleep(6 * time.Second)
	if out := strings.TrimSpace(run(a, "/ip ipsec installed-sa print count-only")); out != "0" {
		t.Fatalf("installed-sa with a wrong secret: %s", out)
	}
	if got := dial(); !strings.HasPrefix(got, "error") {
		t.Fatalf("with a wrong secret the connection went through: %s", got)
	}

	run(b, "/ip ipsec identity set [find] secret=s3cret")
	established(a, true)
	established(b, true)
	if got := dial(); got != "192.168.1.10" {
		for _, ns := range []string{ra, rb} {
			out, _ := exec.Command("ip", "netns", "exec", ns, "sh", "-c", "nft list ruleset; ip route; ip rule; ip -br link").CombinedOutput()
			t.Logf("%s:\n%s", ns, out)
		}
		t.Logf("installed-sa:\n%s", run(a, "/ip ipsec installed-sa print"))
		t.Fatalf("through the tunnel the server saw %q, want 192.168.1.10", got)
	}
	if out := run(a, "/ip ipsec active-peers print"); !strings.Contains(out, "established") || !strings.Contains(out, "198.51.100.2") {
		t.Errorf("active-peers:\n%s", out)
	}

	// Control: a masquerade before the bypass takes the traffic out of
	// the policy.
	run(a, "/ip firewall nat add chain=srcnat action=masquerade out-interface=ether1 place-before=0")
	if got := dial(); got != "198.51.100.1" {
		t.Fatalf("with a masquerade first the server saw %q, want a's WAN address in clear text", got)
	}

	// Control: b's proposal no longer matches a's: the child SA is
	// refused (NO_PROPOSAL_CHOSEN), nothing is installed at either end
	// and level=require drops the traffic.
	run(a, "/ip firewall nat remove 0")
	run(b, "/ip ipsec proposal set s2s enc-algorithms=aes-128-cbc")
	established(b, false)
	established(a, false)
	if got := dial(); !strings.HasPrefix(got, "error") {
		t.Fatalf("with a proposal mismatch the connection went through: %s", got)
	}
}
