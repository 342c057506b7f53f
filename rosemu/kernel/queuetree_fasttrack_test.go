package kernel

import (
	"testing"
	"time"
)

// TestQueueTreeFasttrack: with the defconf fasttrack rule on, a tree under
// the WAN port (a packet-mark=no-mark leaf, the "SQM without disabling
// fasttrack" recipe) still holds the LAN's upload to its max-limit, as on
// RouterOS, whose fast path skips only the simple queues and the trees
// under parent=global (Firewall manual, FastTrack). The control: the same
// tree under global lets the fasttracked connection by unshaped.
func TestQueueTreeFasttrack(t *testing.T) {
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
		// The control (global) only tells the tree's 4M from a flow it
		// does not hold: half a second after the warmup does.
		d := 1500 * time.Millisecond
		if !tc.shaped {
			d = 500 * time.Millisecond
		}
		r := measureRates(t, d, up)[0]
		t.Logf("fasttrack on, tree parent=%s max-limit=4M: upload %.2f Mbit/s", tc.parent, r/1e6)
		if tc.shaped && !within(r, 4e6, 0.75, 1.1) {
			t.Errorf("parent=%s: fasttracked upload %.2f Mbit/s; want about 4 (an interface tree shapes fasttracked packets)", tc.parent, r/1e6)
		}
		if !tc.shaped && r < 40e6 {
			t.Errorf("parent=%s: fasttracked upload %.2f Mbit/s; want unshaped (the fast path skips the global tree)", tc.parent, r/1e6)
		}
	}
}
