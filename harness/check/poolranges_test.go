package check

import (
	"net/netip"
	"testing"
)

// TestPoolRangesOneReader: the one reader of /ip pool ranges= (three
// stood apart). poolRanges keeps its all-or-nothing reading for the DHCP
// checks; routeTo, which read a range address by address up to 1024 of
// them, now finds an address past the 1024th of a pool (10.8.8.10 in
// 10.8.0.2-10.8.255.254 was "only a default route would take it"). The
// controls: an address outside the pool, and a pool with an unreadable
// range whose readable one still counts.
func TestPoolRangesOneReader(t *testing.T) {
	if rs, ok := poolRanges("192.168.66.10-192.168.66.254, 10.0.0.0/30,10.0.0.9"); !ok || len(rs) != 3 || rs[1].hi.String() != "10.0.0.3" {
		t.Errorf("poolRanges = %v, %v", rs, ok)
	}
	if _, ok := poolRanges("10.0.0.5-10.0.0.1"); ok {
		t.Error("a reversed range read")
	}
	if rs, all := poolRangesOf("bogus,10.0.0.1-10.0.0.9"); all || len(rs) != 1 || !inRanges(rs, netip.MustParseAddr("10.0.0.9")) || inRanges(rs, netip.MustParseAddr("10.0.0.10")) {
		t.Errorf("poolRangesOf = %v, %v", rs, all)
	}
	p := loadText(t, "# by RouterOS 7.16\n/ip pool\nadd name=vpn ranges=10.8.0.2-10.8.255.254\n/ip address\nadd address=192.168.88.1/24 interface=ether2\nadd address=203.0.113.2/24 interface=ether1\n"+wanRouteMasq)
	keep := p.keeper(p.export)
	if via, ok := p.routeTo(netip.MustParseAddr("10.8.8.10"), keep); !ok || via != "in the pool vpn" {
		t.Errorf("routeTo 10.8.8.10 = %q, %v: want in the pool vpn", via, ok)
	}
	if via, ok := p.routeTo(netip.MustParseAddr("10.9.0.1"), keep); ok && via == "in the pool vpn" {
		t.Errorf("routeTo outside the pool = %q", via)
	}
}
