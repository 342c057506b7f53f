package kernel

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/vishvananda/netns"
)

// spreadWANs dials the internet from the client's eight addresses and
// counts the router WAN address each connection came from. A source keeps
// its WAN: the L3 hash of an ECMP route picks one next hop per
// source/destination pair, so each source dials twice and moved lists the
// sources whose second connection left by another WAN (or by none).
func spreadWANs(cli netns.NsHandle) (wans map[string]int, moved []string) {
	wans = map[string]int{}
	for i := 20; i <= 27; i++ {
		src := fmt.Sprintf("192.168.88.%d", i)
		first, err := dial(cli, src, "198.51.100.50:12566")
		if err != nil {
			wans["error"]++
			continue
		}
		if again, err := dial(cli, src, "198.51.100.50:12566"); err != nil || again != first {
			moved = append(moved, fmt.Sprintf("from %s: first seen as %s, then %q (%v)", src, first, again, err))
		}
		wans[first]++
	}
	return wans, moved
}

// waitWANs waits up to 5 s until every source reaches the internet, ok
// accepts the WANs they came from and no source changed its WAN between
// its two connections. A change is allowed while the wait lasts: the
// round in which a gateway check turns a next hop on or off sees the
// route change between two dials, which is no fault of the hash.
func waitWANs(t *testing.T, cli netns.NsHandle, what string, ok func(map[string]int) bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		w, moved := spreadWANs(cli)
		if ok(w) && len(moved) == 0 {
			t.Logf("%s: %v", what, w)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: the internet saw %v; sources that changed WAN (the pair must keep its next hop): %v", what, w, moved)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func bothWANs(w map[string]int) bool {
	return w["error"] == 0 && w["203.0.113.2"] > 0 && w["198.18.0.2"] > 0
}

func onlyWAN(wan string) func(map[string]int) bool {
	return func(w map[string]int) bool { return w[wan] == 8 }
}

// TestECMPRoute: a route with two gateways (gateway=203.0.113.1,198.18.0.1
// check-gateway=ping) spreads the LAN's connections over both WANs. When
// ISP1's gateway stops answering pings only that next hop goes and the
// route stays through ISP2; with both silent the route is inactive; when
// they answer again the spread comes back. The control is the same traffic
// over a route with ISP1's gateway alone.
func TestECMPRoute(t *testing.T) {
	rateTest(t)
	dp, _, _, wn, cli := dualDataplane(t)
	dp.SetGatewayCheck(GatewayCheck{Interval: 200 * time.Millisecond, Timeout: 150 * time.Millisecond, Failures: 2})
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	st.Routes = []Route{{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "203.0.113.1", Distance: 1, CheckGateway: "ping"}}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	waitWANs(t, cli, "control: one gateway", onlyWAN("203.0.113.2"))

	st.Routes[0].Gateway = "203.0.113.1,198.18.0.1"
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	waitWANs(t, cli, "ECMP", bothWANs)

	silence := func(isp string) {
		ipcmd(t, "netns", "exec", wn, "nft", "add table ip t"+isp+"; add chain ip t"+isp+" c { type filter hook input priority 0; }; add rule ip t"+isp+" c iifname "+isp+" icmp type echo-request drop")
	}
	silence("isp1")
	waitWANs(t, cli, "ISP1's gateway silent", onlyWAN("198.18.0.2"))
	if in := dp.InactiveRoutes(); len(in) != 0 {
		t.Errorf("inactive routes = %v; the route must stay through ISP2", in)
	}
	silence("isp2")
	deadline := time.Now().Add(5 * time.Second)
	for len(dp.InactiveRoutes()) != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("both gateways silent: inactive routes = %v, want the ECMP route", dp.InactiveRoutes())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if saw, err := dial(cli, "192.168.88.20", "198.51.100.50:12566"); err == nil {
		t.Errorf("both gateways silent: the internet saw %s; want no route", saw)
	}
	ipcmd(t, "netns", "exec", wn, "nft", "delete table ip tisp1")
	ipcmd(t, "netns", "exec", wn, "nft", "delete table ip tisp2")
	waitWANs(t, cli, "both answer again", bothWANs)
}

// TestECMPSeparateRoutesInTable: RouterOS 7 groups routes of one
// destination and distance into ECMP ("AS+"); here two such routes in a
// routing table that mangle sends the LAN to (main has ISP1 alone). The
// controls: the table with ISP1's route alone, and both routes with
// NoECMPTies (RouterOS 6).
func TestECMPSeparateRoutesInTable(t *testing.T) {
	dp, _, _, _, cli := dualDataplane(t)
	st := dualWANState()
	st.RoutingTables = []RoutingTable{{Name: "wans", ID: 3}}
	// Marked connections stay out of fasttrack, whose packets skip
	// mangle (TestFasttrackSkipsMangle).
	fasttrackNoMark(st)
	st.Mangle = []Rule{
		rule("*10", "chain=prerouting", "action=mark-connection", "new-connection-mark=wans", "passthrough=yes", "in-interface-list=LAN", "dst-address-type=!local", "connection-mark=no-mark"),
		rule("*11", "chain=prerouting", "action=mark-routing", "new-routing-mark=wans", "passthrough=no", "in-interface-list=LAN", "connection-mark=wans"),
	}
	main := Route{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "203.0.113.1", Distance: 1}
	isp1 := Route{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "203.0.113.1", Distance: 1, Table: "wans"}
	isp2 := Route{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "198.18.0.1", Distance: 1, Table: "wans"}
	st.Routes = []Route{main, isp1}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	waitWANs(t, cli, "control: the table's one route", onlyWAN("203.0.113.2"))
	st.Routes = []Route{main, isp1, isp2}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	waitWANs(t, cli, "two routes of one distance", bothWANs)
	if in := dp.InactiveRoutes(); len(in) != 0 {
		t.Errorf("inactive routes = %v; both join the ECMP route", in)
	}
	// A re-apply finds the multipath route in place.
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	waitWANs(t, cli, "re-applied", bothWANs)
	// RouterOS 6 (NoECMPTies): the first route alone, the second inactive.
	st.NoECMPTies = true
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	waitWANs(t, cli, "ties kept apart", onlyWAN("203.0.113.2"))
	if in := dp.InactiveRoutes(); len(in) != 1 || in[0].Gateway != "198.18.0.1" {
		t.Errorf("ties kept apart: inactive routes = %v, want ISP2's", in)
	}
}

// TestECMPHashPolicyL4: with ipv4-multipath-hash-policy=l4
// (fib_multipath_hash_policy 1) the ports join the hash, so one client
// address spreads its connections over both WANs; with l3, RouterOS's
// default, every connection of that address takes one WAN (the control).
func TestECMPHashPolicyL4(t *testing.T) {
	dp, _, _, _, cli := dualDataplane(t)
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	st.Routes = []Route{{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "203.0.113.1,198.18.0.1", Distance: 1}}
	oneSource := func() map[string]int {
		seen := map[string]int{}
		for i := 0; i < 16; i++ {
			saw, err := dial(cli, "192.168.88.20", "198.51.100.50:12566")
			if err != nil {
				saw = "error"
			}
			seen[saw]++
		}
		return seen
	}
	for _, c := range []struct {
		policy int
		both   bool
	}{{0, false}, {1, true}} {
		st.IPSettings = &IPSettings{Forward: true, MultipathHash: c.policy}
		if err := dp.Apply(st); err != nil {
			t.Fatal(err)
		}
		seen := oneSource()
		t.Logf("policy %d: %v", c.policy, seen)
		if seen["error"] > 0 || (len(seen) == 2) != c.both {
			t.Errorf("fib_multipath_hash_policy %d: one source's 16 connections came from %v; want both WANs: %v", c.policy, seen, c.both)
		}
	}
}

// TestECMPUnreachableGatewayStaysOut: of two default routes of one
// distance, the one whose gateway is on no connected subnet (and no route
// resolves it) is inactive on RouterOS, and the other carries the traffic
// ("All reachable next-hops are copied to FIB"). A 7.21.3 Chateau's
// export (realcheck30) holds such a pair: the kernel refused the joined
// multipath route for the unreachable next hop, so neither route was
// installed and the LAN had no way out. Also a route whose own gateway
// list holds an unreachable one, and RouterOS 6's ties (NoECMPTies), where
// the unreachable route came first and kept the reachable one out. The
// control is ISP1's route alone.
func TestECMPUnreachableGatewayStaysOut(t *testing.T) {
	dp, _, _, _, cli := dualDataplane(t)
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	isp1 := Route{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "203.0.113.1", Distance: 1}
	stale := Route{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "192.0.2.1", Distance: 1, CheckGateway: "ping"}
	st.Routes = []Route{isp1}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	waitWANs(t, cli, "control: ISP1's route alone", onlyWAN("203.0.113.2"))
	for _, c := range []struct {
		name   string
		routes []Route
		ties   bool
	}{
		{"two routes, the unreachable first", []Route{stale, isp1}, false},
		{"two routes, the unreachable last", []Route{isp1, stale}, false},
		{"RouterOS 6 ties, the unreachable first", []Route{stale, isp1}, true},
		{"one route, gateway=192.0.2.1,203.0.113.1", []Route{{Dst: isp1.Dst, Gateway: "192.0.2.1,203.0.113.1", Distance: 1}}, false},
	} {
		st.Routes, st.NoECMPTies = c.routes, c.ties
		if err := dp.Apply(st); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		waitWANs(t, cli, c.name, onlyWAN("203.0.113.2"))
		var inactive []string
		for _, r := range dp.InactiveRoutes() {
			inactive = append(inactive, r.Gateway)
		}
		if len(c.routes) == 2 && (len(inactive) != 1 || inactive[0] != "192.0.2.1") {
			t.Errorf("%s: inactive routes %v, want the one by 192.0.2.1 alone", c.name, inactive)
		}
		if len(c.routes) == 1 && len(inactive) != 0 {
			t.Errorf("%s: inactive routes %v, want none (203.0.113.1 is reachable)", c.name, inactive)
		}
	}
}

// TestECMPDisabledPortGatewayStaysOut: of two default routes of one
// distance, the one by a gateway on a disabled port is inactive on
// RouterOS (its interface is down, so the gateway is unreachable) and the
// other carries the traffic. Applied with the port already disabled, the
// kernel refused the joined multipath route whole (ENETDOWN): no route,
// no internet. The control is the same pair once the port is enabled,
// which spreads over both.
func TestECMPDisabledPortGatewayStaysOut(t *testing.T) {
	dp, _, _, _, cli := dualDataplane(t)
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	st.Routes = []Route{
		{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "198.18.0.1", Distance: 1},
		{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "203.0.113.1", Distance: 1},
	}
	st.PortStates = map[string]PortState{"ether3": {Disabled: true}}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	waitWANs(t, cli, "ether3 disabled", onlyWAN("203.0.113.2"))
	if in := dp.InactiveRoutes(); len(in) != 1 || in[0].Gateway != "198.18.0.1" {
		t.Errorf("inactive routes %v, want the one by 198.18.0.1 alone", in)
	}
	st.PortStates = nil
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	waitWANs(t, cli, "control: ether3 enabled", bothWANs)
}
