package kernel

import (
	"net/netip"
	"testing"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// TestPointToPointPeer: a /32 address with a peer (RouterOS's
// "address=1.1.1.1 network=2.2.2.2", a hosting template's WAN) is
// installed with that peer, so the default route by the peer resolves on
// the link and is installed; the same address without a peer leaves the
// route unreachable (inactive), as before and as Linux refuses it
// (realcheck21 D1). A changed peer replaces the address's.
func TestPointToPointPeer(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	local := netip.MustParsePrefix("1.1.1.1/32")
	def := netip.MustParsePrefix("0.0.0.0/0")
	state := func(peer, gw string) *State {
		st := baseState()
		st.Addresses[0] = Address{Prefix: local, Interface: "ether1"}
		if peer != "" {
			st.Addresses[0].Peer = netip.MustParseAddr(peer)
		}
		st.Routes = []Route{{Dst: def, Gateway: gw, Distance: 1}}
		return st
	}
	installed := func() (string, bool) {
		t.Helper()
		rs, err := dp.nl.RouteListFiltered(netlink.FAMILY_V4, &netlink.Route{Table: unix.RT_TABLE_MAIN, Protocol: routeProto}, netlink.RT_FILTER_TABLE|netlink.RT_FILTER_PROTOCOL)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Dst == nil || r.Dst.String() == "0.0.0.0/0" {
				if r.Gw != nil {
					return r.Gw.String(), true
				}
			}
		}
		return "", false
	}
	inactive := func() bool {
		for _, r := range dp.InactiveRoutes() {
			if r.Dst == def {
				return true
			}
		}
		return false
	}
	peerOnLink := func() string {
		t.Helper()
		ln, err := dp.nl.LinkByName(LinkName("ether1"))
		if err != nil {
			t.Fatal(err)
		}
		as, err := dp.nl.AddrList(ln, netlink.FAMILY_V4)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			if p, ok := ipnetPrefix(a.IPNet); ok && p == local {
				if pe := addrPeer(a); pe.IsValid() {
					return pe.String()
				}
				return "none"
			}
		}
		return "absent"
	}

	// Control: no peer, the gateway is on no link of the router.
	if err := dp.Apply(state("", "2.2.2.2")); err != nil {
		t.Fatalf("apply without a peer: %v", err)
	}
	if gw, on := installed(); on || !inactive() {
		t.Errorf("without a peer: default route installed %v (via %s), inactive %v; want it refused, inactive", on, gw, inactive())
	}
	if got := peerOnLink(); got != "none" {
		t.Errorf("without a peer: ether1's 1.1.1.1/32 has peer %s, want none", got)
	}

	if err := dp.Apply(state("2.2.2.2", "2.2.2.2")); err != nil {
		t.Fatalf("apply with peer 2.2.2.2: %v", err)
	}
	if got := peerOnLink(); got != "2.2.2.2" {
		t.Errorf("ether1's 1.1.1.1/32 has peer %s, want 2.2.2.2", got)
	}
	if gw, on := installed(); !on || gw != "2.2.2.2" || inactive() {
		t.Errorf("with peer 2.2.2.2: default route installed %v via %s, inactive %v; want installed via 2.2.2.2", on, gw, inactive())
	}

	// The peer moves: the address is replaced, and the route follows.
	if err := dp.Apply(state("3.3.3.3", "3.3.3.3")); err != nil {
		t.Fatalf("apply with peer 3.3.3.3: %v", err)
	}
	if got := peerOnLink(); got != "3.3.3.3" {
		t.Errorf("after the peer moved: peer %s, want 3.3.3.3", got)
	}
	if gw, on := installed(); !on || gw != "3.3.3.3" || inactive() {
		t.Errorf("with peer 3.3.3.3: default route installed %v via %s, inactive %v", on, gw, inactive())
	}
}
