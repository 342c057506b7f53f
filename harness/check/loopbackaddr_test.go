package check

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// TestLoopbackAddressForward (chk58): a forward on a public address the
// export puts on lo (a /32 the ISP routes to the router) was read, and
// probed, at the WAN's own address, which it never matches: offline "no
// problem found" over paths it predicted to fail, in the lab "broken,
// cause not identified" on 3 paths. It is now read at its address (the
// hairpin from the server's own LAN needs its rule), and the lab's ISP
// routes the address to the router. Behind a private WAN it is read at
// its address, and the lab's ISP routes nothing. Control: a private
// address on lo keeps the WAN's address.
func TestLoopbackAddressForward(t *testing.T) {
	public := strings.NewReplacer("172.16.10.2/30 interface=ether1 network=172.16.10.0", "203.0.113.2/24 interface=ether1 network=203.0.113.0",
		"gateway=172.16.10.1", "gateway=203.0.113.1", "dst-address=DST", "dst-address=160.22.181.18").Replace(innerRouter)
	p := loadText(t, public)
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Forward == 0 && f.Path == "hairpin:bridge_local" && f.Cause != "" }) {
		t.Errorf("no hairpin finding for the server's own LAN: %v", found)
	}
	if a := p.WANAddr(p.WANs[0], p.Forwards[0]); a.String() != "160.22.181.18" {
		t.Errorf("the forward is read at %s", a)
	}
	c, err := p.Case(p.Propose(found))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.YAML, "{to: 160.22.181.18/32, via: 203.0.113.2}") {
		t.Errorf("the lab's ISP does not route the address to the router:\n%s", c.YAML)
	}
	// Behind a private WAN (an ISP's inner router) the forward is read
	// at its address too (the hairpin from its LAN, which the lab
	// probes there, needs its rule), but the lab's ISP, not on the WAN's
	// wire, routes nothing: a route to the address via the WAN left the
	// lab unable to start.
	inner := loadText(t, strings.Replace(innerRouter, "dst-address=DST", "dst-address=160.22.181.18", 1))
	if a := inner.WANAddr(inner.WANs[0], inner.Forwards[0]); a.String() != "160.22.181.18" {
		t.Errorf("private WAN: the forward is read at %s", a)
	}
	if slices.ContainsFunc(inner.routedBlocks(), func(b netip.Prefix) bool { return b.Contains(netip.MustParseAddr("160.22.181.18")) }) {
		t.Errorf("private WAN: the lab's ISP routes the address: %v", inner.routedBlocks())
	}
	// Control: a private address on lo keeps the WAN's address.
	p = loadText(t, strings.NewReplacer("160.22.181.18 interface=lo network=160.22.181.18", "10.255.0.18 interface=lo network=10.255.0.18", "dst-address=160.22.181.18", "dst-address=10.255.0.18").Replace(public))
	if a := p.WANAddr(p.WANs[0], p.Forwards[0]); a != p.WANs[0].Address.Addr() {
		t.Errorf("control private on lo: the forward is read at %s, not the WAN's address", a)
	}
}
