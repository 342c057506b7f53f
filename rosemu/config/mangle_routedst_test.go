package config

import (
	"context"
	"strings"
	"testing"
)

// TestMangleRouteDstOtherAction: route-dst on a mangle rule whose action
// is not route (left from a route rule whose action was changed, as a
// RouterOS 6.49 export keeps it) is taken, the rule applies, and
// NotEnforced names it; on action=route it is the action's gateway,
// reported with the action alone. Before, the apply refused the whole
// configuration ("render properties route-dst: not supported by rosemu").
func TestMangleRouteDstOtherAction(t *testing.T) {
	k := &lastState{}
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "6.49.18", Kernel: k})
	src := "/ip firewall mangle\n" +
		"add action=mark-connection chain=prerouting new-connection-mark=c passthrough=yes route-dst=10.0.0.1 src-address=10.0.0.5\n" +
		"add action=route chain=prerouting route-dst=10.0.0.1 src-address=10.0.0.6\n"
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	if k.st == nil || len(k.st.Mangle) != 2 {
		t.Fatalf("the mangle rules did not reach the kernel: %+v", k.st)
	}
	var routeDst, routeAction int
	for _, ne := range r.NotEnforced() {
		if ne.Path != "/ip firewall mangle" {
			continue
		}
		switch {
		case ne.Property == "route-dst":
			routeDst += ne.Count
		case strings.HasPrefix(ne.Reason, "action=route"):
			routeAction += ne.Count
		}
	}
	if routeDst != 1 || routeAction != 1 {
		t.Errorf("route-dst reported %d times, action=route %d, want 1 and 1: %v", routeDst, routeAction, r.NotEnforced())
	}
}
