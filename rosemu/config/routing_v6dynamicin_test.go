package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestV6DynamicInChain (f75): RouterOS 6 applies /routing filter's
// dynamic-in chain to routes DHCP clients and PPP links add (a dual-WAN
// snippet marks its DHCP default routes with it); rosemu stores it. The
// line said no BGP peer or OSPF instance applies the chain, as if one were
// missing. Control: a chain of a user's own name keeps that reason.
func TestV6DynamicInChain(t *testing.T) {
	src := "/routing filter\n" +
		"add chain=dynamic-in distance=10 set-check-gateway=ping set-distance=10 set-routing-mark=isp1\n" +
		"add chain=my-chain prefix=10.0.0.0/8 action=discard\n"
	v := New(Options{Ports: []string{"ether1"}, Version: "6.49.18"}).Validate(context.Background(), src, time.Second)
	got := map[int]Finding{}
	for _, f := range v.Findings {
		got[f.Line] = f
	}
	if f := got[2]; f.Verdict != NotEnforced || !strings.Contains(f.Msg, "dynamic-in chain") || strings.Contains(f.Msg, "BGP") {
		t.Errorf("line 2: %v %s", f.Verdict, f.Msg)
	}
	if f := got[3]; f.Verdict != NotEnforced || f.Msg != v6UnusedChainReason {
		t.Errorf("control, line 3: %v %s", f.Verdict, f.Msg)
	}
	r := New(Options{Ports: []string{"ether1"}, Version: "6.49.18"})
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	var dyn bool
	for _, ne := range r.NotEnforced() {
		if ne.Path == "/routing filter" && strings.Contains(ne.Reason, "dynamic-in chain") {
			dyn = true
		}
	}
	if !dyn {
		t.Errorf("NotEnforced names no dynamic-in reason: %v", r.NotEnforced())
	}
}
