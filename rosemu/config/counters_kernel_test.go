package config

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/chrlab/chrlab/rosemu/kernel"
)

func sh(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// kernelRouter is a router on a real namespace with one port, ether1
// (192.168.88.0/24), and a client namespace at 192.168.88.20 on it.
func kernelRouter(t *testing.T) (rt *Router, client string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces")
	}
	if _, err := exec.LookPath("nft"); err != nil {
		t.Skip("needs nft")
	}
	netnstest.SweepStale()
	r, c := fmt.Sprintf("rosemu-cnt%d-r", os.Getpid()), fmt.Sprintf("rosemu-cnt%d-c", os.Getpid())
	for _, ns := range []string{r, c} {
		ns := ns
		t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
		sh(t, "netns", "add", ns)
	}
	sh(t, "link", "add", "x1", "netns", r, "type", "veth", "peer", "name", "c0", "netns", c)
	sh(t, "-n", r, "addr", "add", "192.168.88.1/24", "dev", "x1")
	sh(t, "-n", r, "link", "set", "x1", "up")
	sh(t, "-n", c, "addr", "add", "192.168.88.20/24", "dev", "c0")
	sh(t, "-n", c, "link", "set", "c0", "up")
	dp, err := kernel.Setup(kernel.SetupOptions{Netns: r, Ports: []kernel.Port{{Name: "ether1", Subnet: netip.MustParsePrefix("192.168.88.0/24")}}})
	if err != nil {
		t.Fatalf("Setup: %v", err)
	}
	t.Cleanup(func() { dp.Close() })
	rt = New(Options{Ports: []string{"ether1"}, Kernel: dp, Counters: dp})
	return rt, c
}

// TestCountersFromKernel reads rule counters the way the API does, from a
// real router namespace: a drop rule that a connection attempt hit counts
// packets, a rule for another port stays at 0, and reset-counters zeroes.
func TestCountersFromKernel(t *testing.T) {
	rt, c := kernelRouter(t)
	run(t, rt, `/ip address add address=192.168.88.1/24 interface=ether1
/ip firewall filter add chain=input action=drop protocol=tcp dst-port=23 comment=telnet
/ip firewall filter add chain=input action=drop protocol=tcp dst-port=24 comment=unused`)

	// Two connection attempts to port 23 from the client, each dropped.
	err := kernel.InNetns(c, func() error {
		for i := 0; i < 2; i++ {
			conn, err := net.DialTimeout("tcp4", "192.168.88.1:23", 300*time.Millisecond)
			if err == nil {
				conn.Close()
				return fmt.Errorf("connected to port 23 through a drop rule")
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	packets := func(comment string) string {
		rows, _, err := rt.Command(context.Background(), "/ip/firewall/filter/print", nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			if c, _ := row.Get("comment"); c == comment {
				p, _ := row.Get("packets")
				b, _ := row.Get("bytes")
				if (p == "0") != (b == "0") {
					t.Errorf("rule %s: packets %s but bytes %s", comment, p, b)
				}
				return p
			}
		}
		t.Fatalf("no rule %s", comment)
		return ""
	}
	if p := packets("telnet"); p == "0" {
		t.Errorf("the drop rule a connection hit shows packets=0")
	}
	if p := packets("unused"); p != "0" {
		t.Errorf("the rule nothing hit shows packets=%s", p)
	}
	// A configuration change keeps the counts; reset-counters zeroes them.
	before := packets("telnet")
	run(t, rt, "/ip firewall filter add chain=forward action=accept comment=later")
	if p := packets("telnet"); p != before {
		t.Errorf("after a configuration change packets=%s, was %s", p, before)
	}
	run(t, rt, "/ip firewall filter reset-counters [find comment=telnet]")
	if p := packets("telnet"); p != "0" {
		t.Errorf("after reset-counters packets=%s", p)
	}
}

// TestPortKnockingList: a rule adds the knocking source to an address list
// in the kernel; print shows the entry as dynamic with its timeout, it
// survives a configuration change, and remove deletes it. Before the knock
// the list is empty (negative control).
func TestPortKnockingList(t *testing.T) {
	rt, c := kernelRouter(t)
	run(t, rt, `/ip address add address=192.168.88.1/24 interface=ether1
/ip firewall filter add chain=input action=add-src-to-address-list address-list=knock address-list-timeout=1m protocol=tcp dst-port=1111
/ip firewall filter add chain=input action=drop protocol=tcp dst-port=1111`)
	entries := func() string {
		return run(t, rt, `:put [:len [/ip firewall address-list find list=knock]]`)
	}
	if n := strings.TrimSpace(entries()); n != "0" {
		t.Fatalf("before the knock the list has %s entries", n)
	}
	if err := kernel.InNetns(c, func() error {
		conn, err := net.DialTimeout("tcp4", "192.168.88.1:1111", 300*time.Millisecond)
		if err == nil {
			conn.Close()
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n := strings.TrimSpace(entries()); n != "1" {
		t.Fatalf("after the knock the list has %s entries, want 1", n)
	}
	rows, _, err := rt.Command(context.Background(), "/ip/firewall/address-list/print", nil)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, row := range rows {
		a, _ := row.Get("address")
		d, _ := row.Get("dynamic")
		to, _ := row.Get("timeout")
		if a == "192.168.88.20" && d == "true" && to != "" {
			found = true
		}
	}
	if !found {
		t.Errorf("address-list print = %v, want 192.168.88.20 dynamic with a timeout", rows)
	}
	run(t, rt, "/ip firewall filter add chain=forward action=accept comment=later")
	if n := strings.TrimSpace(entries()); n != "1" {
		t.Errorf("after a configuration change the list has %s entries, want the knock kept", n)
	}
	// The entry lives to its timeout whatever becomes of the rule that
	// added it: it vanished when a honeypot's rule was disabled.
	for _, step := range []string{
		"/ip firewall filter disable [find action=add-src-to-address-list]",
		"/ip firewall filter enable [find action=add-src-to-address-list]",
		"/ip firewall filter remove [find action=add-src-to-address-list]",
	} {
		run(t, rt, step)
		if n := strings.TrimSpace(entries()); n != "1" {
			t.Errorf("after %s the list has %s entries, want the knock kept", step, n)
		}
	}
	run(t, rt, "/ip firewall address-list remove [find list=knock]")
	if n := strings.TrimSpace(entries()); n != "0" {
		t.Errorf("after remove the list has %s entries", n)
	}
}
