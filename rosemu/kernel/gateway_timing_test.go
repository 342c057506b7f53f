package kernel

import (
	"net/netip"
	"testing"
	"time"
)

// untilInactive waits up to limit for the route to go out of use and
// returns how long it took, or -1.
func untilInactive(dp *Dataplane, limit time.Duration) time.Duration {
	start := time.Now()
	for time.Since(start) < limit {
		if len(dp.InactiveRoutes()) == 1 {
			return time.Since(start)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return -1
}

// TestGatewayCheckTimingFromState (D1): RouterOS 7's /routing settings
// check-gateway-ping-interval/-timeout/-count set check-gateway's timing
// (routing settings page,
// https://help.mikrotik.com/docs/spaces/ROS/pages/331612248/routing+settings).
// With State.GatewayCheck at 300 ms x 2 a silent gateway's route goes
// within ~1 s; the control is the default 10 s timing, under which the
// route is still in use after 3 s. Then a new state retimes the running
// checker: the route goes within ~1 s of it.
func TestGatewayCheckTimingFromState(t *testing.T) {
	rateTest(t)
	dp, _, _, wn, _ := dualDataplane(t)
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	st.Routes = []Route{
		{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "203.0.113.1", Distance: 1, CheckGateway: "ping"},
		{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "198.18.0.1", Distance: 2},
	}
	// Control: RouterOS's default timing (no SetGatewayCheck, no
	// /routing settings).
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	ipcmd(t, "netns", "exec", wn, "nft", "add table ip t; add chain ip t c { type filter hook input priority 0; }; add rule ip t c iifname isp1 icmp type echo-request drop")
	if took := untilInactive(dp, 3*time.Second); took >= 0 {
		t.Fatalf("default 10 s timing: the route went after %v; want it in use for 20 s", took)
	}
	st.GatewayCheck = &GatewayCheck{Interval: 300 * time.Millisecond, Timeout: 200 * time.Millisecond, Failures: 2}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	took := untilInactive(dp, 3*time.Second)
	if took < 0 || took > 1500*time.Millisecond {
		t.Fatalf("check-gateway-ping-interval=300ms count=2: the route went after %v (-1: not in 3 s); want within ~1 s", took)
	}
	t.Logf("300ms x 2: route out of use %v after the new settings", took)
	ipcmd(t, "netns", "exec", wn, "nft", "delete table ip t")
	deadline := time.Now().Add(3 * time.Second)
	for len(dp.InactiveRoutes()) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("gateway answers again: inactive routes = %v after 3 s of 300 ms checks", dp.InactiveRoutes())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestGatewayCheckFixedTimingWins: SetGatewayCheck (rosemu's
// --check-gateway-interval lab flag) takes precedence over the
// configuration's timing.
func TestGatewayCheckFixedTimingWins(t *testing.T) {
	dp := &Dataplane{}
	st := &State{GatewayCheck: &GatewayCheck{Interval: time.Second, Timeout: time.Second, Failures: 3}}
	if got := dp.gatewayCheckFor(st); got != *st.GatewayCheck {
		t.Errorf("from the state: %+v, want %+v", got, *st.GatewayCheck)
	}
	if got := dp.gatewayCheckFor(&State{}); got != DefaultGatewayCheck {
		t.Errorf("no settings: %+v, want RouterOS's %+v", got, DefaultGatewayCheck)
	}
	fixed := GatewayCheck{Interval: 200 * time.Millisecond, Timeout: 100 * time.Millisecond, Failures: 2}
	dp.SetGatewayCheck(fixed)
	if got := dp.gatewayCheckFor(st); got != fixed {
		t.Errorf("lab flag: %+v, want %+v", got, fixed)
	}
}
