package kernel

import (
	"net/netip"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
)

// TestBurstWindowManual replays the manual's worked example (the wiki's
// "Manual:Queues - Burst", burst-time=8s): max-limit=2M, burst-limit=4M,
// burst-threshold=1500k, a download from idle. Each 0.5 s sub-period
// carries 2 Mbit while burst is allowed and 1 Mbit after; the average
// reaches the threshold at the 3 s sample (six sub-periods at 4M), and
// burst stays denied while the download goes on at max-limit (2M > 1500k).
func TestBurstWindowManual(t *testing.T) {
	w := burstWindow{threshold: 1500e3, time: 8 * time.Second}
	if !w.allowed() {
		t.Fatal("an idle queue may not burst")
	}
	on, deniedAt := true, -1
	for i := 1; i <= 30; i++ {
		bits := uint64(1e6)
		if on {
			bits = 2e6
		}
		on = w.add(bits / 8)
		if !on && deniedAt < 0 {
			deniedAt = i
		}
		if deniedAt > 0 && on {
			t.Fatalf("burst allowed again at sample %d (average %.0f) while sending at max-limit", i, w.average())
		}
	}
	if deniedAt != 6 {
		t.Errorf("burst denied after sample %d; want 6 (3 s, the average at 1500k)", deniedAt)
	}
	// Idle again: the average falls below the threshold as the burst's
	// sub-periods leave the window.
	n := 0
	for !w.add(0) {
		n++
	}
	if n == 0 || n >= 16 {
		t.Errorf("burst back after %d idle sub-periods; want within the window", n)
	}
}

func TestBurstApplies(t *testing.T) {
	b := Burst{Limit: 16e6, Threshold: 3e6, Time: 8 * time.Second}
	for _, c := range []struct {
		b    Burst
		max  uint64
		want bool
	}{
		{b, 4e6, true},
		{b, 16e6, false}, // burst-limit not above max-limit
		{b, 0, false},    // no max-limit: unlimited already
		{Burst{Limit: 16e6, Time: time.Second}, 4e6, false}, // no threshold
		{Burst{Limit: 16e6, Threshold: 3e6}, 4e6, false},    // no burst-time
	} {
		if got := c.b.Applies(c.max); got != c.want {
			t.Errorf("%+v with max-limit %d: applies %v, want %v", c.b, c.max, got, c.want)
		}
	}
}

// rateSeries runs transfer f for n steps of step and returns its goodput
// in bit/s in each step, taken at the receiver.
func rateSeries(t *testing.T, f flowSpec, step time.Duration, n int) []float64 {
	t.Helper()
	c, err := connectFlow(f)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	stop := make(chan struct{})
	defer close(stop)
	go c.send(stop)
	start := time.Now()
	bytes := make([]int64, n)
	buf := make([]byte, 64<<10)
	c.receiver.SetReadDeadline(start.Add(step*time.Duration(n) + 3*time.Second))
	for {
		k, err := c.receiver.Read(buf)
		i := int(time.Since(start) / step)
		if i >= n {
			break
		}
		bytes[i] += int64(k)
		if err != nil {
			t.Fatalf("transfer: %v", err)
		}
	}
	out := make([]float64, n)
	for i, b := range bytes {
		out[i] = float64(b) * 8 / step.Seconds()
	}
	return out
}

// mean is the average of rs[from:to].
func mean(rs []float64, from, to int) float64 { return sum(rs[from:to]...) / float64(to-from) }

// TestSimpleQueueBurst: a simple queue max-limit=4M burst-limit=16M
// burst-threshold=3M burst-time=4s, measured with real traffic: the
// upload from idle runs near burst-limit at first, for about burst-time *
// threshold / burst-limit (0.75 s), then at max-limit while it goes on
// (its average, 4M, stays above the threshold). Without the burst (the
// control) the same queue holds it at 4M from the start.
func TestSimpleQueueBurst(t *testing.T) {
	rateTest(t)
	dp, st, cli, inet := queueLab(t)
	target := []netip.Prefix{netip.MustParsePrefix("192.168.88.20/32")}
	q := SimpleQueue{Name: "burst", Targets: target, Upload: 4e6, Download: 4e6,
		UploadBurst: Burst{Limit: 16e6, Threshold: 3e6, Time: 4 * time.Second}}
	st.Queues = []SimpleQueue{q}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if len(dp.bursts) != 1 {
		t.Fatalf("%d burst controllers; want 1 (the upload's)", len(dp.bursts))
	}
	const step = 250 * time.Millisecond
	r := rateSeries(t, upFrom(cli, inet, "192.168.88.20", 5321), step, 16)
	t.Logf("with burst, per 250 ms (Mbit/s): %.1f", scale(r))
	first, late := mean(r, 0, 3), mean(r, 10, 16)
	t.Logf("with burst: first 0.75 s %.2f Mbit/s, 2.5-4 s %.2f Mbit/s", first/1e6, late/1e6)
	if first < 9e6 {
		t.Errorf("the first 0.75 s ran at %.2f Mbit/s; want well above max-limit 4M (burst-limit 16M)", first/1e6)
	}
	if !within(late, 4e6, 0.7, 1.2) {
		t.Errorf("after the burst %.2f Mbit/s; want about 4 (max-limit)", late/1e6)
	}

	// The control: no burst, the same queue.
	st.Queues[0].UploadBurst = Burst{}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if len(dp.bursts) != 0 {
		t.Fatalf("%d burst controllers left without a burst", len(dp.bursts))
	}
	r = rateSeries(t, upFrom(cli, inet, "192.168.88.20", 5322), step, 8)
	t.Logf("without burst, per 250 ms (Mbit/s): %.1f", scale(r))
	first, late = mean(r, 0, 3), mean(r, 4, 8)
	t.Logf("without burst: first 0.75 s %.2f Mbit/s, 1-2 s %.2f Mbit/s", first/1e6, late/1e6)
	if first > 6e6 || !within(late, 4e6, 0.7, 1.2) {
		t.Errorf("without burst: first 0.75 s %.2f, then %.2f Mbit/s; want about 4 from the start", first/1e6, late/1e6)
	}
}

func scale(rs []float64) []float64 {
	out := make([]float64, len(rs))
	for i, r := range rs {
		out[i] = r / 1e6
	}
	return out
}

// htbCeil is the ceiling of class minor on interface name in bit/s, 0
// when there is none.
func htbCeil(t *testing.T, dp *Dataplane, name string, minor uint16) uint64 {
	t.Helper()
	dp.mu.Lock()
	defer dp.mu.Unlock()
	if h, ok := queueClassOn(t, dp, name, minor).(*netlink.HtbClass); ok {
		return h.Ceil * 8
	}
	return 0
}

// TestBurstControllers: the controllers follow the queues' rebuilds (a
// tree entry's burst raises its class's ceiling while idle, a rebuild
// replaces the controller and keeps the window), survive an interface
// that goes away, and end with the Dataplane.
func TestBurstControllers(t *testing.T) {
	rateTest(t)
	dp, st, _, _ := queueLab(t)
	b := Burst{Limit: 20e6, Threshold: 5e6, Time: 800 * time.Millisecond}
	st.TreeQueues = []TreeQueue{
		{Name: "wan", Parent: "ether1", MaxLimit: 10e6, Priority: 8, Burst: b},
		{Name: "wan-up", Parent: "wan", PacketMarks: []string{"up"}, Priority: 1},
	}
	st.Queues = []SimpleQueue{{Name: "q", Targets: []netip.Prefix{netip.MustParsePrefix("192.168.88.20/32")}, Upload: 4e6, Download: 4e6,
		DownloadBurst: Burst{Limit: 8e6, Threshold: 2e6, Time: 800 * time.Millisecond}}}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if len(dp.bursts) != 2 {
		t.Fatalf("%d controllers; want 2 (the tree entry's, the download's)", len(dp.bursts))
	}
	// Idle: both may burst from the start.
	if c := htbCeil(t, dp, "ether1", treeMinorBase); c != 20e6 {
		t.Errorf("idle tree class ceiling %d; want burst-limit 20M", c)
	}
	if c := htbCeil(t, dp, "ether2", queueClass(0, true)); c != 8e6 {
		t.Errorf("idle download class ceiling %d; want burst-limit 8M", c)
	}
	// The leaf under the bursting entry may borrow up to burst-limit.
	if c := htbCeil(t, dp, "ether1", treeMinorBase+1); c != 20e6 {
		t.Errorf("leaf ceiling %d; want its parent's burst-limit", c)
	}
	// A change to the queues rebuilds the classes and the controllers.
	old := dp.bursts[0]
	st.Queues[0].Upload = 5e6
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	select {
	case <-old.stop:
	default:
		t.Error("the old controller was not stopped by the rebuild")
	}
	if len(dp.bursts) != 2 || dp.bursts[0] == old {
		t.Fatalf("controllers after the rebuild: %d", len(dp.bursts))
	}
	// An interface that goes away: the controllers go on.
	dp.mu.Lock()
	l, err := dp.nl.LinkByName(LinkName("ether3"))
	if err == nil {
		err = dp.nl.LinkDel(l)
	}
	dp.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // several sub-periods of 50 ms
	if c := htbCeil(t, dp, "ether1", treeMinorBase); c != 20e6 {
		t.Errorf("tree class ceiling %d after ether3 went; want 20M still", c)
	}
	// Close ends them: burstWG would hang the test otherwise.
	done := make(chan struct{})
	go func() { dp.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the burst controllers")
	}
	if len(dp.bursts) != 0 {
		t.Errorf("%d controllers after Close", len(dp.bursts))
	}
}
