package netwatch

import (
	"context"
	"net"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/chrlab/chrlab/rosemu/config"
)

// An echo with a routing table's mark goes by that table: in a router
// namespace whose main table has no route to the peer's address and
// whose table 2 (selected by fwmark 2/0xff, as rosemu's ip rules select
// a routing mark) routes it over a veth pair, the marked echoes are
// answered and the unmarked ones cannot leave. Needs root.
func TestEchoMark(t *testing.T) {
	if testing.Short() || os.Geteuid() != 0 {
		t.Skip("needs root and no -short: makes namespaces and a veth pair")
	}
	nss, hs := netnstest.New(t, 2)
	nsR, nsP := nss[0], nss[1]
	hR, hP := hs[0], hs[1]
	netnstest.Veth(t, hR, hP, "ether2", nsP, "isp2", "10.20.0.2/30", "10.20.0.1/30")
	addr := func(h *netlink.Handle, name, cidr string) {
		lk, err := h.LinkByName(name)
		if err != nil {
			t.Fatal(err)
		}
		if cidr != "" {
			a, _ := netlink.ParseAddr(cidr)
			if err := h.AddrAdd(lk, a); err != nil {
				t.Fatal(err)
			}
		}
		if err := h.LinkSetUp(lk); err != nil {
			t.Fatal(err)
		}
	}
	addr(hR, "lo", "")
	addr(hP, "lo", "192.0.2.99/32")
	// The peer answers 10.20.0.0/30 on its link; the router reaches
	// 192.0.2.99 only through table 2.
	lk, _ := hR.LinkByName("ether2")
	dst := &net.IPNet{IP: net.ParseIP("192.0.2.99").To4(), Mask: net.CIDRMask(32, 32)}
	if err := hR.RouteAdd(&netlink.Route{Dst: dst, Gw: net.ParseIP("10.20.0.1"), LinkIndex: lk.Attrs().Index, Table: 2}); err != nil {
		t.Fatal(err)
	}
	rule := netlink.NewRule()
	rule.Family = unix.AF_INET
	mask := uint32(0xff)
	rule.Mark, rule.Mask, rule.Table, rule.Priority = 2, &mask, 2, 20000
	if err := hR.RuleAdd(rule); err != nil {
		t.Fatal(err)
	}

	p := config.PingRequest{Host: netip.MustParseAddr("192.0.2.99"), Count: 2, Interval: 10 * time.Millisecond, Timeout: time.Second}
	var marked, unmarked EchoResult
	netnstest.In(t, nsR, func() {
		unmarked = Echo(context.Background(), p)
		p.Mark = 2
		marked = Echo(context.Background(), p)
	})
	if marked.Received != 2 {
		t.Errorf("with table 2's mark: %+v, want 2 of 2 answered", marked)
	}
	if unmarked.Received != 0 {
		t.Errorf("without a mark (main has no route): %+v, want none answered", unmarked)
	}
}
