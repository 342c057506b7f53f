package dhcpserver

import (
	"context"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4/nclient4"
	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/internal/netnstest"
)

// TestLeaseBehindInputDrop: a client on a veth gets its lease from the
// server while the router's input chain drops everything, as RouterOS's
// server reads requests below the firewall; the drop rule's counter shows
// that the requests did cross the filter and were dropped there (so a
// server on an ordinary UDP socket, as before, got none).
func TestLeaseBehindInputDrop(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for network namespaces")
	}
	if _, err := exec.LookPath("nft"); err != nil {
		t.Skip("needs nft")
	}
	nss, hs := netnstest.New(t, 2)
	rns, cns := nss[0], nss[1]
	veth := &netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: "ether2", Namespace: netlink.NsFd(rns)}, PeerName: "eth0", PeerNamespace: netlink.NsFd(cns)}
	if err := netlink.LinkAdd(veth); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"ether2", "eth0"} {
		l, err := hs[i].LinkByName(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := hs[i].LinkSetUp(l); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			a, _ := netlink.ParseAddr("192.168.88.1/24")
			if err := hs[0].AddrAdd(l, a); err != nil {
				t.Fatal(err)
			}
		}
	}
	netnstest.In(t, rns, func() {
		out, err := exec.Command("nft", "add table ip t; add chain ip t input { type filter hook input priority 0; }; add rule ip t input counter drop").CombinedOutput()
		if err != nil {
			t.Errorf("nft: %v: %s", err, out)
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := &server{m: New(nil), e: router(t), name: "lan", iface: "ether2", authoritative: true}
	s.m.Port = 67
	go netnstest.In(t, rns, func() { s.run(ctx) })

	var lease *nclient4.Lease
	netnstest.In(t, cns, func() {
		c, err := nclient4.New("eth0", nclient4.WithTimeout(2*time.Second), nclient4.WithRetry(3))
		if err != nil {
			t.Errorf("client: %v", err)
			return
		}
		defer c.Close()
		lctx, lcancel := context.WithTimeout(ctx, 10*time.Second)
		defer lcancel()
		lease, err = c.Request(lctx)
		if err != nil {
			t.Errorf("no lease behind the input drop: %v", err)
		}
	})
	if lease == nil {
		return
	}
	if got := lease.ACK.YourIPAddr.String(); got != "192.168.88.200" {
		t.Errorf("leased %s, want 192.168.88.200", got)
	}
	netnstest.In(t, rns, func() {
		out, _ := exec.Command("nft", "list chain ip t input").CombinedOutput()
		if strings.Contains(string(out), "counter packets 0 ") {
			t.Errorf("the input drop counted nothing; want the requests dropped there:\n%s", out)
		}
	})
}

// TestRawReadsOnlyTheRouters: the packet socket sees every packet the
// interface receives, so the server takes only those addressed to the
// router there: the broadcast address, the subnet's broadcast, its own
// address. A request unicast to another DHCP server routed through the
// router (10.9.9.9) is not its to answer (the control).
func TestRawReadsOnlyTheRouters(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for network namespaces")
	}
	nss, hs := netnstest.New(t, 1)
	if err := hs[0].LinkAdd(&netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: "ether2"}, PeerName: "peer0"}); err != nil {
		t.Fatal(err)
	}
	l, err := hs[0].LinkByName("ether2")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := netlink.ParseAddr("192.168.88.1/24")
	if err := hs[0].AddrAdd(l, a); err != nil {
		t.Fatal(err)
	}
	netnstest.In(t, nss[0], func() {
		ifc, err := net.InterfaceByName("ether2")
		if err != nil {
			t.Fatal(err)
		}
		c := &toRouter{ifc: ifc}
		for dst, want := range map[string]bool{"255.255.255.255": true, "192.168.88.255": true, "192.168.88.1": true, "10.9.9.9": false, "192.168.88.7": false} {
			if got := c.mine(netip.MustParseAddr(dst)); got != want {
				t.Errorf("mine(%s) = %v, want %v", dst, got, want)
			}
		}
	})
}
