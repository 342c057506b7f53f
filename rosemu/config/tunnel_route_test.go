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

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// tunnelRsc is forum16's GRE case and IPIP case in one router, with the
// tunnels made GRE over IPv6 (a stateless tunnel rosemu still does not
// build; GRE, IPIP and EoIP are carried, iptunnel_test.go): a LAN on ether2, a WAN
// with a masqueraded default route on ether1, a tunnel with a next-hop
// route into its /30 and one with an interface route, neither with
// keepalive.
const tunnelRsc = `/ip address add address=192.168.88.1/24 interface=ether2
/ip address add address=203.0.113.2/24 interface=ether1
/ip route add gateway=203.0.113.1
/ip firewall nat add chain=srcnat action=masquerade out-interface=ether1
/interface gre6 add ipsec-secret=Str0ngSecret !keepalive name=gre-siteB remote-address=2001:db8:100::50
/ip address add address=172.16.0.1/30 interface=gre-siteB network=172.16.0.0
/ip route add comment=siteB dst-address=10.77.0.0/24 gateway=172.16.0.2
/interface gre6 add !keepalive mtu=1480 name=ipip-tunnel1 remote-address=2001:db8:100::51
/ip address add address=172.16.1.1/30 interface=ipip-tunnel1
/ip route add comment=siteC dst-address=10.78.0.0/24 gateway=ipip-tunnel1 distance=3
/ip firewall mangle add action=change-mss chain=forward comment=clamp new-mss=clamp-to-pmtu out-interface=ipip-tunnel1 passthrough=yes protocol=tcp tcp-flags=syn`

// TestRunningTunnelState: a stateless tunnel rosemu does not build (GRE
// over IPv6) is a TUN link that nothing reads: its addresses and the routes
// through it (a next hop inside its subnet, the interface itself) are the
// kernel's, so what is routed into it is dropped there. A VLAN on an EoIP
// tunnel (whose TAP is built) has no link: its subnet and the routes through it are blackhole
// routes of the same destination and distance, and the router's address
// on it is on the loopback. Each such route and address is reported with
// its tunnel, per line by validate. Negative control: a VPN client that
// never connects is not running, so a route through it is left out (its
// traffic takes other routes, as on RouterOS), and a disabled tunnel has
// no link.
func TestRunningTunnelState(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, tunnelRsc+`
/interface eoip add name=eoip1 remote-address=198.51.100.53 tunnel-id=4 !keepalive
/interface vlan add interface=eoip1 name=eoip1-v7 vlan-id=7
/ip address add address=172.16.7.1/30 interface=eoip1-v7
/ip route add dst-address=10.80.0.0/24 gateway=172.16.7.2 distance=2`)
	s := r.State()
	var got []string
	for _, rt := range s.Routes {
		got = append(got, fmt.Sprintf("%s %s d%d %s", rt.Dst, rt.Type, rt.Distance, rt.Gateway))
	}
	want := "0.0.0.0/0  d1 203.0.113.1|10.77.0.0/24  d1 172.16.0.2|10.78.0.0/24  d3 ipip-tunnel1|10.80.0.0/24 blackhole d2 |172.16.7.0/30 blackhole d0 "
	if strings.Join(got, "|") != want {
		t.Errorf("routes:\n%s\nwant\n%s", strings.Join(got, "|"), want)
	}
	if a := fmt.Sprint(s.Addresses); !strings.Contains(a, "{172.16.0.1/30 gre-siteB false} {172.16.1.1/30 ipip-tunnel1 false} {172.16.7.1/32 lo false}") {
		t.Errorf("addresses = %v, want the tunnels' own on their links, the VLAN's on lo", a)
	}
	if l := fmt.Sprint(s.TunLinks); l != "[{eoip1 1458 false false true  <nil>} {gre-siteB 1456 false true false  <nil>} {ipip-tunnel1 1480 false true false  <nil>}]" {
		t.Errorf("TUN links = %s", l)
	}
	notes := map[string]string{}
	for _, n := range r.NotEnforced() {
		notes[n.Path+" "+n.Property] += fmt.Sprintf("%d %s;", n.Count, n.Reason)
	}
	for k, want := range map[string]string{
		"/ip route gateway":     "1 routed into gre-siteB, a tunnel rosemu does not build: its packets are dropped",
		"/ip address interface": "1 on ipip-tunnel1, a tunnel rosemu does not build: the router holds the address",
	} {
		if !strings.Contains(notes[k], want) {
			t.Errorf("note %s = %q, want %q", k, notes[k], want)
		}
	}
	if !strings.Contains(notes["/ip route gateway"], "1 routed into ipip-tunnel1") || !strings.Contains(notes["/ip route gateway"], "1 routed into a VLAN on eoip1, which rosemu does not build") ||
		strings.Contains(fmt.Sprint(notes), "carries no packets") || notes["/interface gre6 keepalive"] != "" || notes["/ip firewall mangle out-interface"] != "" {
		t.Errorf("notes = %v", notes)
	}
	// validate says it per line, for both forms of route.
	v := New(Options{Ports: ports}).Validate(context.Background(), tunnelRsc, 10*time.Second)
	f := strings.Join(findings(v), "\n")
	for _, want := range []string{
		"7:1 stored-not-enforced gateway: routed into gre-siteB, a tunnel rosemu does not build: its packets are dropped",
		"10:1 stored-not-enforced gateway: routed into ipip-tunnel1, a tunnel rosemu does not build: its packets are dropped",
		"11:1 accepted",
	} {
		if !strings.Contains(f, want) {
			t.Errorf("validate lacks %q:\n%s", want, f)
		}
	}

	// IPv6 through the tunnel likewise: the address on its link, the
	// route through its subnet.
	run(t, r, "/ipv6 address add address=fd00:16::1/64 interface=gre-siteB advertise=no\n/ipv6 route add dst-address=fd00:77::/64 gateway=fd00:16::2")
	if v6 := r.State().IPv6; v6 == nil || !strings.Contains(fmt.Sprint(v6.Addresses), "{fd00:16::1/64 gre-siteB false}") || !strings.Contains(fmt.Sprint(v6.Routes), "fd00:77::/64 fd00:16::2") {
		t.Errorf("IPv6 state = %+v, want gre-siteB's address and the route through it", v6)
	}

	// keepalive set (the default 10s,10 too): reported, the tunnel kept
	// running.
	run(t, r, "/interface gre6 set gre-siteB keepalive=10s,10")
	if n := fmt.Sprint(r.NotEnforced()); !strings.Contains(n, "keepalive=10s,10: the lab has no far end") {
		t.Errorf("keepalive not reported: %s", n)
	}

	// Negative controls: a disabled tunnel, and a stored VPN client, are
	// not running: no link, nothing blackholed (a route whose next hop was
	// in the tunnel's subnet stays, with an unreachable gateway:
	// inactive). The PPTP client: the L2TP, SSTP and OpenVPN clients
	// dial (f64, sstp70, ovpn71), their routes handed to the kernel as a
	// PPPoE client's are.
	run(t, r, `/interface gre6 disable gre-siteB
/interface pptp-client add connect-to=198.51.100.52 name=pptp-out1 user=u password=p
/ip route add dst-address=10.79.0.0/24 gateway=pptp-out1`)
	s = r.State()
	if strings.Contains(fmt.Sprint(s.TunLinks), "gre-siteB") || strings.Contains(fmt.Sprint(s.Addresses), "gre-siteB") || strings.Contains(fmt.Sprint(s.Routes), "10.79.0.0/24") {
		t.Errorf("a tunnel that is not running is in the kernel: %v %v %v", s.TunLinks, s.Addresses, s.Routes)
	}
}

// TestRunningTunnelPackets proves it with packets on a real namespace: a
// LAN client's connection to the far LAN behind a GRE tunnel (next-hop
// route) and behind an IPIP tunnel (interface route) is dropped inside the
// router; the WAN, whose host answers for those addresses too (as the
// forum16 lab's ISP routes the far LAN in clear), sees nothing. The
// router still answers its own tunnel address. Negative control: with
// each route disabled, the same connection leaves by the default route,
// masqueraded, and is answered.
func TestRunningTunnelPackets(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces")
	}
	if _, err := exec.LookPath("nft"); err != nil {
		t.Skip("needs nft")
	}
	pid := os.Getpid()
	rn, cn, wn := fmt.Sprintf("rosemu-tun%d-r", pid), fmt.Sprintf("rosemu-tun%d-c", pid), fmt.Sprintf("rosemu-tun%d-w", pid)
	for _, ns := range []string{rn, cn, wn} {
		ns := ns
		t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
		sh(t, "netns", "add", ns)
	}
	sh(t, "link", "add", "x1", "netns", rn, "type", "veth", "peer", "name", "w0", "netns", wn)
	sh(t, "link", "add", "x2", "netns", rn, "type", "veth", "peer", "name", "c0", "netns", cn)
	sh(t, "-n", rn, "addr", "add", "203.0.113.2/24", "dev", "x1")
	sh(t, "-n", rn, "addr", "add", "192.168.88.1/24", "dev", "x2")
	sh(t, "-n", rn, "link", "set", "x1", "up")
	sh(t, "-n", rn, "link", "set", "x2", "up")
	sh(t, "-n", cn, "addr", "add", "192.168.88.20/24", "dev", "c0")
	sh(t, "-n", cn, "link", "set", "c0", "up")
	sh(t, "-n", cn, "route", "add", "default", "via", "192.168.88.1")
	sh(t, "-n", wn, "addr", "add", "203.0.113.1/24", "dev", "w0")
	sh(t, "-n", wn, "link", "set", "w0", "up")
	sh(t, "-n", wn, "link", "set", "lo", "up")
	// The WAN host answers for both far LANs and the far tunnel address.
	for _, a := range []string{"10.77.0.10/32", "10.78.0.10/32", "172.16.0.2/32"} {
		sh(t, "-n", wn, "addr", "add", a, "dev", "lo")
	}
	dp, err := kernel.Setup(kernel.SetupOptions{Netns: rn, Ports: []kernel.Port{
		{Name: "ether1", Subnet: netip.MustParsePrefix("203.0.113.0/24")},
		{Name: "ether2", Subnet: netip.MustParsePrefix("192.168.88.0/24")},
	}})
	if err != nil {
		t.Fatalf("Setup: %v", err)
	}
	t.Cleanup(func() { dp.Close() })
	rt := New(Options{Ports: []string{"ether1", "ether2"}, Kernel: dp, Counters: dp})
	run(t, rt, tunnelRsc)

	// A listener on the WAN host records who connected.
	var ln net.Listener
	if err := kernel.InNetns(wn, func() error {
		var err error
		ln, err = net.Listen("tcp4", "0.0.0.0:12566")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	seen := make(chan string, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			seen <- c.RemoteAddr().(*net.TCPAddr).IP.String()
			c.Close()
		}
	}()
	dial := func(to string) error {
		return kernel.InNetns(cn, func() error {
			c, err := net.DialTimeout("tcp4", to, 700*time.Millisecond)
			if err == nil {
				c.Close()
			}
			return err
		})
	}
	drain := func() string {
		select {
		case s := <-seen:
			return s
		case <-time.After(100 * time.Millisecond):
			return ""
		}
	}
	for _, to := range []string{"10.77.0.10:12566", "10.78.0.10:12566", "172.16.0.2:12566"} {
		if err := dial(to); err == nil || !strings.Contains(err.Error(), "timeout") {
			t.Errorf("%s into the tunnel: %v, want a timeout (dropped in the router)", to, err)
		}
		if s := drain(); s != "" {
			t.Errorf("%s into the tunnel left by the WAN: the WAN host saw %s", to, s)
		}
	}
	// The firewall saw the SYNs leave by ipip-tunnel1 (change-mss).
	rows, _, err := rt.Command(context.Background(), "/ip/firewall/mangle/print", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		if c, _ := row.Get("comment"); c == "clamp" {
			if p, _ := row.Get("packets"); p == "0" || p == "" {
				t.Errorf("change-mss out-interface=ipip-tunnel1 counted %q packets, want the SYNs routed into it", p)
			}
		}
	}
	// The router's own tunnel address is its own: refused by the router
	// itself (no service on that port), not dropped.
	if err := dial("172.16.0.1:12566"); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("172.16.0.1 (the router's GRE address): %v, want refused by the router", err)
	}
	// Negative control: the routes disabled, the same connections leave
	// by the default route, masqueraded.
	run(t, rt, "/ip route disable [find comment=siteB]\n/ip route disable [find comment=siteC]")
	for _, to := range []string{"10.77.0.10:12566", "10.78.0.10:12566"} {
		if err := dial(to); err != nil {
			t.Errorf("%s without the tunnel route: %v, want answered through the WAN", to, err)
		}
		if s := drain(); s != "203.0.113.2" {
			t.Errorf("%s without the tunnel route: WAN host saw %q, want 203.0.113.2", to, s)
		}
	}
}
