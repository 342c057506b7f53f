package dhcpserver

import (
	"context"
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
