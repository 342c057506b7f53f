package lab

import (
	"net/netip"
	"strings"
	"testing"
)

func TestTranslate(t *testing.T) {
	for _, tc := range []struct{ lab, wire, a, want string }{
		// The wire is twice the lab subnet (wireBits): host numbers keep
		// their value, in the wire's lower half, below Docker's gateway.
		{"192.168.88.0/24", "10.200.2.0/23", "192.168.88.10", "10.200.2.10"},
		{"192.168.88.0/24", "10.200.2.0/23", "192.168.88.254", "10.200.2.254"},
		{"203.0.113.0/24", "10.200.0.0/23", "203.0.113.2", "10.200.0.2"},
		{"10.1.0.0/16", "10.200.0.0/16", "10.1.2.3", "10.200.2.3"},
		// A LAN far larger than a lab needs keeps the low 15 bits of a
		// host number on its /16 wire.
		{"192.168.0.0/14", "10.200.0.0/16", "192.168.10.1", "10.200.10.1"},
		{"10.0.0.0/8", "198.18.0.0/16", "10.5.3.1", "198.18.3.1"},
		{"10.0.0.0/8", "198.18.0.0/16", "10.0.255.254", "198.18.127.254"},
		{"203.0.113.8/29", "10.200.5.0/24", "203.0.113.14", "10.200.5.6"},
		{"198.51.100.252/30", "10.200.6.0/24", "198.51.100.253", "10.200.6.1"},
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

func TestWireBits(t *testing.T) {
	for _, tc := range []struct {
		lab  string
		want int
	}{{"192.168.88.0/24", 23}, {"10.1.0.0/16", 16}, {"192.168.0.0/14", 16}, {"10.0.0.0/8", 16}, {"10.1.0.0/17", 16}, {"10.1.0.0/18", 17}, {"192.168.88.0/25", 24}, {"203.0.113.8/29", 24}, {"198.51.100.252/30", 24}} {
		if got := wireBits(netip.MustParsePrefix(tc.lab)); got != tc.want {
			t.Errorf("wireBits(%s) = %d, want %d", tc.lab, got, tc.want)
		}
	}
	for _, tc := range []struct{ wire, want string }{{"10.200.5.0/24", "10.200.5.254"}, {"10.200.2.0/23", "10.200.3.254"}} {
		if got := wireGateway(netip.MustParsePrefix(tc.wire)).String(); got != tc.want {
			t.Errorf("wireGateway(%s) = %s, want %s", tc.wire, got, tc.want)
		}
	}
	// Every host number of a /24 lab subnet, .254 included, lands below
	// the gateway of its /23 wire.
	lab, wire := netip.MustParsePrefix("192.168.88.0/24"), netip.MustParsePrefix("10.200.2.0/23")
	if a := translate(lab, wire, netip.MustParseAddr("192.168.88.254")); a == wireGateway(wire) {
		t.Errorf("the lab's .254 is Docker's gateway %s", a)
	}
}

// TestWireClashes: two members of a /14 LAN whose host numbers agree in
// their last 15 bits would share a wire address: the lab is refused with
// both addresses named. Members that differ there are wired side by side.
func TestWireClashes(t *testing.T) {
	spec := &Spec{
		Networks: []Network{{Name: "lan", Subnet: netip.MustParsePrefix("192.168.0.0/14")}},
		Router:   Router{Ports: []Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.10.1")}}},
		Nodes:    []Node{{Name: "h1", Interfaces: []Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.10.20")}}}},
	}
	wire := map[string]netip.Prefix{"lan": netip.MustParsePrefix("10.200.0.0/16")}
	if err := wireClashes(spec, wire); err != nil {
		t.Fatalf("distinct host numbers: %v", err)
	}
	spec.Nodes = append(spec.Nodes, Node{Name: "h2", Interfaces: []Interface{{Network: "lan", Address: netip.MustParseAddr("192.169.10.20")}}})
	err := wireClashes(spec, wire)
	if err == nil || !strings.Contains(err.Error(), "192.168.10.20 and 192.169.10.20") {
		t.Fatalf("clash: %v; want both addresses named", err)
	}
}
