package kernel

import (
	"net/netip"
	"testing"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// TestPrefSrcNotLocal: a route whose pref-src is none of the router's
// addresses no longer fails the apply (Linux refuses such a source with
// EINVAL): RouterOS 7's is installed without the source, 6's is kept out
// and listed inactive; once the address is the router's (a DHCP lease
// bound later) the route is installed with it (forum28 D7, D8).
func TestPrefSrcNotLocal(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	dst := netip.MustParsePrefix("10.9.9.0/24")
	route := Route{Dst: dst, Gateway: "203.0.113.1", Distance: 1, PrefSrc: netip.MustParseAddr("203.0.113.77")}
	kernelRoute := func() (bool, string) {
		t.Helper()
		rs, err := dp.nl.RouteListFiltered(netlink.FAMILY_V4, &netlink.Route{Table: unix.RT_TABLE_MAIN, Dst: prefixIPNet(dst)}, netlink.RT_FILTER_TABLE|netlink.RT_FILTER_DST)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) == 0 {
			return false, ""
		}
		if rs[0].Src == nil {
			return true, ""
		}
		return true, rs[0].Src.String()
	}
	inactive := func() bool {
		for _, r := range dp.InactiveRoutes() {
			if r.Dst == dst {
				return true
			}
		}
		return false
	}
	for _, v6 := range []bool{false, true} {
		st := baseState()
		st.PrefSrcInactive = v6
		st.Routes = append(st.Routes, route)
		if err := dp.Apply(st); err != nil {
			t.Fatalf("v6=%v: apply: %v", v6, err)
		}
		on, src := kernelRoute()
		if v6 && (on || !inactive()) {
			t.Errorf("v6: route installed %v (src %q), inactive %v; want kept out, inactive", on, src, inactive())
		}
		if !v6 && (!on || src != "" || inactive()) {
			t.Errorf("v7: route installed %v src %q inactive %v; want installed without the source", on, src, inactive())
		}
		st.Addresses = append(st.Addresses, Address{Prefix: netip.MustParsePrefix("203.0.113.77/24"), Interface: "ether1"})
		if err := dp.Apply(st); err != nil {
			t.Fatalf("v6=%v: apply with the address: %v", v6, err)
		}
		if on, src := kernelRoute(); !on || src != "203.0.113.77" || inactive() {
			t.Errorf("v6=%v with the address: installed %v src %q inactive %v", v6, on, src, inactive())
		}
	}
}
