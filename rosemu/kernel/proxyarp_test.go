package kernel

import (
	"maps"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
)

// clientNeighbor waits up to three seconds for the client's neighbour
// entry of addr to resolve and returns its MAC ("" if it never does).
// Linux delays a proxied answer by up to proxy_delay (0.8 s).
func clientNeighbor(t *testing.T, h *netlink.Handle, link netlink.Link, addr string) string {
	t.Helper()
	ip := net.ParseIP(addr)
	for i := 0; i < 30; i++ {
		ns, err := h.NeighList(link.Attrs().Index, netlink.FAMILY_V4)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range ns {
			if n.IP.Equal(ip) && n.State&(netlink.NUD_REACHABLE|netlink.NUD_STALE|netlink.NUD_DELAY|netlink.NUD_PROBE) != 0 {
				return n.HardwareAddr.String()
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return ""
}

// TestProxyARP: with arp=proxy-arp on the LAN port the router answers the
// client's ARP for an address it routes out of the WAN (the client was
// told the peer's network is on its link) and forwards: the client reaches
// the peer. It does not answer for an address of the LAN's own network
// (that is local-proxy-arp). Without it (the control) the client's ARP
// goes unanswered. ARP page of the manual (forum28 D2).
func TestProxyARP(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	cli, wan := nsHandle(t, l.c), nsHandle(t, l.w)
	serveOn(t, wan, "tcp4", "198.51.100.50:12566")
	chl, err := netlink.NewHandleAt(cli)
	if err != nil {
		t.Fatal(err)
	}
	defer chl.Close()
	lan0, err := chl.LinkByName("lan0")
	if err != nil {
		t.Fatal(err)
	}
	ipcmd(t, "-n", l.c, "route", "add", "198.51.100.0/24", "dev", "lan0")
	ether2, err := dp.nl.LinkByName("ether2")
	if err != nil {
		t.Fatal(err)
	}
	rmac := ether2.Attrs().HardwareAddr.String()

	// The control first: ARP enabled, nobody answers for the peer.
	st := baseState()
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if saw, err := dialOn(cli, "tcp4", "", "198.51.100.50:12566"); err == nil {
		t.Errorf("the client reached the peer on its link without proxy ARP: saw %q", saw)
	}
	ipcmd(t, "-n", l.c, "neigh", "flush", "dev", "lan0")

	st.PortStates = map[string]PortState{"ether2": {ARP: "proxy-arp"}}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	var derr error
	for i := 0; i < 3; i++ {
		if _, derr = dialOn(cli, "tcp4", "", "198.51.100.50:12566"); derr == nil {
			break
		}
	}
	if derr != nil {
		t.Errorf("arp=proxy-arp: the client does not reach the peer: %v", derr)
	}
	if mac := clientNeighbor(t, chl, lan0, "198.51.100.50"); mac != rmac {
		t.Errorf("arp=proxy-arp: the client has %q for the peer, want the router's %s", mac, rmac)
	}
	dialOn(cli, "tcp4", "", "192.168.88.99:12566")
	if mac := clientNeighbor(t, chl, lan0, "192.168.88.99"); mac != "" {
		t.Errorf("arp=proxy-arp answered for an address of the port's own network: %s", mac)
	}
}

// TestLocalProxyARP: with arp=local-proxy-arp the router answers ARP for
// hosts of the port's own network (Linux's proxy_arp_pvlan), so that they
// talk through it: the client resolves 192.168.88.99, which no host has,
// to the router's MAC. With ARP enabled (the control) it stays unresolved.
func TestLocalProxyARP(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	cli := nsHandle(t, l.c)
	chl, err := netlink.NewHandleAt(cli)
	if err != nil {
		t.Fatal(err)
	}
	defer chl.Close()
	lan0, err := chl.LinkByName("lan0")
	if err != nil {
		t.Fatal(err)
	}
	ether2, err := dp.nl.LinkByName("ether2")
	if err != nil {
		t.Fatal(err)
	}
	st := baseState()
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	dialOn(cli, "tcp4", "", "192.168.88.99:12566")
	if mac := clientNeighbor(t, chl, lan0, "192.168.88.99"); mac != "" {
		t.Errorf("arp=enabled: something answered for 192.168.88.99: %s", mac)
	}
	ipcmd(t, "-n", l.c, "neigh", "flush", "dev", "lan0")
	st.PortStates = map[string]PortState{"ether2": {ARP: "local-proxy-arp"}}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	dialOn(cli, "tcp4", "", "192.168.88.99:12566")
	if mac, want := clientNeighbor(t, chl, lan0, "192.168.88.99"), ether2.Attrs().HardwareAddr.String(); mac != want {
		t.Errorf("arp=local-proxy-arp: the client has %q for 192.168.88.99, want the router's %s", mac, want)
	}
	// Back to enabled: the sysctls are reset.
	st.PortStates = nil
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"proxy_arp", "proxy_arp_pvlan"} {
		if v, err := readSysctl(dp.ns, "net.ipv4.conf.ether2."+k); err != nil || v != "0" {
			t.Errorf("after arp=enabled: %s = %q, %v", k, v, err)
		}
	}
}

// TestPublishedARP: a published /ip arp entry for 198.51.100.50 on the LAN
// port makes the router answer the client's ARP for that address (the
// router routes it out of the WAN) with its own MAC, and the client
// reaches the peer; 198.51.100.51, not published, stays unanswered (the
// control), and once the entry is removed the proxy neighbour is gone.
// ARP page of the manual (forum28 leftover).
func TestPublishedARP(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	cli, wan := nsHandle(t, l.c), nsHandle(t, l.w)
	serveOn(t, wan, "tcp4", "198.51.100.50:12567")
	chl, err := netlink.NewHandleAt(cli)
	if err != nil {
		t.Fatal(err)
	}
	defer chl.Close()
	lan0, err := chl.LinkByName("lan0")
	if err != nil {
		t.Fatal(err)
	}
	ipcmd(t, "-n", l.c, "route", "add", "198.51.100.0/24", "dev", "lan0")
	ether2, err := dp.nl.LinkByName("ether2")
	if err != nil {
		t.Fatal(err)
	}
	rmac := ether2.Attrs().HardwareAddr.String()

	st := baseState()
	st.PublishedARP = []Neighbor{{Addr: netip.MustParseAddr("198.51.100.50"), Interface: "ether2"}}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	var derr error
	for i := 0; i < 3; i++ {
		if _, derr = dialOn(cli, "tcp4", "", "198.51.100.50:12567"); derr == nil {
			break
		}
	}
	if derr != nil {
		t.Errorf("published 198.51.100.50: the client does not reach the peer: %v", derr)
	}
	if mac := clientNeighbor(t, chl, lan0, "198.51.100.50"); mac != rmac {
		t.Errorf("published 198.51.100.50: the client has %q for it, want the router's %s", mac, rmac)
	}
	dialOn(cli, "tcp4", "", "198.51.100.51:12567")
	if mac := clientNeighbor(t, chl, lan0, "198.51.100.51"); mac != "" {
		t.Errorf("198.51.100.51 is not published but was answered: %s", mac)
	}

	// Linux answers a proxy neighbour only for an address routed out of
	// another link; published on the LAN's own network (an extra public
	// address of the WAN's subnet, forum47 D1) the responder of pubarp.go
	// answers it, with the router's MAC, as RouterOS does.
	st.PublishedARP = append(st.PublishedARP, Neighbor{Addr: netip.MustParseAddr("192.168.88.99"), Interface: "ether2"})
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	dialOn(cli, "tcp4", "", "192.168.88.99:12567")
	if mac := clientNeighbor(t, chl, lan0, "192.168.88.99"); mac != rmac {
		t.Errorf("published 192.168.88.99 on its own link: the client has %q for it, want the router's %s", mac, rmac)
	}
	dialOn(cli, "tcp4", "", "192.168.88.98:12567")
	if mac := clientNeighbor(t, chl, lan0, "192.168.88.98"); mac != "" {
		t.Errorf("192.168.88.98 is not published but was answered: %s", mac)
	}

	st.PublishedARP = nil
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if ps, err := dp.nl.NeighProxyList(0, netlink.FAMILY_V4); err != nil || len(ps) != 0 {
		t.Errorf("after the entry is removed: proxy neighbours %v, %v; want none", ps, err)
	}
	if len(dp.pubResp) != 0 {
		t.Errorf("after the entry is removed: ARP responders still run on %v", slices.Collect(maps.Keys(dp.pubResp)))
	}
}
