package agentcmd

import (
	"net"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/vishvananda/netlink"
)

// TestLocalAddress: --local puts an address beyond the lab on the node's
// loopback, where it answers a connection; without it nothing does.
func TestLocalAddress(t *testing.T) {
	var l localFlags
	if err := l.Set("9.9.9.9"); err != nil || len(l) != 1 {
		t.Fatalf("Set(9.9.9.9) = %v, %v", l, err)
	}
	for _, bad := range []string{"9.9.9", "2001:db8::1", ""} {
		if err := l.Set(bad); err == nil {
			t.Errorf("Set(%q) accepted", bad)
		}
	}
	if os.Geteuid() != 0 {
		t.Skip("makes a network namespace: needs root")
	}
	nss, hs := netnstest.New(t, 1)
	lo := netnstest.LoopbackUp(t, hs[0])
	listen := func() error {
		var err error
		netnstest.In(t, nss[0], func() {
			var ln net.Listener
			ln, err = net.Listen("tcp", "9.9.9.9:12566")
			if err == nil {
				ln.Close()
			}
		})
		return err
	}
	if err := listen(); err == nil {
		t.Fatal("9.9.9.9 is local before --local: the control shows nothing")
	}
	addrs := []netip.Addr{netip.MustParseAddr("9.9.9.9"), netip.MustParseAddr("1.0.0.1")}
	if err := setLocal(hs[0], addrs); err != nil {
		t.Fatal(err)
	}
	if err := setLocal(hs[0], addrs); err != nil {
		t.Fatalf("setLocal again: %v", err)
	}
	got, err := hs[0].AddrList(lo, netlink.FAMILY_V4)
	if err != nil || len(got) != 3 { // 127.0.0.1 and the two
		t.Fatalf("loopback addresses %v, %v", got, err)
	}
	if err := listen(); err != nil {
		t.Fatalf("listen on 9.9.9.9 after --local: %v", err)
	}
	var dialErr error
	netnstest.In(t, nss[0], func() {
		ln, err := net.Listen("tcp", "1.0.0.1:12566")
		if err != nil {
			dialErr = err
			return
		}
		defer ln.Close()
		c, err := net.DialTimeout("tcp", "1.0.0.1:12566", time.Second)
		if err == nil {
			c.Close()
		}
		dialErr = err
	})
	if dialErr != nil {
		t.Errorf("connect to 1.0.0.1 on the node: %v", dialErr)
	}
}
