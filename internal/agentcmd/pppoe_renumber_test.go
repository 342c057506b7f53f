package agentcmd

import (
	"context"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/chrlab/chrlab/rosemu/service/ppp"
	"github.com/vishvananda/netlink"
)

// labagent renumber on a PPPoE ISP (f69 D1): the next session gets the new
// address and the session up now is hung up (LCP Terminate-Request, then
// PADT), so that the customer dials again; an address outside the
// customer network or the ISP's own is refused and changes nothing.
func TestPPPoERenumberHangsUp(t *testing.T) {
	var sent []uint16
	padt := make(chan struct{}, 1)
	c := ppp.New(ppp.Config{Server: true}, 7, func(proto uint16, b []byte) error {
		sent = append(sent, proto)
		return nil
	}, func() { padt <- struct{}{} })
	go c.Run(context.Background())
	s := &pppoeISP{subnet: netip.MustParsePrefix("203.0.113.0/24"), own: netip.MustParseAddr("203.0.113.1"),
		offer: netip.MustParseAddr("203.0.113.2"), sessions: map[*ppp.Conn]bool{}, logf: t.Logf}
	s.track(c, true)

	for _, bad := range []string{"203.0.113.1", "198.51.100.9", "x"} {
		if rep := s.control(controlRequest{Op: "renumber", To: bad}); rep.Result != "error" {
			t.Errorf("renumber to %s: %+v, want an error", bad, rep)
		}
	}
	if got := s.current(); got != netip.MustParseAddr("203.0.113.2") {
		t.Fatalf("after refused renumbers the offer is %s, want 203.0.113.2", got)
	}
	select {
	case <-c.Done():
		t.Fatal("a refused renumber ended the session")
	default:
	}

	rep := s.control(controlRequest{Op: "renumber", To: "203.0.113.3"})
	if rep.Result != "ok" || rep.Old != "203.0.113.2" || rep.New != "203.0.113.3" {
		t.Fatalf("renumber: %+v", rep)
	}
	if got := s.current(); got != netip.MustParseAddr("203.0.113.3") {
		t.Errorf("the next session gets %s, want 203.0.113.3", got)
	}
	select {
	case <-padt:
	case <-time.After(5 * time.Second):
		t.Fatal("the session up at the renumbering was not hung up (no PADT)")
	}
	<-c.Done()
	if !slices.Contains(sent, 0xc021) {
		t.Errorf("no LCP frame before the PADT (protocols sent: %x), want a Terminate-Request", sent)
	}
	if rep := s.control(controlRequest{Op: "leases"}); rep.Result != "error" {
		t.Errorf("leases on the pppoe server: %+v, want an error", rep)
	}
}

// renumber finds the node's server: the DHCP server's socket when it
// listens, else the PPPoE server's.
func TestRenumberSocket(t *testing.T) {
	dir := t.TempDir()
	dhcp, pppoe := filepath.Join(dir, "dhcp.sock"), filepath.Join(dir, "pppoe.sock")
	if got := renumberSocket(dhcp, pppoe); got != dhcp {
		t.Errorf("neither listens: %s, want the DHCP socket (its error names it)", got)
	}
	l, err := net.Listen("unix", pppoe)
	if err != nil {
		t.Skip("no unix sockets here:", err)
	}
	defer l.Close()
	if got := renumberSocket(dhcp, pppoe); got != pppoe {
		t.Errorf("PPPoE server only: %s, want %s", got, pppoe)
	}
	if err := os.WriteFile(dhcp, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := renumberSocket(dhcp, pppoe); got != pppoe {
		t.Errorf("a plain file at the DHCP path: %s, want %s", got, pppoe)
	}
}

// A block the ISP routes to its PPPoE customer (f69 D5: a /29 behind the
// router's WAN, the router holding an address of it on pppoe-out1) goes
// through the session: routed onto the session's device, its sources let
// in by the session's anti-spoofing; nothing else is.
func TestPPPoERoutedBlock(t *testing.T) {
	peer, block := netip.MustParseAddr("203.0.113.2"), netip.MustParsePrefix("203.0.113.8/29")
	for src, want := range map[string]bool{"203.0.113.2": true, "203.0.113.9": true, "203.0.113.15": true, "203.0.113.16": false, "203.0.113.3": false} {
		if got := fromCustomer(netip.MustParseAddr(src), peer, []netip.Prefix{block}); got != want {
			t.Errorf("source %s from the session: %v, want %v", src, got, want)
		}
	}
	if fromCustomer(netip.MustParseAddr("203.0.113.9"), peer, nil) {
		t.Error("a block the ISP does not route is let in")
	}
	// A veth end stands in for the session's TUN device.
	nss, hs := netnstest.New(t, 2)
	netnstest.Veth(t, hs[0], hs[1], "pppoe-in1", nss[1], "eth0")
	lk, err := hs[0].LinkByName("pppoe-in1")
	if err != nil {
		t.Fatal(err)
	}
	if err := routeToSession(hs[0], "pppoe-in1", []netip.Prefix{block}); err != nil {
		t.Fatal(err)
	}
	routes, err := hs[0].RouteList(lk, netlink.FAMILY_V4)
	if err != nil {
		t.Fatal(err)
	}
	found := slices.ContainsFunc(routes, func(r netlink.Route) bool { return r.Dst != nil && r.Dst.String() == "203.0.113.8/29" })
	if !found {
		t.Errorf("routes on pppoe-in1 = %v, want 203.0.113.8/29", routes)
	}
	if err := routeToSession(hs[0], "pppoe-in9", []netip.Prefix{block}); err == nil {
		t.Error("a session device that is gone: no error")
	}
}
