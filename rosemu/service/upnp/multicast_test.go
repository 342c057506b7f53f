package upnp

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/net/ipv4"

	"github.com/chrlab/chrlab/rosemu/config"
)

// TestSSDPJoinsNewInternal: an internal interface added while the
// gateway runs joins the SSDP group, so the multicast M-SEARCH of a client
// on it is answered (review43 finding 6); so does one whose link comes
// after the commit that names it. Control: the interface there at start.
// The gateway runs in a network namespace of its own (the test binary
// again, under ip netns exec), the clients in a second one, joined to it
// by veth pairs, so that the M-SEARCHes go to 239.255.255.250 over a link
// as a LAN host's do.
func TestSSDPJoinsNewInternal(t *testing.T) {
	if !inOwnNamespace(t, "upnpt") {
		return
	}
	lo, _ := netlink.LinkByName("lo")
	netlink.LinkSetUp(lo)
	// The clients' namespace; this thread goes back before anything else
	// runs on it.
	runtime.LockOSThread()
	orig, err := netns.Get()
	if err != nil {
		t.Fatal(err)
	}
	cli, err := netns.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := netns.Set(orig); err != nil {
		t.Fatal(err)
	}
	runtime.UnlockOSThread()
	defer cli.Close()
	hc, err := netlink.NewHandleAt(cli)
	if err != nil {
		t.Fatal(err)
	}
	defer hc.Close()
	// link makes the router's link name with address n.1/24 and its peer,
	// peerName, with n.2/24 in the clients' namespace.
	link := func(name, peerName, n string) {
		t.Helper()
		if err := netlink.LinkAdd(&netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: name}, PeerName: peerName}); err != nil {
			t.Fatal(err)
		}
		l, _ := netlink.LinkByName(name)
		p, _ := netlink.LinkByName(peerName)
		if err := netlink.LinkSetNsFd(p, int(cli)); err != nil {
			t.Fatal(err)
		}
		a, _ := netlink.ParseAddr(n + ".1/24")
		netlink.AddrAdd(l, a)
		netlink.LinkSetUp(l)
		p, _ = hc.LinkByName(peerName)
		a, _ = netlink.ParseAddr(n + ".2/24")
		hc.AddrAdd(p, a)
		hc.LinkSetUp(p)
	}
	// msearch sends a multicast M-SEARCH out of the client's link dev
	// and returns the LOCATION of the answer, "" without one.
	msearch := func(dev string) string {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := netns.Set(cli); err != nil {
			t.Fatal(err)
		}
		c, err := net.ListenUDP("udp4", &net.UDPAddr{})
		ifi, err2 := net.InterfaceByName(dev)
		if err := netns.Set(orig); err != nil {
			t.Fatal(err)
		}
		if err != nil || err2 != nil {
			t.Fatal(err, err2)
		}
		defer c.Close()
		if err := ipv4.NewPacketConn(c).SetMulticastInterface(ifi); err != nil {
			t.Fatal(err)
		}
		msg := "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: upnp:rootdevice\r\n\r\n"
		if _, err := c.WriteToUDP([]byte(msg), &net.UDPAddr{IP: ssdpGroup, Port: SSDPPort}); err != nil {
			t.Fatal(err)
		}
		c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
		buf := make([]byte, 2048)
		n, err := c.Read(buf)
		if err != nil {
			return ""
		}
		for _, l := range strings.Split(string(buf[:n]), "\r\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.EqualFold(k, "LOCATION") {
				return strings.TrimSpace(v)
			}
		}
		return ""
	}
	answered := func(dev, want string) {
		t.Helper()
		loc := ""
		for end := time.Now().Add(5 * time.Second); time.Now().Before(end) && !strings.HasPrefix(loc, want); {
			loc = msearch(dev)
		}
		if !strings.HasPrefix(loc, want) {
			t.Errorf("multicast M-SEARCH on %s: LOCATION %q, want %s...", dev, loc, want)
		}
	}

	defer func(d time.Duration) { rejoinEvery = d }(rejoinEvery)
	rejoinEvery = 100 * time.Millisecond
	link("ether2", "c2", "10.9.0")
	m := &Manager{HTTPPort: -1}
	r := config.New(config.Options{Ports: []string{"ether1", "ether2", "ether3"}, OnCommit: []func(){m.Wake}})
	run(t, r, `/ip address add address=203.0.113.2/24 interface=ether1
/ip address add address=10.9.0.1/24 interface=ether2
/ip upnp interfaces add interface=ether1 type=external
/ip upnp interfaces add interface=ether2 type=internal
/ip upnp set enabled=yes
`)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx, r); close(done) }()
	defer func() { cancel(); <-done }()
	waitFor(t, "the gateway", func() bool { return m.SSDPAddr() != nil })
	answered("c2", "http://10.9.0.1:")

	// A VLAN added while the gateway runs, its link there at the commit.
	link("vlan20", "c20", "10.9.1")
	run(t, r, "/interface vlan add name=vlan20 interface=ether2 vlan-id=20\n/ip address add address=10.9.1.1/24 interface=vlan20\n/ip upnp interfaces add interface=vlan20 type=internal\n")
	answered("c20", "http://10.9.1.1:")

	// One whose link comes after the commit: joined at a retry.
	run(t, r, "/interface vlan add name=vlan30 interface=ether2 vlan-id=30\n/ip address add address=10.9.2.1/24 interface=vlan30\n/ip upnp interfaces add interface=vlan30 type=internal\n")
	time.Sleep(50 * time.Millisecond)
	link("vlan30", "c30", "10.9.2")
	answered("c30", "http://10.9.2.1:")
}

// TestSSDPRejoinBacksOff (review44, lower item): an internal entry that
// names no interface of the configuration any more (its VLAN removed) is
// not retried at all, and one whose link never appears (a VLAN of the
// configuration the kernel never makes) is retried with a doubling wait,
// not every rejoinEvery forever. Control: it is still retried.
func TestSSDPRejoinBacksOff(t *testing.T) {
	if !inOwnNamespace(t, "upnpb") {
		return
	}
	lo, _ := netlink.LinkByName("lo")
	netlink.LinkSetUp(lo)
	if err := netlink.LinkAdd(&netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: "ether2"}, PeerName: "ether2p"}); err != nil {
		t.Fatal(err)
	}
	l, _ := netlink.LinkByName("ether2")
	netlink.LinkSetMulticastOn(l)
	netlink.LinkSetUp(l)
	defer func(d, m time.Duration) { rejoinEvery, rejoinMax = d, m }(rejoinEvery, rejoinMax)
	rejoinEvery, rejoinMax = 20*time.Millisecond, 80*time.Millisecond
	m := &Manager{HTTPPort: -1}
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}, OnCommit: []func(){m.Wake}})
	run(t, r, `/ip address add address=203.0.113.2/24 interface=ether1
/ip address add address=10.9.0.1/24 interface=ether2
/ip upnp interfaces add interface=ether1 type=external
/ip upnp interfaces add interface=ether2 type=internal
/interface vlan add name=vlan45 interface=ether2 vlan-id=45
/ip upnp interfaces add interface=vlan45 type=internal
/interface vlan remove [find name=vlan45]
/ip upnp set enabled=yes
`)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx, r); close(done) }()
	defer func() { cancel(); <-done }()
	waitFor(t, "the gateway", func() bool { return m.SSDPAddr() != nil })
	time.Sleep(400 * time.Millisecond)
	if n := m.retries.Load(); n != 0 {
		t.Errorf("an entry naming no interface: %d retries in 400 ms, want 0", n)
	}
	run(t, r, "/interface vlan add name=vlan40 interface=ether2 vlan-id=40\n/ip upnp interfaces add interface=vlan40 type=internal\n")
	time.Sleep(600 * time.Millisecond)
	// Waits 40, 80, 80, ... ms: about 8 in 600 ms; every 20 ms would be 30.
	if n := m.retries.Load(); n < 3 || n > 12 {
		t.Errorf("a link that never comes: %d retries in 600 ms, want 3..12", n)
	}
}

// inOwnNamespace runs the calling test again in a fresh network namespace
// (the test binary under ip netns exec, UPNPTEST_NS set) and reports
// whether the caller is that run: false in the parent, which only waits
// for the child's PASS, and skips without root or ip(8).
func inOwnNamespace(t *testing.T, prefix string) bool {
	t.Helper()
	if os.Getenv("UPNPTEST_NS") != "" {
		return true
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root for network namespaces")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("needs ip(8) to run a process in a namespace")
	}
	ns := fmt.Sprintf("%s-%d", prefix, os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v %s", err, out)
	}
	defer exec.Command("ip", "netns", "del", ns).Run()
	cmd := exec.Command("ip", "netns", "exec", ns, os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), "UPNPTEST_NS=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("in the namespace: %v\n%s", err, out)
	}
	return false
}
