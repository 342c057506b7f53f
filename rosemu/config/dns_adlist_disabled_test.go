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
	checkVerdicts(t, v, map[int]string{1: "", 2: "url: " + adlistURLReason})
	r := New(Options{Ports: []string{"ether1"}, Version: "7.23.1"})
	run(t, r, src)
	for _, n := range r.NotEnforced() {
		if strings.Contains(n.String(), adlistURLReason) && n.Count != 1 {
			t.Errorf("NotEnforced counts %d URL adlists, want 1 (the enabled one): %s", n.Count, n)
		}
	}
}
