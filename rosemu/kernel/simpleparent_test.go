package kernel

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
)

// The forum's layout: a total queue of the LAN and per-host children.
func parentQueues(withParent bool) []SimpleQueue {
	lan := []netip.Prefix{netip.MustParsePrefix("192.168.88.0/24")}
	host := func(a string) []netip.Prefix { return []netip.Prefix{netip.MustParsePrefix(a)} }
	qs := []SimpleQueue{
		// The children come first, as in forum23's case (place-before):
		// without parent= the first match in list order is the child's
		// own 50M.
		{Name: "c1", Targets: host("192.168.88.20/32"), Upload: 50e6, Download: 50e6},
		{Name: "c2", Targets: host("192.168.88.21/32"), Upload: 50e6, Download: 50e6},
		{Name: "total", Targets: lan, Upload: 5e6, Download: 5e6},
	}
	if withParent {
		qs[0].Parent, qs[1].Parent = "total", "total"
	}
	return qs
}

// TestSimpleQueueParent: a child of 50M under a parent of 5M is held to
// the parent's 5M, measured; two children at once share the parent's 5M;
// a host of the parent's target that no child takes is held by the
// parent too, sharing it with a child. The control: the same queues
// without parent= give the child its own 50M.
func TestSimpleQueueParent(t *testing.T) {
	rateTest(t)
	dp, st, cli, inet := queueLab(t)
	st.Queues = parentQueues(false)
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	r := measureRates(t, 1500*time.Millisecond, upFrom(cli, inet, "192.168.88.20", 5401))
	t.Logf("control, no parent=: c1 (50M) upload %.2f Mbit/s", r[0]/1e6)
	if !within(r[0], 50e6, 0.75, 1.1) {
		t.Errorf("without parent= c1 gave %.2f Mbit/s; want about 50 (its own max-limit)", r[0]/1e6)
	}

	st.Queues = parentQueues(true)
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	r = measureRates(t, 1500*time.Millisecond, upFrom(cli, inet, "192.168.88.20", 5402))
	r = append(r, measureRates(t, 1500*time.Millisecond, downTo(cli, inet, "192.168.88.20", 5403))...)
	t.Logf("c1 (50M) under total (5M): upload %.2f, download %.2f Mbit/s", r[0]/1e6, r[1]/1e6)
	if !within(r[0], 5e6, 0.75, 1.1) || !within(r[1], 5e6, 0.75, 1.1) {
		t.Errorf("c1 under total: upload %.2f, download %.2f Mbit/s; want about 5 (the parent's max-limit)", r[0]/1e6, r[1]/1e6)
	}
	// The packets went through c1's class, under total's.
	if n, pm := treeClassPackets(t, dp, "ether1", queueClass(0, false)); n <= 0 || pm != queueClass(2, false) {
		t.Errorf("c1's upload class on ether1: %d packets, parent %x; want packets, under total's %x", n, pm, queueClass(2, false))
	}

	r = measureRates(t, 2*time.Second, upFrom(cli, inet, "192.168.88.20", 5404), upFrom(cli, inet, "192.168.88.21", 5405))
	t.Logf("c1 and c2 at once under total: %.2f and %.2f Mbit/s", r[0]/1e6, r[1]/1e6)
	if !within(sum(r...), 5e6, 0.75, 1.1) || min(r[0], r[1]) < 1.5e6 {
		t.Errorf("c1 and c2 under total: %.2f and %.2f Mbit/s; want 5 together, shared", r[0]/1e6, r[1]/1e6)
	}

	// .22 is in total's target and in no child's.
	r = measureRates(t, 1500*time.Millisecond, upFrom(cli, inet, "192.168.88.22", 5406))
	t.Logf("total's own traffic (.22): %.2f Mbit/s", r[0]/1e6)
	if !within(r[0], 5e6, 0.75, 1.1) {
		t.Errorf("total's own traffic: %.2f Mbit/s; want about 5", r[0]/1e6)
	}
	r = measureRates(t, 2*time.Second, upFrom(cli, inet, "192.168.88.20", 5407), upFrom(cli, inet, "192.168.88.22", 5408))
	t.Logf("c1 and total's own traffic at once: %.2f and %.2f Mbit/s", r[0]/1e6, r[1]/1e6)
	if !within(sum(r...), 5e6, 0.75, 1.1) || min(r[0], r[1]) < 1.5e6 {
		t.Errorf("c1 and .22: %.2f and %.2f Mbit/s; want 5 together, shared", r[0]/1e6, r[1]/1e6)
	}
}

// TestSimpleQueueParentClasses: the classes of a hierarchy three levels
// deep with a burst, a PCQ child and a PCQ parent: each under its
// parent's, ceilings bounded by the parents (a bursting parent's at its
// burst-limit), the inner queues' own leaves, and a queue whose parent is
// missing left out.
func TestSimpleQueueParentClasses(t *testing.T) {
	dp, st, _, _ := queueLab(t)
	lan := []netip.Prefix{netip.MustParsePrefix("192.168.88.0/24")}
	pcq := PCQ{On: true, Classifier: []string{"src-address"}, SrcMask: 32, DstMask: 32}
	st.Queues = []SimpleQueue{
		{Name: "top", Targets: lan, Upload: 10e6, Download: 10e6,
			UploadBurst: Burst{Limit: 20e6, Threshold: 5e6, Time: 800 * time.Millisecond}},
		{Name: "mid", Parent: "top", Targets: []netip.Prefix{netip.MustParsePrefix("192.168.88.0/28")}, Upload: 30e6, UploadPCQ: pcq},
		{Name: "leaf", Parent: "mid", Targets: []netip.Prefix{netip.MustParsePrefix("192.168.88.2/32")}, Upload: 1e6, UploadPCQ: pcq},
		{Name: "orphan", Parent: "gone", Targets: lan, Upload: 1e6},
	}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if len(dp.bursts) != 1 {
		t.Errorf("%d burst controllers; want 1 (top's upload)", len(dp.bursts))
	}
	dp.mu.Lock()
	defer dp.mu.Unlock()
	type want struct {
		minor, parent uint16
		ceil          uint64
	}
	h := simpleHierarchy(st.Queues)
	for _, w := range []want{
		{queueClass(0, false), 0xffff, 20e6},               // idle: top may burst, under the qdisc
		{queueClass(1, false), queueClass(0, false), 20e6}, // 30M within top's burst-limit
		{h.ownClass(1, false), queueClass(1, false), 20e6}, // mid's own packets
		{queueClass(2, false), queueClass(1, false), 1e6},
		{queueClass(0, true), 0xffff, 10e6},
		{queueClass(1, true), queueClass(0, true), 10e6}, // no download limit: top's
	} {
		c, ok := queueClassOn(t, dp, "ether1", w.minor).(*netlink.HtbClass)
		if !ok {
			t.Errorf("no class 7a:%x on ether1", w.minor)
			continue
		}
		_, pm := netlink.MajorMinor(c.Attrs().Parent)
		if pm != w.parent || c.Ceil*8 != w.ceil {
			t.Errorf("class 7a:%x: parent %x, ceiling %d; want %x, %d", w.minor, pm, c.Ceil*8, w.parent, w.ceil)
		}
	}
	if c := queueClassOn(t, dp, "ether1", queueClass(3, false)); c != nil {
		t.Errorf("the queue whose parent is missing has a class")
	}
	// The PCQ sub-streams hang under mid's own leaf and under leaf.
	pcqs := pcqLayout(st)
	if _, ok := pcqs[h.ownClass(1, false)]; !ok {
		t.Errorf("mid's PCQ is not on its own leaf: %v", pcqs)
	}
	if _, ok := pcqs[queueClass(2, false)]; !ok {
		t.Errorf("leaf's PCQ is not on its class: %v", pcqs)
	}
}

// TestRenderSimpleParent: a parent's rules send its packets on to its
// chain, which tries its children in list order and ends in its own leaf;
// a child has no rule in the main chain; nft takes the text.
func TestRenderSimpleParent(t *testing.T) {
	t.Parallel()
	st := baseState()
	st.Queues = parentQueues(true)
	text, err := Render(st)
	if err != nil {
		t.Fatal(err)
	}
	h := simpleHierarchy(st.Queues)
	main := text[strings.Index(text, "chain simple_queues"):]
	main = main[:strings.Index(main, "\n\t}")]
	for _, want := range []string{
		`ip saddr { 192.168.88.0/24 } goto simple_queue_2_up comment "total upload"`,
		`ip daddr { 192.168.88.0/24 } goto simple_queue_2_down comment "total download"`,
	} {
		if !strings.Contains(main, want) {
			t.Errorf("no %q in the main chain:\n%s", want, main)
		}
	}
	if strings.Contains(main, "192.168.88.20") {
		t.Errorf("a child's rule in the main chain:\n%s", main)
	}
	up := text[strings.Index(text, "chain simple_queue_2_up"):]
	up = up[:strings.Index(up, "\n\t}")]
	lines := []string{
		`ip saddr { 192.168.88.20/32 } meta priority set 7a:10 accept comment "c1 upload"`,
		`ip saddr { 192.168.88.21/32 } meta priority set 7a:12 accept comment "c2 upload"`,
		fmt.Sprintf(`meta priority set 7a:%x accept comment "total upload (no child)"`, h.ownClass(2, false)),
	}
	last := -1
	for _, want := range lines {
		i := strings.Index(up, want)
		if i < 0 || i < last {
			t.Errorf("no %q in order in:\n%s", want, up)
		}
		last = i
	}
	nftCheck(t, text)
}

// TestSimpleQueueParentBurst: a parent's burst lets its child through at
// burst-limit from idle, then holds it to the parent's max-limit (the
// rule of TestSimpleQueueBurst, through the hierarchy); without the
// parent's burst (the control) the child is held to 4M from the start.
func TestSimpleQueueParentBurst(t *testing.T) {
	rateTest(t)
	dp, st, cli, inet := queueLab(t)
	st.Queues = parentQueues(true)
	st.Queues[2].Upload = 4e6
	st.Queues[2].UploadBurst = Burst{Limit: 16e6, Threshold: 3e6, Time: 4 * time.Second}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if len(dp.bursts) != 1 {
		t.Fatalf("%d burst controllers; want 1 (total's upload)", len(dp.bursts))
	}
	const step = 250 * time.Millisecond
	r := rateSeries(t, upFrom(cli, inet, "192.168.88.20", 5411), step, 16)
	t.Logf("c1 under a bursting total, per 250 ms (Mbit/s): %.1f", scale(r))
	first, late := mean(r, 0, 3), mean(r, 10, 16)
	if first < 9e6 || !within(late, 4e6, 0.7, 1.2) {
		t.Errorf("c1 under a bursting total: first 0.75 s %.2f, 2.5-4 s %.2f Mbit/s; want well above 4 (burst-limit 16), then about 4", first/1e6, late/1e6)
	}
	st.Queues[2].UploadBurst = Burst{}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	r = rateSeries(t, upFrom(cli, inet, "192.168.88.20", 5412), step, 8)
	t.Logf("without total's burst, per 250 ms (Mbit/s): %.1f", scale(r))
	if first, late := mean(r, 0, 3), mean(r, 4, 8); first > 6e6 || !within(late, 4e6, 0.7, 1.2) {
		t.Errorf("without burst: first 0.75 s %.2f, then %.2f Mbit/s; want about 4 from the start", first/1e6, late/1e6)
	}
}

// TestSimpleQueueParentPCQ: a child with a PCQ type of pcq-rate=3M under
// a 20M parent gives each of its two hosts 3 Mbit/s at once; the parent's
// own PCQ type (pcq-rate=2M) holds the hosts no child takes, 2 Mbit/s
// each, in its own leaf. The control: the parent's type without PCQ lets
// one of those hosts above 2M.
func TestSimpleQueueParentPCQ(t *testing.T) {
	rateTest(t)
	dp, st, cli, inet := queueLab(t)
	pcq := func(rate uint64) PCQ {
		return PCQ{On: true, Rate: rate, Classifier: []string{"src-address"}, SrcMask: 32, DstMask: 32}
	}
	st.Queues = []SimpleQueue{
		{Name: "total", Targets: []netip.Prefix{netip.MustParsePrefix("192.168.88.0/24")}, Upload: 20e6, Download: 20e6, UploadPCQ: pcq(2e6)},
		{Name: "pair", Parent: "total", Targets: []netip.Prefix{netip.MustParsePrefix("192.168.88.20/31")}, UploadPCQ: pcq(3e6)},
	}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	r := measureRates(t, 1500*time.Millisecond, upFrom(cli, inet, "192.168.88.20", 5421), upFrom(cli, inet, "192.168.88.21", 5422))
	t.Logf("child pcq-rate=3M under total: %.2f and %.2f Mbit/s", r[0]/1e6, r[1]/1e6)
	for i, x := range r {
		if !within(x, 3e6, 0.75, 1.1) {
			t.Errorf("child's host %d: %.2f Mbit/s; want about 3 (pcq-rate)", i, x/1e6)
		}
	}
	r = measureRates(t, 1500*time.Millisecond, upFrom(cli, inet, "192.168.88.22", 5423), upFrom(cli, inet, "192.168.88.23", 5424))
	t.Logf("total's own pcq-rate=2M: %.2f and %.2f Mbit/s", r[0]/1e6, r[1]/1e6)
	for i, x := range r {
		if !within(x, 2e6, 0.75, 1.1) {
			t.Errorf("total's own host %d: %.2f Mbit/s; want about 2 (pcq-rate)", i, x/1e6)
		}
	}
	st.Queues[0].UploadPCQ = PCQ{}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	r = measureRates(t, 1500*time.Millisecond, upFrom(cli, inet, "192.168.88.22", 5425), upFrom(cli, inet, "192.168.88.23", 5426))
	t.Logf("total's own traffic without PCQ: %.2f and %.2f Mbit/s", r[0]/1e6, r[1]/1e6)
	if max(r[0], r[1]) < 3e6 {
		t.Errorf("without total's PCQ its hosts got %.2f and %.2f Mbit/s; the control shows nothing", r[0]/1e6, r[1]/1e6)
	}
}
