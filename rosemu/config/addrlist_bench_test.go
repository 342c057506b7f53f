package config

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// blockList is a .rsc adding n address-list entries, as a block list
// import does.
func blockList(n int) string {
	var b strings.Builder
	b.WriteString("/ip firewall address-list\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "add list=blocked address=10.%d.%d.%d comment=\"entry %d\"\n", i>>16&255, i>>8&255, i&255, i)
	}
	return b.String()
}

// BenchmarkAddressList adds a 50,000-entry block list in one transaction
// (issue 13: 8,000 took 6.7 s, quadratic in the list's size).
func BenchmarkAddressList(b *testing.B) {
	src := blockList(50000)
	b.ReportAllocs()
	for b.Loop() {
		r := New(Options{Ports: []string{"ether1"}})
		if _, err := r.Run(context.Background(), src); err != nil {
			b.Fatal(err)
		}
	}
}

// TestAddressListScales: adding entries grows about linearly (50,000
// take at most 40 times as long as 5,000, measured side by side, where a
// check of each entry against all before it would take 100 times; a
// ratio, so that a loaded machine slows both alike), duplicates are still
// refused, and the duplicate check follows set and remove.
func TestAddressListScales(t *testing.T) {
	took := func(n int) (*Router, time.Duration) {
		r := New(Options{Ports: []string{"ether1"}})
		start := time.Now()
		if _, err := r.Run(context.Background(), blockList(n)); err != nil {
			t.Fatal(err)
		}
		return r, time.Since(start)
	}
	_, small := took(5000)
	r, large := took(50000)
	t.Logf("5,000 entries in %v, 50,000 in %v", small, large)
	if large > 40*small {
		t.Errorf("50,000 entries took %v, %.0f times 5,000's %v", large, float64(large)/float64(small), small)
	}
	ctx := context.Background()
	for _, tc := range []struct{ src, wantErr string }{
		{"/ip firewall address-list add list=blocked address=10.0.0.5", "already have such entry"},
		{"/ip firewall address-list add list=other address=10.0.0.5", ""},
		{"/ip firewall address-list set [find comment=\"entry 6\"] address=10.0.0.7", "already have such entry"},
		{"/ip firewall address-list set [find comment=\"entry 6\"] address=10.9.9.9", ""},
		{"/ip firewall address-list add list=blocked address=10.0.0.6", ""},
		{"/ip firewall address-list remove [find comment=\"entry 8\"]; /ip firewall address-list add list=blocked address=10.0.0.8", ""},
		{"/ip firewall address-list add list=blocked address=10.0.0.8", "already have such entry"},
		// Within one source: the first add is seen by the second.
		{"/ip firewall address-list add list=n address=1.1.1.1; /ip firewall address-list add list=n address=1.1.1.1", "already have such entry"},
	} {
		_, err := r.Run(ctx, tc.src)
		if (tc.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%s: err = %v, want %q", tc.src, err, tc.wantErr)
		}
	}
}
