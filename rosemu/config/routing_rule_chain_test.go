package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestRoutingRuleChain: RouterOS 7's routing rule takes chain= (the
// routing rule page of the manual): the default chain "user" is rosemu's
// own order and accepted, a chain named after a built-in decision is
// stored and reported, since rosemu takes every rule in list order
// (forum49 D1: refused as an unknown parameter on every 7.x). RouterOS 6's
// /ip route rule has no chain.
func TestRoutingRuleChain(t *testing.T) {
	const src = "/routing table add name=vpn fib\n" +
		"/routing rule add src-address=192.168.88.20/32 action=lookup-only-in-table table=vpn chain=user\n" +
		"/routing rule add src-address=192.168.88.21/32 action=lookup table=vpn chain=mangle\n"
	v := New(Options{Ports: []string{"ether1"}, Version: "7.20.8"}).Validate(context.Background(), src, time.Second)
	checkVerdicts(t, v, map[int]string{2: "", 3: "chain: " + routingRuleChainReason})
	for _, f := range v.Findings {
		if f.Verdict == Refused {
			t.Errorf("line %d refused: %s", f.Line, f.Msg)
		}
	}
	v6 := New(Options{Ports: []string{"ether1"}, Version: "6.49.18"}).Validate(context.Background(),
		"/ip route rule add src-address=192.168.88.21/32 action=lookup table=vpn chain=user\n", time.Second)
	if len(v6.Findings) != 1 || v6.Findings[0].Verdict != Refused || !strings.Contains(v6.Findings[0].Msg, "expected end of command") {
		t.Errorf("6.49's /ip route rule chain=: %+v, want refused", v6.Findings)
	}
}
