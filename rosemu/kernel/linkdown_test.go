package kernel

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/vishvananda/netns"

	"github.com/chrlab/chrlab/internal/sockopt"
)

// TestLinkDownFailover: two default routes by distance, no check-gateway.
// Pulling ISP1's cable (its end of the veth goes down, so ether1 loses
// carrier) moves the LAN's traffic to ISP2, as on RouterOS, where a route
// through a port that is not running is inactive; plugging it back moves it
// home. Running follows the carrier. Without ignore_routes_with_linkdown
// (the negative control, set back to 0 by hand) the kernel keeps the dead
// route and the connection fails.
func TestLinkDownFailover(t *testing.T) {
	rateTest(t)
	dp, rn, _, wn, cli := dualDataplane(t)
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	st.Routes = []Route{
		{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "203.0.113.1", Distance: 1},
		{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "198.18.0.1", Distance: 2},
	}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	want := func(wan string) { t.Helper(); wantWAN(t, cli, wan) }
	running := func(want bool) {
		t.Helper()
		deadline := time.Now().Add(2 * time.Second)
		for {
			up, known := dp.Running("ether1")
			if known && up == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("Running(ether1) = %v, %v; want %v", up, known, want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	want("203.0.113.2")
	running(true)
	// Two UDP flows out by ISP1: .21's masqueraded, .22's src-natted to
	// the same address by a rule above the masquerade.
	st.NAT = append([]Rule{rule("*1f", "chain=srcnat", "action=src-nat", "src-address=192.168.88.22", "out-interface=ether1", "to-addresses=203.0.113.2")}, st.NAT...)
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	sendUDP(t, cli, "192.168.88.21:40001", "198.51.100.50:9")
	sendUDP(t, cli, "192.168.88.22:40002", "198.51.100.50:9")
	flows := func() (masq, snat bool) {
		cs, err := dp.Connections()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.Protocol == "udp" && c.Dst.Port() == 9 && c.ReplyDst.Addr() == netip.MustParseAddr("203.0.113.2") {
				masq = masq || c.Src.Addr() == netip.MustParseAddr("192.168.88.21")
				snat = snat || c.Src.Addr() == netip.MustParseAddr("192.168.88.22")
			}
		}
		return
	}
	if m, s := flows(); !m || !s {
		t.Fatalf("before the cable is pulled: masqueraded flow %v, src-natted flow %v; want both", m, s)
	}
	inactive := func() (main, backup bool) {
		for _, r := range dp.InactiveRoutes() {
			main = main || r.Gateway == "203.0.113.1"
			backup = backup || r.Gateway == "198.18.0.1"
		}
		return
	}
	if m, b := inactive(); m || b {
		t.Fatalf("with both links up, inactive: main %v, backup %v", m, b)
	}
	ipcmd(t, "-n", wn, "link", "set", "isp1", "down")
	running(false)
	want("198.18.0.2")
	// The main route is inactive now, as RouterOS shows it (a script that
	// reads "active" to switch lines read true); the backup is not.
	if m, b := inactive(); !m || b {
		t.Errorf("with ether1's cable pulled, inactive: main %v, backup %v; want the main only", m, b)
	}
	// The masquerade's connection is forgotten, the src-nat's stays.
	deadline := time.Now().Add(3 * time.Second)
	for {
		m, s := flows()
		if !m && s {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the cable was pulled: masqueraded flow still there %v, src-natted flow still there %v; want false, true", m, s)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// Negative control: Linux's default keeps the dead route first.
	ipcmd(t, "netns", "exec", rn, "sysctl", "-qw", "net.ipv4.conf.all.ignore_routes_with_linkdown=0")
	if saw, err := dial(cli, "192.168.88.20", "198.51.100.50:12566"); err == nil {
		t.Fatalf("with the kernel's default the connection went through (the internet saw %s); want it lost on the unplugged port", saw)
	}
	ipcmd(t, "netns", "exec", rn, "sysctl", "-qw", "net.ipv4.conf.all.ignore_routes_with_linkdown=1")

	ipcmd(t, "-n", wn, "link", "set", "isp1", "up")
	running(true)
	want("203.0.113.2")
	if m, _ := inactive(); m {
		t.Errorf("the cable is back, and the main route is still inactive")
	}
	if _, known := dp.Running("ether9"); known {
		t.Errorf("Running(ether9) known; the router has no such port")
	}
}

// sendUDP sends one datagram from src to dst inside ns. The socket sets
// SO_REUSEADDR (sockopt.ReuseAddr): the tests of this package fork ip, nft
// and tc all the time, each child holds a copy of this socket until it
// execs, and the next datagram from the same port (port5000Lab's pairs
// send from 192.168.88.20:5000 once a pair) failed "bind: address already
// in use" when a child had not exec'd yet (TestNthOneCountPerRule, once
// under load; TestSendUDPOnePortWhileForking).
func sendUDP(t *testing.T, ns netns.NsHandle, src, dst string) {
	t.Helper()
	err := inNetns(ns, func() error {
		d := net.Dialer{LocalAddr: net.UDPAddrFromAddrPort(netip.MustParseAddrPort(src)), Control: sockopt.ReuseAddr}
		c, err := d.Dial("udp4", dst)
		if err != nil {
			return err
		}
		defer c.Close()
		_, err = c.Write([]byte("chrlab"))
		return err
	})
	if err != nil {
		t.Fatalf("send UDP %s -> %s: %v", src, dst, err)
	}
}
