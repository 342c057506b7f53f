package kernel

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
)

// TestStaticARP: a static ARP entry is a permanent neighbour: with a MAC
// that is not the server's, the router's own connection to the server goes
// to that MAC and never arrives (the kernel does not ask); without the
// entry the router asks, learns the real MAC and connects (the control).
// Removing the entry takes the permanent neighbour away.
func TestStaticARP(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	srv, rtr := nsHandle(t, l.s), nsHandle(t, l.r)
	serveOn(t, srv, "tcp4", "192.168.88.10:12566")
	st := baseState()
	st.StaticARP = []Neighbor{{Addr: netip.MustParseAddr("192.168.88.10"), MAC: "02:00:00:00:00:99", Interface: "ether2"}}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	permanent := func() []string {
		t.Helper()
		l2, err := dp.nl.LinkByName("ether2")
		if err != nil {
			t.Fatal(err)
		}
		ns, err := dp.nl.NeighList(l2.Attrs().Index, netlink.FAMILY_V4)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, n := range ns {
			if n.State&netlink.NUD_PERMANENT != 0 {
				out = append(out, n.IP.String()+" "+n.HardwareAddr.String())
			}
		}
		return out
	}
	if got := permanent(); len(got) != 1 || got[0] != "192.168.88.10 02:00:00:00:00:99" {
		t.Fatalf("permanent neighbours %v", got)
	}
	if saw, err := dialOn(rtr, "tcp4", "", "192.168.88.10:12566"); err == nil {
		t.Errorf("the router reached the server through a static entry with another MAC: saw %q", saw)
	}
	st.StaticARP = nil
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if got := permanent(); len(got) != 0 {
		t.Errorf("permanent neighbours left: %v", got)
	}
	if _, err := dialOn(rtr, "tcp4", "", "192.168.88.10:12566"); err != nil {
		t.Errorf("without the entry: %v", err)
	}
}

// TestReplyOnly: on an arp=reply-only port the router reaches only the
// hosts of its static entries: it connects to the client it has an entry
// for, and not to the server, whose ARP it neither asks for nor learns
// (the server cannot resolve the router either: its request is dropped).
// With ARP enabled again the server is reached (the control), and the arp
// table goes.
func TestReplyOnly(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	srv, cli, rtr := nsHandle(t, l.s), nsHandle(t, l.c), nsHandle(t, l.r)
	serveOn(t, srv, "tcp4", "192.168.88.10:12566")
	serveOn(t, cli, "tcp4", "192.168.88.20:12566")
	chl, err := netlink.NewHandleAt(cli)
	if err != nil {
		t.Fatal(err)
	}
	defer chl.Close()
	lan0, err := chl.LinkByName("lan0")
	if err != nil {
		t.Fatal(err)
	}
	st := baseState()
	st.PortStates = map[string]PortState{"ether2": {ARP: "reply-only"}}
	st.StaticARP = []Neighbor{{Addr: netip.MustParseAddr("192.168.88.20"), MAC: lan0.Attrs().HardwareAddr.String(), Interface: "ether2"}}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if _, err := dialOn(rtr, "tcp4", "", "192.168.88.20:12566"); err != nil {
		t.Errorf("the router does not reach the client of its static entry: %v", err)
	}
	if saw, err := dialOn(rtr, "tcp4", "", "192.168.88.10:12566"); err == nil {
		t.Errorf("the router reached the server without a static entry: saw %q", saw)
	}
	if saw, err := dialOn(srv, "tcp4", "", "203.0.113.2:22"); err == nil || !strings.Contains(err.Error(), "timeout") {
		t.Errorf("the server's packets reached the router: saw %q, %v", saw, err)
	}
	st.PortStates = nil
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	// A resolution the kernel still had under way may fail once more
	// right after the change; the next one gets through.
	var derr error
	for i := 0; i < 3; i++ {
		if _, derr = dialOn(rtr, "tcp4", "", "192.168.88.10:12566"); derr == nil {
			break
		}
		time.Sleep(time.Second)
	}
	if derr != nil {
		t.Errorf("with ARP enabled: %v", derr)
	}
	if out, err := run(dp.ns, "", dp.nft, "list", "tables"); err != nil || strings.Contains(out, ARPTableName) {
		t.Errorf("the arp table stayed: %q, %v", out, err)
	}
}
