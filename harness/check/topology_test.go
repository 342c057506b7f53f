package check

import (
	"net/netip"
	"testing"
)

// freeHost stays inside its prefix: on a /30 with the router and a server
// there is no room (a walk from an address outside the prefix never ended),
// and on a /24 it skips what is taken.
func TestFreeHost(t *testing.T) {
	p := netip.MustParsePrefix("10.71.1.1/30")
	taken := map[netip.Addr]bool{netip.MustParseAddr("10.71.1.1"): true}
	if a, ok := freeHost(p, 100, taken); !ok || a != netip.MustParseAddr("10.71.1.2") {
		t.Errorf("/30 with the router: %v %v, want 10.71.1.2", a, ok)
	}
	taken[netip.MustParseAddr("10.71.1.2")] = true
	if a, ok := freeHost(p, 100, taken); ok {
		t.Errorf("/30 with the router and a server: %v, want none (.3 is the broadcast)", a)
	}
	if a, ok := freeHost(netip.MustParsePrefix("192.0.2.1/32"), 100, nil); !ok || a != netip.MustParseAddr("192.0.2.1") {
		t.Errorf("/32: %v %v", a, ok)
	}
	l := netip.MustParsePrefix("192.168.88.1/24")
	taken = map[netip.Addr]bool{netip.MustParseAddr("192.168.88.100"): true}
	if a, ok := freeHost(l, 100, taken); !ok || a != netip.MustParseAddr("192.168.88.101") {
		t.Errorf("/24: %v %v, want .101", a, ok)
	}
}
