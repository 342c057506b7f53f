package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestDisabledAdlistURL: a 7.23.1 hEX's export holds "/ip dns adlist add
// disabled=yes url=https://...": a disabled list is not fetched on RouterOS
// either, so it asks nothing rosemu leaves undone, yet validate reported
// "rosemu fetches no adlist from a URL" (realcheck29 N10). The enabled
// entry is the control and keeps its reason.
func TestDisabledAdlistURL(t *testing.T) {
	src := "/ip dns adlist add disabled=yes url=https://example.invalid/vpns.txt\n" +
		"/ip dns adlist add url=https://example.invalid/ads.txt"
	v := New(Options{Ports: []string{"ether1"}, Version: "7.23.1"}).Validate(context.Background(), src, time.Second)
	want := map[int]string{1: "", 2: "url: " + adlistURLReason}
	for _, f := range v.Findings {
		w, ok := want[f.Line]
		if !ok {
			continue
		}
		if w == "" && f.Verdict != Accepted || w != "" && (f.Verdict != NotEnforced || f.Msg != w) {
			t.Errorf("line %d: %v %q, want %q", f.Line, f.Verdict, f.Msg, w)
		}
	}
	r := New(Options{Ports: []string{"ether1"}, Version: "7.23.1"})
	run(t, r, src)
	for _, n := range r.NotEnforced() {
		if strings.Contains(n.String(), adlistURLReason) && n.Count != 1 {
			t.Errorf("NotEnforced counts %d URL adlists, want 1 (the enabled one): %s", n.Count, n)
		}
	}
}
