package lab

import (
	"net/netip"
	"testing"
)

// TestFreeMgmtFallsBack: a lab network covering 172.16.0.0/12 (an export's
// hotspot pool) leaves the management subnet to the next range; without
// it the first is 172.31.255.0/24 (the control).
func TestFreeMgmtFallsBack(t *testing.T) {
	if got := freeMgmt(nil); len(got) == 0 || got[0] != netip.MustParsePrefix("172.31.255.0/24") {
		t.Errorf("nothing in use: %v, want 172.31.255.0/24 first", got)
	}
	got := freeMgmt([]netip.Prefix{netip.MustParsePrefix("172.16.0.0/12")})
	if len(got) == 0 || got[0] != netip.MustParsePrefix("10.255.255.0/24") {
		t.Errorf("172.16.0.0/12 in use: %v, want 10.255.255.0/24 first", got)
	}
	for _, p := range got {
		if p.Overlaps(netip.MustParsePrefix("172.16.0.0/12")) {
			t.Errorf("candidate %s overlaps the lab's network", p)
		}
	}
}
