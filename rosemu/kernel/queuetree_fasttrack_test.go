package kernel

import (
	"testing"
	"time"
)

// wantTreeRate measures flow f and wants it held to about limit (shaped)
// or well above it. The control only tells the limit from a flow the tree
// does not hold: half a second after the warmup does.
func wantTreeRate(t *testing.T, what string, f flowSpec, limit float64, shaped bool) {
	t.Helper()
	d := 1500 * time.Millisecond
	if !shaped {
		d = 500 * time.Millisecond
	}
	r := measureRates(t, d, f)[0]
	t.Logf("%s, max-limit %.0fM: %.2f Mbit/s", what, limit/1e6, r/1e6)
	if shaped && !within(r, limit, 0.75, 1.1) {
		t.Errorf("%s: %.2f Mbit/s; want about %.0f", what, r/1e6, limit/1e6)
	}
	if !shaped && r < 40e6 {
		t.Errorf("%s: %.2f Mbit/s; want unshaped", what, r/1e6)
	}
}

// TestQueueTreeFasttrack: with the defconf fasttrack rule on, a tree under
// the WAN port (a packet-mark=no-mark leaf, the "SQM without disabling
// fasttrack" recipe) still holds the LAN's upload to its max-limit, as on
// RouterOS, whose fast path skips only the simple queues and the trees
// under parent=global (Firewall manual, FastTrack). The control: the same
// tree under global lets the fasttracked connection by unshaped.
func TestQueueTreeFasttrack(t *testing.T) {
	rateTest(t)
	dp, _, cli, inet := queueLab(t)
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	st.Routes = st.Routes[:2]
	up := flowSpec{cli: cli, srv: inet, src: "192.168.88.20", addr: "198.51.100.50:5311"}
	for _, tc := range []struct {
		parent string
		shaped bool
	}{{"ether1", true}, {"global", false}} {
		st.TreeQueues = []TreeQueue{{Name: "sqm", Parent: tc.parent, PacketMarks: []string{"no-mark"}, MaxLimit: 4e6, Priority: 8}}
		if err := dp.Apply(st); err != nil {
			t.Fatal(err)
		}
		wantTreeRate(t, "fasttrack on, upload, tree parent="+tc.parent, up, 4e6, tc.shaped)
	}
}
