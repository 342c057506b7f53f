package kernel

import (
	"net/netip"
	"testing"
)

// TestOnLinkPublishedSkipsRouterAddresses: a published entry for one of
// the router's own addresses is the kernel's to answer, even when the
// interface holds a second address of the same network; an extra address
// of that network that the router does not hold gets the responder.
func TestOnLinkPublishedSkipsRouterAddresses(t *testing.T) {
	st := &State{
		Addresses: []Address{
			{Prefix: netip.MustParsePrefix("203.0.113.2/29"), Interface: "ether1"},
			{Prefix: netip.MustParsePrefix("203.0.113.3/29"), Interface: "ether1"},
		},
		PublishedARP: []Neighbor{
			{Addr: netip.MustParseAddr("203.0.113.3"), Interface: "ether1"},
			{Addr: netip.MustParseAddr("203.0.113.4"), Interface: "ether1"},
		},
	}
	got := onLinkPublished(st).addrs[LinkName("ether1")]
	if got[netip.MustParseAddr("203.0.113.3")] {
		t.Errorf("the router's own 203.0.113.3 is answered by the responder: %v", got)
	}
	if !got[netip.MustParseAddr("203.0.113.4")] || len(got) != 1 {
		t.Errorf("want only 203.0.113.4 answered, got %v", got)
	}
}
