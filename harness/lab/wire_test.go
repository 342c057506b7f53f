package lab

import (
	"net/netip"
	"testing"
)

func TestTranslate(t *testing.T) {
	for _, tc := range []struct{ lab, wire, a, want string }{
		{"192.168.88.0/24", "10.200.3.0/24", "192.168.88.10", "10.200.3.10"},
		{"192.168.88.0/24", "10.200.3.0/24", "192.168.88.254", "10.200.3.254"},
		{"203.0.113.0/24", "10.200.0.0/24", "203.0.113.2", "10.200.0.2"},
		{"10.1.0.0/16", "10.200.0.0/16", "10.1.2.3", "10.200.2.3"},
	} {
		got := translate(netip.MustParsePrefix(tc.lab), netip.MustParsePrefix(tc.wire), netip.MustParseAddr(tc.a))
		if got.String() != tc.want {
			t.Errorf("translate(%s, %s, %s) = %s, want %s", tc.lab, tc.wire, tc.a, got, tc.want)
		}
	}
}

func TestFreePrefix(t *testing.T) {
	pool := netip.MustParsePrefix("10.200.0.0/13")
	used := []netip.Prefix{netip.MustParsePrefix("10.200.0.0/24"), netip.MustParsePrefix("10.200.1.0/24")}
	p, ok := freePrefix(pool, 24, used)
	if !ok || p.String() != "10.200.2.0/24" {
		t.Fatalf("freePrefix = %s, %v; want 10.200.2.0/24", p, ok)
	}
	if _, ok := freePrefix(pool, 24, []netip.Prefix{pool}); ok {
		t.Fatal("found a free prefix in a pool that is all used")
	}
	if _, ok := freePrefix(pool, 12, nil); ok {
		t.Fatal("found a prefix larger than the pool")
	}
}
