package config

import (
	"net/netip"
	"testing"
)

// TestStaticLeaseReplacesDynamic: a static lease added for a client the
// server bound takes the place of its dynamic lease; one for another MAC
// leaves the dynamic lease; a second static lease for an address is
// refused.
func TestStaticLeaseReplacesDynamic(t *testing.T) {
	r := dhcpRouter(t)
	for _, mac := range []string{"02:00:00:00:00:01", "02:00:00:00:00:02"} {
		c := DHCPClientID{MAC: mac}
		o, err := r.Offer("lan", c, netip.Addr{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Request("lan", c, o.Address); err != nil {
			t.Fatal(err)
		}
	}
	dynamic := func() (n int) {
		for _, x := range r.m.tables[dhcpLeaseTable] {
			if x.dynamic {
				n++
			}
		}
		return n
	}
	if n := dynamic(); n != 2 {
		t.Fatalf("%d dynamic leases, want 2", n)
	}
	run(t, r, "/ip dhcp-server lease add server=lan address=192.168.88.50 mac-address=02:00:00:00:00:09")
	if n := dynamic(); n != 2 {
		t.Errorf("after a lease of another MAC: %d dynamic leases, want 2", n)
	}
	run(t, r, "/ip dhcp-server lease add server=lan address=192.168.88.51 mac-address=02:00:00:00:00:01")
	if n := dynamic(); n != 1 {
		t.Errorf("after a lease of a bound MAC: %d dynamic leases, want 1", n)
	}
	if _, err := r.Run(t.Context(), "/ip dhcp-server lease add server=lan address=192.168.88.51 mac-address=02:00:00:00:00:03"); err == nil {
		t.Error("a second lease of 192.168.88.51 was taken")
	}
}
