package pppoe

import (
	"context"
	"net"
	"net/netip"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/chrlab/chrlab/rosemu/service/ppp"
)

func tunAddr(h *netlink.Handle, name string, local, peer netip.Addr, mtu int) error {
	lk, err := h.LinkByName(name)
	if err != nil {
		return err
	}
	_ = h.LinkSetMTU(lk, mtu)
	ad := &netlink.Addr{IPNet: &net.IPNet{IP: local.AsSlice(), Mask: net.CIDRMask(32, 32)},
		Peer: &net.IPNet{IP: peer.AsSlice(), Mask: net.CIDRMask(32, 32)}}
	if err := h.AddrReplace(lk, ad); err != nil {
		return err
	}
	return h.LinkSetUp(lk)
}

// TestRealKernel runs client and server in two network namespaces joined
// by a veth pair, over AF_PACKET and TUN, and sends UDP through the
// session; it needs root.
func TestRealKernel(t *testing.T) {
	if testing.Short() || os.Geteuid() != 0 {
		t.Skip("needs root and no -short: makes namespaces, a veth pair and TUN devices")
	}
	nss, hs := netnstest.New(t, 2)
	nsS, nsC := nss[0], nss[1]
	hS, hC := hs[0], hs[1]
	netnstest.Veth(t, hS, hC, "isp0", nsC, "ether1")
	for _, x := range []struct {
		h    *netlink.Handle
		name string
	}{{hS, "lo"}, {hC, "lo"}} {
		lk, err := x.h.LinkByName(x.name)
		if err != nil {
			t.Fatal(err)
		}
		if err := x.h.LinkSetUp(lk); err != nil {
			t.Fatal(err)
		}
	}
	local, peer := netip.MustParseAddr("198.51.100.1"), netip.MustParseAddr("100.64.7.9")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var sl Link
	var err error
	netnstest.In(t, nsS, func() { sl, err = OpenLink("isp0") })
	if err != nil {
		t.Fatal(err)
	}
	cfg := ServerConfig{ACName: "lab-isp", Local: local, Keepalive: 5 * time.Second,
		Check:  func(u string, proves Verifier) bool { return u == "home" && proves("s3cret") },
		Assign: func(string) (netip.Addr, bool) { return peer, true }}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = Serve(ctx, sl, cfg, func(c *Conn) {
			var tun *os.File
			var terr error
			netnstest.In(t, nsS, func() { tun, terr = ppp.OpenTUN("pppoe-in1") })
			if terr != nil {
				t.Errorf("server TUN: %v", terr)
				return
			}
			if err := tunAddr(hS, "pppoe-in1", local, c.Peer, c.MTU); err != nil {
				t.Errorf("server TUN address: %v", err)
			}
			_ = ppp.Pump(c, tun, nil)
			tun.Close()
		})
	}()
	defer func() { cancel(); <-served }()

	var cl Link
	netnstest.In(t, nsC, func() { cl, err = OpenLink("ether1") })
	if err != nil {
		t.Fatal(err)
	}
	dctx, dcancel := context.WithTimeout(ctx, 10*time.Second)
	defer dcancel()
	c, err := Dial(dctx, cl, ClientConfig{User: "home", Password: "s3cret", Keepalive: 5 * time.Second})
	if err != nil {
		t.Fatalf("Dial over veth: %v", err)
	}
	defer c.Close()
	if c.Local != peer || c.Peer != local {
		t.Fatalf("client got %s peer %s", c.Local, c.Peer)
	}
	if c.Auth != MSCHAPv2 {
		t.Fatalf("client authenticated with %q: both ends allow all, so the server's first choice mschap2 should do", c.Auth)
	}
	var tun *os.File
	netnstest.In(t, nsC, func() { tun, err = ppp.OpenTUN("pppoe-out1") })
	if err != nil {
		t.Fatal(err)
	}
	if err := tunAddr(hC, "pppoe-out1", c.Local, c.Peer, c.MTU); err != nil {
		t.Fatal(err)
	}
	defer tun.Close()
	go func() { _ = ppp.Pump(c, tun, nil) }()

	// The server side gets its address in Serve's callback, which may not
	// have run yet when Dial returns: wait for it before binding to it.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		addrs, _ := hS.AddrList(nil, netlink.FAMILY_V4)
		if slices.ContainsFunc(addrs, func(a netlink.Addr) bool { return a.IP.Equal(local.AsSlice()) }) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server side never got %s", local)
		}
	}
	// A UDP echo on the server's address, asked from the client's.
	var srv *net.UDPConn
	netnstest.In(t, nsS, func() { srv, err = net.ListenUDP("udp4", &net.UDPAddr{IP: local.AsSlice(), Port: 7007}) })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	go func() {
		b := make([]byte, 2000)
		for {
			n, from, err := srv.ReadFromUDP(b)
			if err != nil {
				return
			}
			_, _ = srv.WriteToUDP(append([]byte("echo "), b[:n]...), from)
		}
	}()
	var cc *net.UDPConn
	netnstest.In(t, nsC, func() { cc, err = net.DialUDP("udp4", nil, &net.UDPAddr{IP: local.AsSlice(), Port: 7007}) })
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	buf := make([]byte, 2000)
	var got string
	for i := 0; i < 20 && got == ""; i++ { // the server's TUN comes up a moment after IPCP
		_, _ = cc.Write([]byte("hello"))
		_ = cc.SetReadDeadline(time.Now().Add(250 * time.Millisecond))
		if n, err := cc.Read(buf); err == nil {
			got = string(buf[:n])
		}
	}
	if got != "echo hello" {
		t.Fatalf("UDP through the PPPoE session: got %q, want %q", got, "echo hello")
	}
	if la := cc.LocalAddr().(*net.UDPAddr).IP.String(); la != peer.String() {
		t.Fatalf("the client sent from %s, want its PPPoE address %s", la, peer)
	}
}
