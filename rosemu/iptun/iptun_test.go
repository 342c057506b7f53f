package iptun

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root for network namespaces and TUN links")
	}
}

// hostsSeq numbers the pairs twoHosts makes: the tests run in parallel,
// each mostly waiting on keepalive intervals and its controls' dial
// timeouts, so the process id alone no longer keeps two pairs apart.
var hostsSeq atomic.Int64

// twoHosts makes two namespaces joined by a veth pair: 192.0.2.1/24 in
// the first, 192.0.2.2/24 in the second.
func twoHosts(t *testing.T) (string, string) {
	t.Helper()
	n := hostsSeq.Add(1)
	a, b := fmt.Sprintf("ipt-a-%d-%d", os.Getpid(), n), fmt.Sprintf("ipt-b-%d-%d", os.Getpid(), n)
	for _, n := range []string{a, b} {
		exec.Command("ip", "netns", "del", n).Run()
		if out, err := exec.Command("ip", "netns", "add", n).CombinedOutput(); err != nil {
			t.Fatalf("ip netns add %s: %v %s", n, err, out)
		}
		t.Cleanup(func() { exec.Command("ip", "netns", "del", n).Run() })
	}
	for _, c := range [][]string{
		{"ip", "-n", a, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b},
		{"ip", "-n", a, "addr", "add", "192.0.2.1/24", "dev", "va"},
		{"ip", "-n", b, "addr", "add", "192.0.2.2/24", "dev", "vb"},
		{"ip", "-n", a, "link", "set", "va", "up"}, {"ip", "-n", b, "link", "set", "vb", "up"},
		{"ip", "-n", a, "link", "set", "lo", "up"}, {"ip", "-n", b, "link", "set", "lo", "up"},
		{"ip", "netns", "exec", a, "sysctl", "-qw", "net.ipv4.conf.all.ignore_routes_with_linkdown=1"},
	} {
		if out, err := exec.Command(c[0], c[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v %s", c, err, out)
		}
	}
	return a, b
}

// end starts a tunnel in namespace ns on link name with the tunnel
// address addr.
func end(t *testing.T, ns string, c Config, addr string) *Tunnel {
	t.Helper()
	var tun *Tunnel
	netnstest.InNamed(t, ns, func() {
		var err error
		if tun, err = Start(c); err != nil {
			t.Error(err)
			return
		}
		l, err := netlink.LinkByName(c.Link)
		if err != nil {
			t.Error(err)
			return
		}
		a, _ := netlink.ParseAddr(addr)
		if err := netlink.AddrAdd(l, a); err != nil {
			t.Error(err)
		}
		if err := netlink.LinkSetMTU(l, 1500-c.Proto.Overhead()); err != nil {
			t.Error(err)
		}
		if err := netlink.LinkSetUp(l); err != nil {
			t.Error(err)
		}
	})
	if tun == nil {
		t.FailNow()
	}
	t.Cleanup(tun.Close)
	return tun
}

// serve answers TCP on addr:7777 in ns with the address it saw.
func serve(t *testing.T, ns, addr string) {
	t.Helper()
	var ln net.Listener
	netnstest.InNamed(t, ns, func() {
		var err error
		if ln, err = net.Listen("tcp", addr+":7777"); err != nil {
			t.Error(err)
		}
	})
	if ln == nil {
		t.FailNow()
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			fmt.Fprintf(c, "saw %s", c.RemoteAddr().(*net.TCPAddr).IP)
			c.Close()
		}
	}()
}

// dial connects from ns to addr:7777 and returns what it read, or the
// error.
func dial(t *testing.T, ns, addr string, timeout time.Duration) string {
	t.Helper()
	var got string
	netnstest.InNamed(t, ns, func() {
		c, err := net.DialTimeout("tcp", addr+":7777", timeout)
		if err != nil {
			got = "error: " + err.Error()
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(timeout))
		b, err := io.ReadAll(c)
		if err != nil {
			got = "error: " + err.Error()
			return
		}
		got = string(b)
	})
	return got
}

func nft(t *testing.T, ns, rules string) {
	t.Helper()
	cmd := exec.Command("ip", "netns", "exec", ns, "nft", "-f", "-")
	cmd.Stdin = strings.NewReader(rules)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nft in %s: %v %s", ns, err, out)
	}
}

// TestCarry: TCP between the two ends' tunnel addresses crosses a GRE
// and an IPIP tunnel, each end the same code in its own namespace, and
// the far end sees the near end's tunnel address. The control: an input
// rule on the near end dropping the tunnel's protocol stops it, as on
// RouterOS (the outer packets pass the input chain before the raw
// socket).
func TestCarry(t *testing.T) {
	t.Parallel()
	needRoot(t)
	for _, p := range []Proto{GRE, IPIP} {
		t.Run(p.String(), func(t *testing.T) {
			t.Parallel()
			a, b := twoHosts(t)
			end(t, a, Config{Link: "tun1", Proto: p, Local: netip.MustParseAddr("192.0.2.1"), Remote: netip.MustParseAddr("192.0.2.2")}, "10.99.0.1/30")
			end(t, b, Config{Link: "tun1", Proto: p, Remote: netip.MustParseAddr("192.0.2.1")}, "10.99.0.2/30")
			serve(t, b, "10.99.0.2")
			if got := dial(t, a, "10.99.0.2", 3*time.Second); got != "saw 10.99.0.1" {
				t.Fatalf("through the tunnel: %q, want %q", got, "saw 10.99.0.1")
			}
			if p == GRE {
				// IPv6 inside GRE (ethertype 0x86dd).
				for ns, addr := range map[string]string{a: "fd00:99::1/64", b: "fd00:99::2/64"} {
					if out, err := exec.Command("ip", "-n", ns, "addr", "add", addr, "dev", "tun1", "nodad").CombinedOutput(); err != nil {
						t.Fatalf("%v %s", err, out)
					}
				}
				serve(t, b, "[fd00:99::2]")
				if got := dial(t, a, "[fd00:99::2]", 3*time.Second); got != "saw fd00:99::1" {
					t.Errorf("IPv6 through GRE: %q, want %q", got, "saw fd00:99::1")
				}
			}
			nft(t, a, fmt.Sprintf("table ip f {\n chain input {\n type filter hook input priority 0; ip protocol %d drop\n }\n}\n", int(p)))
			if got := dial(t, a, "10.99.0.2", 2*time.Second); !strings.HasPrefix(got, "error") {
				t.Errorf("input drop of protocol %s: %q, want no connection", p, got)
			}
		})
	}
}

// running reads the link's IFF_RUNNING in ns.
func running(t *testing.T, ns, link string) bool {
	t.Helper()
	var up bool
	netnstest.InNamed(t, ns, func() {
		l, err := netlink.LinkByName(link)
		if err != nil {
			t.Error(err)
			return
		}
		up = l.Attrs().RawFlags&unix.IFF_RUNNING != 0
	})
	return up
}

// settles reports whether link's IFF_RUNNING in ns reaches want within
// two seconds. The tunnel turns its carrier off or on right after it
// stops or starts running, but the kernel's link watch applies the
// change to IFF_RUNNING in its own work item, later under load (the
// carrier read once right after Running() went false was still on at
// load average 50).
func settles(t *testing.T, ns, link string, want bool) bool {
	t.Helper()
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		if running(t, ns, link) == want {
			return true
		}
		if time.Since(start) > 2*time.Second {
			return false
		}
	}
}

// TestKeepalive: with keepalive 1s,2 the near end keeps running while the
// far end (the same code, no keepalive of its own) answers; once the far
// end is gone it stops running within interval x retries (plus a tick),
// its link loses its carrier so the route through it is passed over, and
// the first answer of a far end that is back brings it back.
func TestKeepalive(t *testing.T) {
	t.Parallel()
	needRoot(t)
	for _, p := range []Proto{GRE, IPIP} {
		t.Run(p.String(), func(t *testing.T) {
			t.Parallel()
			a, b := twoHosts(t)
			near := end(t, a, Config{Link: "tun1", Proto: p, Local: netip.MustParseAddr("192.0.2.1"), Remote: netip.MustParseAddr("192.0.2.2"),
				Keepalive: time.Second, Retries: 2}, "10.99.0.1/30")
			farCfg := Config{Link: "tun1", Proto: p, Remote: netip.MustParseAddr("192.0.2.1")}
			far := end(t, b, farCfg, "10.99.0.2/30")
			time.Sleep(3500 * time.Millisecond)
			if !near.Running() || !settles(t, a, "tun1", true) {
				t.Fatalf("the far end answers, yet running=%v, link running=%v", near.Running(), running(t, a, "tun1"))
			}
			far.Close()
			gone := time.Now()
			for near.Running() && time.Since(gone) < 5*time.Second {
				time.Sleep(100 * time.Millisecond)
			}
			took := time.Since(gone)
			if near.Running() || took > 3500*time.Millisecond {
				t.Fatalf("far end gone: running=%v after %v, want false within 1s x 2 plus a tick", near.Running(), took)
			}
			t.Logf("%s: not running %v after the far end went", p, took.Round(100*time.Millisecond))
			if !settles(t, a, "tun1", false) {
				t.Error("the link still has its carrier")
			}
			end(t, b, farCfg, "10.99.0.2/30")
			back := time.Now()
			for !near.Running() && time.Since(back) < 3*time.Second {
				time.Sleep(50 * time.Millisecond)
			}
			if !near.Running() || !settles(t, a, "tun1", true) {
				t.Fatalf("the far end is back, yet running=%v after %v", near.Running(), time.Since(back))
			}
		})
	}
}

// TestSetKeepalive: a tunnel whose far end never answers stops running;
// keepalive set off in place runs it again at once, carrier and all, and
// keepalive set on again counts afresh and stops it again.
func TestSetKeepalive(t *testing.T) {
	t.Parallel()
	needRoot(t)
	a, _ := twoHosts(t)
	near := end(t, a, Config{Link: "tun1", Proto: GRE, Local: netip.MustParseAddr("192.0.2.1"), Remote: netip.MustParseAddr("192.0.2.2"),
		Keepalive: 300 * time.Millisecond, Retries: 1}, "10.99.0.1/30")
	waitRunning := func(want bool, within time.Duration) {
		t.Helper()
		for start := time.Now(); near.Running() != want && time.Since(start) < within; {
			time.Sleep(20 * time.Millisecond)
		}
		if near.Running() != want || !settles(t, a, "tun1", want) {
			t.Fatalf("running=%v, link running=%v, want %v", near.Running(), running(t, a, "tun1"), want)
		}
	}
	waitRunning(false, 2*time.Second)
	near.SetKeepalive(0, 0)
	waitRunning(true, 0)
	near.SetKeepalive(300*time.Millisecond, 1)
	waitRunning(false, 2*time.Second)
}

// TestLocalNotHeld: a tunnel whose local-address the host does not hold
// (the forum's GRE behind NAT with the upstream's public address) starts
// and runs, as RouterOS's stateless tunnel does, and what is routed into
// it is lost: a Linux tunnel cannot send from a source it does not hold.
// It was not started before, its link had no carrier, and the traffic
// left by other routes in clear text (forum58 D4). Once the host holds
// the address the tunnel carries.
func TestLocalNotHeld(t *testing.T) {
	t.Parallel()
	needRoot(t)
	for _, p := range []Proto{GRE, IPIP} {
		t.Run(p.String(), func(t *testing.T) {
			t.Parallel()
			a, b := twoHosts(t)
			near := end(t, a, Config{Link: "tun1", Proto: p, Local: netip.MustParseAddr("192.0.2.9"), Remote: netip.MustParseAddr("192.0.2.2")}, "10.99.0.1/30")
			end(t, b, Config{Link: "tun1", Proto: p, Remote: netip.MustParseAddr("192.0.2.9")}, "10.99.0.2/30")
			serve(t, b, "10.99.0.2")
			if !near.Running() || !settles(t, a, "tun1", true) {
				t.Fatalf("running=%v, link running=%v: a stateless tunnel runs whatever its source", near.Running(), running(t, a, "tun1"))
			}
			if got := dial(t, a, "10.99.0.2", 2*time.Second); !strings.HasPrefix(got, "error") {
				t.Fatalf("from a source the host does not hold: %q, want nothing through", got)
			}
			if out, err := exec.Command("ip", "-n", a, "addr", "add", "192.0.2.9/24", "dev", "va").CombinedOutput(); err != nil {
				t.Fatalf("%v %s", err, out)
			}
			if got := dial(t, a, "10.99.0.2", 3*time.Second); got != "saw 10.99.0.1" {
				t.Errorf("with the address held: %q, want %q", got, "saw 10.99.0.1")
			}
		})
	}
}
