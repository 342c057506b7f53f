package config

import (
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestRoutingSettingsGatewayCheck (D1): /routing settings
// check-gateway-ping-interval/-timeout/-count are check-gateway's timing
// on RouterOS 7 (routing settings page,
// https://help.mikrotik.com/docs/spaces/ROS/pages/331612248/routing+settings),
// so they reach the kernel state and are not reported as not enforced;
// single-process still is. Out of range values are refused. The control:
// RouterOS's default timing when nothing is set.
func TestRoutingSettingsGatewayCheck(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.16.2"})
	if g := r.State().GatewayCheck; g == nil || *g != kernel.DefaultGatewayCheck {
		t.Errorf("no settings: %+v, want RouterOS's %+v", g, kernel.DefaultGatewayCheck)
	}
	run(t, r, "/routing settings set check-gateway-ping-interval=1s check-gateway-ping-count=3 check-gateway-ping-timeout=500ms single-process=yes")
	want := kernel.GatewayCheck{Interval: time.Second, Timeout: 500 * time.Millisecond, Failures: 3}
	if g := r.State().GatewayCheck; g == nil || *g != want {
		t.Errorf("after set: %+v, want %+v", g, want)
	}
	var reported []string
	for _, n := range r.NotEnforced() {
		if n.Path == "/routing settings" {
			reported = append(reported, n.Property)
		}
	}
	if strings.Join(reported, ",") != "single-process" {
		t.Errorf("/routing settings reported not enforced: %q, want single-process alone", reported)
	}
	if got := run(t, r, ":put [/routing settings get check-gateway-ping-timeout]"); got != "00:00:00.5\n" && got != "500ms\n" {
		t.Errorf("get check-gateway-ping-timeout = %q", got)
	}
	for _, bad := range []string{"check-gateway-ping-interval=50ms", "check-gateway-ping-timeout=2s", "check-gateway-ping-count=70000"} {
		if out := run(t, r, ":do { /routing settings set "+bad+" } on-error={ :put refused }"); out != "refused\n" {
			t.Errorf("set %s: %q, want refused", bad, out)
		}
	}
}
