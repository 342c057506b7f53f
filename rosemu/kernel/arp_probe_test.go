package kernel

import (
	"net/netip"
	"testing"
	"time"
)

// TestCheckGatewayARPProbes (forum41 D7): check-gateway=arp sends an ARP
// request each check, so a gateway that stops answering ARP takes its
// route out of use after two checks, although the router's neighbour
// cache still holds it as reachable (base_reachable_time 30 s). The
// control: while the gateway answers, the route stays through 3 s of
// 300 ms checks.
func TestCheckGatewayARPProbes(t *testing.T) {
	rateTest(t)
	dp, _, _, wn, cli := dualDataplane(t)
	dp.SetGatewayCheck(GatewayCheck{Interval: 300 * time.Millisecond, Timeout: 200 * time.Millisecond, Failures: 2})
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	st.Routes = []Route{
		{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "203.0.113.1", Distance: 1, CheckGateway: "arp"},
		{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "198.18.0.1", Distance: 2},
	}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	wantWAN(t, cli, "203.0.113.2")
	if took := untilInactive(dp, 3*time.Second); took >= 0 {
		t.Fatalf("control: an answering gateway's route went after %v", took)
	}
	wantWAN(t, cli, "203.0.113.2")
	// ISP1's gateway stops answering ARP (a dead modem); its link stays
	// up and the router's cache entry is fresh from the traffic above.
	ipcmd(t, "netns", "exec", wn, "nft", "add table arp t; add chain arp t c { type filter hook input priority 0; }; add rule arp t c meta iifname isp1 drop")
	took := untilInactive(dp, 5*time.Second)
	if took < 0 || took > 1500*time.Millisecond {
		t.Fatalf("gateway silent to ARP: route out of use after %v (-1: not in 5 s); want ~2 checks (0.6-0.9 s)", took)
	}
	t.Logf("route out of use %v after the gateway stopped answering ARP", took)
	wantWAN(t, cli, "198.18.0.2")
	ipcmd(t, "netns", "exec", wn, "nft", "delete table arp t")
	deadline := time.Now().Add(3 * time.Second)
	for len(dp.InactiveRoutes()) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("gateway answers ARP again: inactive routes = %v after 3 s", dp.InactiveRoutes())
		}
		time.Sleep(50 * time.Millisecond)
	}
	wantWAN(t, cli, "203.0.113.2")
}
