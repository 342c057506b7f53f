package config

import (
	"context"
	"testing"
)

// TestRoutingRuleMinPrefix: /routing rule min-prefix= (a 7.16 export's
// min-prefix=0) reaches the kernel's rule as suppress_prefixlength;
// RouterOS 6's /ip route rule has no such parameter.
func TestRoutingRuleMinPrefix(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	run(t, r, "/routing table add name=ecmp fib\n/routing rule add action=lookup min-prefix=0 src-address=10.0.0.130/32 table=ecmp\n/routing rule add action=lookup src-address=10.0.0.131/32 table=ecmp")
	rr := r.State().RoutingRules
	if len(rr) != 2 || !rr[0].HasMinPrefix || rr[0].MinPrefix != 0 || rr[1].HasMinPrefix {
		t.Errorf("rules = %+v", rr)
	}
	v6 := New(Options{Ports: []string{"ether1"}, Version: "6.49.10"})
	if _, err := v6.Run(context.Background(), "/ip route rule add min-prefix=0 src-address=10.0.0.1/32 table=main"); err == nil {
		t.Errorf("6 took min-prefix")
	}
}
