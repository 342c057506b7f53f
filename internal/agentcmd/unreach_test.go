package agentcmd

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// TestRejectIsUnreachable: a router's reject with an ICMP unreachable is
// the outcome unreachable for every probe: a ping answered by destination
// unreachable (any code, here administratively prohibited), and TCP over
// IPv6 rejected with icmpv6 admin-prohibited, which Linux gives connect as
// EACCES. The control: without the rejects the same probes are answered.
func TestRejectIsUnreachable(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for network namespaces")
	}
	if _, err := exec.LookPath("nft"); err != nil {
		t.Skip("needs nft")
	}
	nss, hs := netnstest.New(t, 2)
	a, b := &netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: "va"}, PeerName: "vb"}, "vb"
	if err := hs[0].LinkAdd(a); err != nil {
		t.Fatal(err)
	}
	peer, err := hs[0].LinkByName(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := hs[0].LinkSetNsFd(peer, int(nss[1])); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"va", "vb"} {
		l, err := hs[i].LinkByName(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, addr := range []string{"10.9.0.%d/24", "fd09::%d/64"} {
			ad, _ := netlink.ParseAddr(fmt.Sprintf(addr, i+1))
			ad.Flags = unix.IFA_F_NODAD // usable at once
			if err := hs[i].AddrAdd(l, ad); err != nil {
				t.Fatal(err)
			}
		}
		if err := hs[i].LinkSetUp(l); err != nil {
			t.Fatal(err)
		}
		lo, _ := hs[i].LinkByName("lo")
		hs[i].LinkSetUp(lo)
	}
	var ln net.Listener
	netnstest.In(t, nss[1], func() {
		ln, err = net.Listen("tcp", "[fd09::2]:8080")
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	probes := func() (ping, tcp probe.Result) {
		netnstest.In(t, nss[0], func() {
			ping = probePing(t.Context(), pingOptions{to: netip.MustParseAddr("10.9.0.2"), count: 2, interval: 200 * time.Millisecond, timeout: time.Second})
			tcp = probeTCP(t.Context(), connectOptions{to: "[fd09::2]:8080", timeout: 2 * time.Second})
		})
		return
	}
	ping, tcp := probes()
	// The listener answers no whoami line: connected is enough.
	if ping.Result != probe.OK || tcp.Result != probe.WrongAnswer {
		t.Fatalf("control, no reject: ping %v, tcp %v; want ping ok and tcp connected", ping, tcp)
	}
	rules := "table inet t {\n chain in {\n type filter hook input priority 0;\n" +
		" icmp type echo-request reject with icmp type admin-prohibited\n" +
		" meta nfproto ipv6 tcp dport 8080 reject with icmpv6 type admin-prohibited\n }\n}\n"
	netnstest.In(t, nss[1], func() {
		cmd := exec.Command("nft", "-f", "-")
		cmd.Stdin = strings.NewReader(rules)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("nft: %v\n%s", err, out)
		}
	})
	ping, tcp = probes()
	if ping.Result != probe.Unreachable {
		t.Errorf("ping answered by admin-prohibited = %v, want unreachable", ping)
	}
	if tcp.Result != probe.Unreachable {
		t.Errorf("tcp over IPv6 rejected with icmpv6 admin-prohibited = %v, want unreachable", tcp)
	}
}

// TestUDPNetHostUnreachable: the udp probe reads ICMP network and host
// unreachable (codes 0 and 1, RouterOS's default reject-with=
// icmp-network-unreachable) and ICMPv6 no route (an IPv6 rule's default
// icmp-no-route) as unreachable: Linux reports these on a UDP socket only
// with IP_RECVERR/IPV6_RECVERR, and the probe read them as a timeout
// (forum27 D5). The negative control: a plain drop still reads as timeout.
func TestUDPNetHostUnreachable(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for network namespaces")
	}
	if _, err := exec.LookPath("nft"); err != nil {
		t.Skip("needs nft")
	}
	nss, hs := netnstest.New(t, 2)
	if err := hs[0].LinkAdd(&netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: "va"}, PeerName: "vb"}); err != nil {
		t.Fatal(err)
	}
	peer, err := hs[0].LinkByName("vb")
	if err != nil {
		t.Fatal(err)
	}
	if err := hs[0].LinkSetNsFd(peer, int(nss[1])); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"va", "vb"} {
		l, err := hs[i].LinkByName(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, addr := range []string{"10.9.0.%d/24", "fd09::%d/64"} {
			ad, _ := netlink.ParseAddr(fmt.Sprintf(addr, i+1))
			ad.Flags = unix.IFA_F_NODAD
			if err := hs[i].AddrAdd(l, ad); err != nil {
				t.Fatal(err)
			}
		}
		if err := hs[i].LinkSetUp(l); err != nil {
			t.Fatal(err)
		}
	}
	rules := "table inet t {\n chain in {\n type filter hook input priority 0;\n" +
		" udp dport 7001 reject with icmp type net-unreachable\n" +
		" udp dport 7002 reject with icmp type host-unreachable\n" +
		" udp dport 7003 drop\n" +
		" udp dport 7005 reject with icmp type prot-unreachable\n" +
		" meta nfproto ipv6 udp dport 7004 reject with icmpv6 type no-route\n }\n}\n"
	netnstest.In(t, nss[1], func() {
		cmd := exec.Command("nft", "-f", "-")
		cmd.Stdin = strings.NewReader(rules)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("nft: %v\n%s", err, out)
		}
	})
	for _, tt := range []struct {
		to   string
		want probe.Outcome
	}{
		{"10.9.0.2:7001", probe.Unreachable},
		{"10.9.0.2:7002", probe.Unreachable},
		{"10.9.0.2:7003", probe.Timeout},
		{"[fd09::2]:7004", probe.Unreachable},
		// Protocol unreachable (a reject-with=icmp-protocol-unreachable)
		// arrives as ENOPROTOOPT, which read as error (forum59 D6).
		{"10.9.0.2:7005", probe.Unreachable},
	} {
		// An answer is waited for 5 s: on a loaded machine (a CI run beside
		// other work) the first datagram's neighbour resolution and the
		// reject's ICMP error once took more than the 0.9 s that suits
		// the silent port, which is waited for no longer than that.
		timeout := 5 * time.Second
		if tt.want == probe.Timeout {
			timeout = 900 * time.Millisecond
		}
		var res probe.Result
		netnstest.In(t, nss[0], func() {
			res = probeUDP(t.Context(), connectOptions{to: tt.to, timeout: timeout})
		})
		if res.Result != tt.want {
			t.Errorf("udp to %s: %v (%s), want %v", tt.to, res.Result, res.Error, tt.want)
		}
	}
}
