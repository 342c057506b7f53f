package agentcmd

import (
	"context"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/internal/netnstest"
)

// TestLossRule: a share below 100 % is a numgen comparison nft accepts
// (its values are 0 to 9999); 100 % is a plain drop, since "< 10000" is
// refused by nft ("Value 10000 exceeds valid range 0-9999"). The rule sits
// at the netdev egress hook of the device, so ARP and IPv6 are dropped
// too; the IPv4-only fallback keeps the postrouting rule.
func TestLossRule(t *testing.T) {
	if r := lossRule("eth1", 30); !strings.Contains(r, `hook egress device "eth1" priority 0; numgen random mod 10000 < 3000 drop;`) ||
		!strings.HasPrefix(r, "table netdev ") {
		t.Errorf("30%%: %s", r)
	}
	r := lossRule("eth1", 100)
	if strings.Contains(r, "numgen") || !strings.Contains(r, `hook egress device "eth1" priority 0; drop;`) {
		t.Errorf("100%%: %s", r)
	}
	if r := lossRuleIPv4("eth1", 100); !strings.Contains(r, `table ip labagent_netem`) || !strings.Contains(r, `oifname "eth1" drop;`) {
		t.Errorf("IPv4 fallback 100%%: %s", r)
	}
}

// TestLossDropsARP: loss 100 on a node's link makes the node a dead
// modem: it answers no ARP either, so a neighbour that asks for its
// address never resolves it (forum41 N1: the ip-family stand-in let ARP
// pass, and check-gateway=arp never saw the gateway die). Control: after
// --clear the same neighbour resolves it.
func TestLossDropsARP(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("makes network namespaces: needs root")
	}
	if _, err := exec.LookPath("nft"); err != nil {
		t.Skip("no nft")
	}
	nss, hs := netnstest.New(t, 2)
	a := &netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: "va"}, PeerName: "vb"}
	if err := hs[0].LinkAdd(a); err != nil {
		t.Fatal(err)
	}
	vb, err := hs[0].LinkByName("vb")
	if err != nil {
		t.Fatal(err)
	}
	if err := hs[0].LinkSetNsFd(vb, int(nss[1])); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"va", "vb"} {
		l, err := hs[i].LinkByName(name)
		if err != nil {
			t.Fatal(err)
		}
		ad, _ := netlink.ParseAddr([]string{"10.9.9.1/24", "10.9.9.2/24"}[i])
		if err := hs[i].AddrAdd(l, ad); err != nil {
			t.Fatal(err)
		}
		if err := hs[i].LinkSetUp(l); err != nil {
			t.Fatal(err)
		}
	}
	netem := func(o netemOptions) {
		t.Helper()
		o.address = netip.MustParseAddr("10.9.9.2")
		var res probe.Result
		netnstest.In(t, nss[1], func() { res = applyNetem(context.Background(), o) })
		if res.Result != probe.OK {
			t.Fatalf("netem %+v: %+v", o, res)
		}
		t.Logf("applied: %s", res.Applied)
	}
	// resolved asks for 10.9.9.2 from the other end (a TCP connect sends
	// the ARP request) and says whether its neighbour entry got a MAC.
	resolved := func() bool {
		t.Helper()
		va, _ := hs[0].LinkByName("va")
		_ = hs[0].NeighDel(&netlink.Neigh{LinkIndex: va.Attrs().Index, IP: net.ParseIP("10.9.9.2")})
		netnstest.In(t, nss[0], func() {
			if c, err := net.DialTimeout("tcp", "10.9.9.2:12566", 1500*time.Millisecond); err == nil {
				c.Close()
			}
		})
		ns, err := hs[0].NeighList(va.Attrs().Index, netlink.FAMILY_V4)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range ns {
			if n.IP.Equal(net.ParseIP("10.9.9.2")) && len(n.HardwareAddr) == 6 && n.State&(netlink.NUD_REACHABLE|netlink.NUD_STALE|netlink.NUD_DELAY|netlink.NUD_PROBE) != 0 {
				return true
			}
		}
		return false
	}
	netem(netemOptions{loss: 100})
	if resolved() {
		t.Errorf("loss 100 on 10.9.9.2's link: its ARP reply still reached the neighbour")
	}
	netem(netemOptions{clear: true})
	if !resolved() {
		t.Errorf("control: after clear, 10.9.9.2 does not resolve")
	}
}
