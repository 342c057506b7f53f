package config

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestV6DynamicInChain (f75, f77): RouterOS 6 applies /routing filter's
// dynamic-in chain to routes DHCP clients and PPP links add; rosemu runs
// it when it can evaluate every entry, and reports an entry it cannot
// with the dynamic-in reason, not the BGP/OSPF one. Control: a chain of a
// user's own name keeps that reason.
func TestV6DynamicInChain(t *testing.T) {
	src := "/routing filter\n" +
		"add chain=dynamic-in distance=10 set-check-gateway=ping set-distance=10 set-routing-mark=isp1\n" +
		"add chain=my-chain prefix=10.0.0.0/8 action=discard\n"
	v := New(Options{Ports: []string{"ether1"}, Version: "6.49.18"}).Validate(context.Background(), src, time.Second)
	got := map[int]Finding{}
	for _, f := range v.Findings {
		got[f.Line] = f
	}
	if f := got[2]; f.Verdict != Accepted {
		t.Errorf("line 2, an entry rosemu evaluates: %v %s", f.Verdict, f.Msg)
	}
	if f := got[3]; f.Verdict != NotEnforced || f.Msg != v6UnusedChainReason {
		t.Errorf("control, line 3: %v %s", f.Verdict, f.Msg)
	}
	// An entry with a matcher rosemu does not evaluate on dynamic routes
	// leaves the chain stored, with the dynamic-in reason and the entry.
	bad := "/routing filter\nadd chain=dynamic-in pref-src=192.0.2.1 set-routing-mark=isp1\n"
	v = New(Options{Ports: []string{"ether1"}, Version: "6.49.18"}).Validate(context.Background(), bad, time.Second)
	for _, f := range v.Findings {
		if f.Line == 2 && (f.Verdict != NotEnforced || !strings.Contains(f.Msg, "dynamic-in chain") || !strings.Contains(f.Msg, "pref-src") || strings.Contains(f.Msg, "BGP")) {
			t.Errorf("unevaluated entry: %v %s", f.Verdict, f.Msg)
		}
	}
}

// TestV6DynamicInRoutes: the chain marks, re-weights and watches a DHCP
// client's default route as the dual-WAN export asks (the route is
// installed in table isp1 at distance 10, checked by ping), and a discard
// entry keeps a route out. Before f77 the route went to main at
// distance 1, unchecked. Control: RouterOS 7 has no dynamic-in.
func TestV6DynamicInRoutes(t *testing.T) {
	for _, tc := range []struct {
		version, filter string
		want            string // table/distance/check, "" for no route
	}{
		{"6.49.18", "add chain=dynamic-in distance=1 set-check-gateway=ping set-distance=10 set-routing-mark=isp1", "isp1/10/ping"},
		{"6.49.18", "add chain=dynamic-in distance=2-5 set-routing-mark=isp1", "main/1/"},
		{"6.49.18", "add chain=dynamic-in action=jump jump-target=wan\nadd chain=wan prefix=0.0.0.0/0 action=discard\nadd chain=dynamic-in set-distance=7", ""},
		{"6.49.18", "add chain=dynamic-in prefix=0.0.0.0/0 invert-match=yes action=discard\nadd chain=dynamic-in action=accept set-distance=3\nadd chain=dynamic-in set-distance=9", "main/3/"},
		{"7.16", "add chain=dynamic-in rule=\"set distance 10; accept\"", "main/1/"},
	} {
		r := New(Options{Ports: ports, Version: tc.version})
		run(t, r, "/ip dhcp-client add disabled=no interface=ether1")
		if _, err := r.Run(context.Background(), "/routing filter"+map[bool]string{true: "", false: " rule"}[strings.HasPrefix(tc.version, "6")]+"\n"+tc.filter); err != nil {
			t.Fatalf("%s: %v", tc.filter, err)
		}
		if err := r.SetLease("ether1", lease("203.0.113.2/24")); err != nil {
			t.Fatal(err)
		}
		var got string
		for _, rt := range r.State().Routes {
			if rt.Dst.Bits() == 0 {
				tb := rt.Table
				if tb == "" {
					tb = "main"
				}
				got = tb + "/" + strconv.Itoa(rt.Distance) + "/" + rt.CheckGateway
			}
		}
		if got != tc.want {
			t.Errorf("%s %q: default route %q, want %q", tc.version, tc.filter, got, tc.want)
		}
	}
}
