package iptunnel

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/iptun"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/vishvananda/netlink"
)

// TestManagerEoIPBridge: layer-2 site to site. The router's EoIP TAP (made
// as the kernel package makes it) and its LAN port are ports of one Linux
// bridge; the far end (the same tunnel code in another namespace) has an
// address on its TAP in the LAN's subnet. A LAN host reaches the far end's
// address with no route (ARP and TCP bridged through the tunnel), and the
// far end sees the host's own address. Controls: the router's tunnel on
// another tunnel id, and disabled, carry nothing; back on the right id it
// carries again.
func TestManagerEoIPBridge(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("needs root for network namespaces and TAP links")
	}
	pid := os.Getpid()
	a, b, c := fmt.Sprintf("eoipm-a-%d", pid), fmt.Sprintf("eoipm-b-%d", pid), fmt.Sprintf("eoipm-c-%d", pid)
	for _, n := range []string{a, b, c} {
		exec.Command("ip", "netns", "del", n).Run()
		if out, err := exec.Command("ip", "netns", "add", n).CombinedOutput(); err != nil {
			t.Fatalf("ip netns add: %v %s", err, out)
		}
		t.Cleanup(func() { exec.Command("ip", "netns", "del", n).Run() })
	}
	link := kernel.LinkName("eoip-tunnel1")
	for _, cmd := range [][]string{
		{"ip", "-n", a, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b},
		{"ip", "-n", a, "addr", "add", "192.0.2.1/24", "dev", "va"},
		{"ip", "-n", b, "addr", "add", "192.0.2.2/24", "dev", "vb"},
		{"ip", "-n", a, "link", "set", "va", "up"}, {"ip", "-n", b, "link", "set", "vb", "up"},
		{"ip", "-n", a, "link", "add", "vl", "type", "veth", "peer", "name", "vc", "netns", c},
		{"ip", "-n", c, "addr", "add", "10.97.0.10/24", "dev", "vc"},
		{"ip", "-n", c, "link", "set", "vc", "up"},
		{"ip", "-n", a, "link", "add", "br1", "type", "bridge"},
		{"ip", "-n", a, "link", "set", "vl", "master", "br1"},
		{"ip", "-n", a, "link", "set", "vl", "up"}, {"ip", "-n", a, "link", "set", "br1", "up"},
	} {
		if out, err := exec.Command(cmd[0], cmd[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v %s", cmd, err, out)
		}
	}
	netnstest.InNamed(t, a, func() {
		attrs := netlink.NewLinkAttrs()
		attrs.Name = link
		if err := netlink.LinkAdd(&netlink.Tuntap{LinkAttrs: attrs, Mode: netlink.TUNTAP_MODE_TAP, Flags: kernel.TunFlags}); err != nil {
			t.Error(err)
			return
		}
		l, _ := netlink.LinkByName(link)
		br, _ := netlink.LinkByName("br1")
		netlink.LinkSetMaster(l, br)
		netlink.LinkSetUp(l)
	})
	// The far end: an address on its TAP in the LAN's subnet.
	var far *iptun.Tunnel
	netnstest.InNamed(t, b, func() {
		var err error
		if far, err = iptun.Start(iptun.Config{Link: "far1", EoIP: true, TunnelID: 42, Remote: netip.MustParseAddr("192.0.2.1")}); err != nil {
			t.Error(err)
			return
		}
		l, _ := netlink.LinkByName("far1")
		ad, _ := netlink.ParseAddr("10.97.0.20/24")
		netlink.AddrAdd(l, ad)
		netlink.LinkSetUp(l)
		ln, err := net.Listen("tcp", "10.97.0.20:7777")
		if err != nil {
			t.Error(err)
			return
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
	})
	if far == nil {
		t.FailNow()
	}
	t.Cleanup(far.Close)
	dialFar := func() string {
		exec.Command("ip", "-n", c, "neigh", "flush", "dev", "vc").Run()
		var got string
		netnstest.InNamed(t, c, func() {
			conn, err := net.DialTimeout("tcp", "10.97.0.20:7777", 2*time.Second)
			if err != nil {
				got = "error: " + err.Error()
				return
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(2 * time.Second))
			b, _ := io.ReadAll(conn)
			got = string(b)
		})
		return got
	}
	tun := config.IPTunnel{Name: "eoip-tunnel1", Kind: "eoip", TunnelID: 42, Local: netip.MustParseAddr("192.0.2.1"), Remote: netip.MustParseAddr("192.0.2.2")}
	e := &engine{mgr: New(nil)}
	e.mgr.Retry = 100 * time.Millisecond
	e.ts = []config.IPTunnel{tun}
	run(t, a, e)
	var got string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		if got = dialFar(); got == "saw 10.97.0.10" {
			break
		}
	}
	if got != "saw 10.97.0.10" {
		t.Fatalf("LAN host to the far end through the bridged tunnel: %q, want %q", got, "saw 10.97.0.10")
	}
	wrong := tun
	wrong.TunnelID = 43
	e.set(wrong)
	time.Sleep(300 * time.Millisecond)
	if got := dialFar(); got == "saw 10.97.0.10" {
		t.Errorf("tunnel-id 43 against the far end's 42: carried (%q)", got)
	}
	off := tun
	off.Disabled = true
	e.set(off)
	time.Sleep(300 * time.Millisecond)
	if got := dialFar(); got == "saw 10.97.0.10" {
		t.Errorf("disabled: carried (%q)", got)
	}
	e.set(tun)
	got = ""
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		if got = dialFar(); got == "saw 10.97.0.10" {
			break
		}
	}
	if got != "saw 10.97.0.10" {
		t.Errorf("back on tunnel-id 42: %q", got)
	}
}
