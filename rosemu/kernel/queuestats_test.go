package kernel

import (
	"net/netip"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/chrlab/chrlab/internal/loadavg"
)

// TestQueueStats: the counters of a simple queue and a tree entry are
// their HTB classes' in the kernel: an upload through a 4M queue counts
// upload bytes and packets and a rate near 4M, a tree under the LAN port
// the ACKs; the
// control queue whose target sends nothing stays at zero, as does a reset
// queue until traffic comes again. A reading takes one reading of the
// classes and never waits for a second one (the configuration reads the
// counters under the router's lock): the rate comes from the sampler's
// readings, and once the queues are gone the sampler stops.
func TestQueueStats(t *testing.T) {
	rateTest(t)
	dp, st, cli, inet := queueLab(t)
	st.Queues = []SimpleQueue{
		{Name: "busy", Targets: []netip.Prefix{netip.MustParsePrefix("192.168.88.20/32")}, Upload: 4e6, Download: 8e6},
		{Name: "idle", Targets: []netip.Prefix{netip.MustParsePrefix("192.168.88.30/32")}, Upload: 4e6, Download: 8e6},
	}
	st.TreeQueues = []TreeQueue{{Name: "lan", Parent: "ether2", PacketMarks: []string{"no-mark"}, MaxLimit: 50e6, Priority: 8}}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	// Just after the queues were built there is no earlier reading: the
	// rate is 0 and nothing waits for a second reading.
	readings := func() uint64 {
		dp.mu.Lock()
		defer dp.mu.Unlock()
		return dp.queueReadings
	}
	before := readings()
	if _, err := dp.QueueStats(); err != nil {
		t.Fatal(err)
	}
	if n := readings() - before; n != 1 {
		t.Errorf("a print took %d readings of the classes; want 1 (no wait for a second one)", n)
	}
	up := flowSpec{cli: cli, srv: inet, src: "192.168.88.20", addr: "198.51.100.50:5321"}
	done := make(chan float64)
	go func() { done <- measureRates(t, 3*time.Second, up)[0] }()
	// Three prints during the flow, 0.4 s apart, each one reading. A
	// print's rate is taken over as little as 250 ms since the sampler's
	// last reading, and on a loaded machine the kernel's shaper itself
	// stalls for part of such a span (1.95 Mbit/s read once at a load of
	// 40, the transfer's goodput 3.65): the middle of the three rates is
	// the queue's, a stall of one span is not. A rate not taken from the
	// class's counters is wrong in all three.
	var (
		s     QueueStats
		err   error
		rates []float64
	)
	time.Sleep(1500 * time.Millisecond)
	for i := range 3 {
		if i > 0 {
			time.Sleep(400 * time.Millisecond)
		}
		before = readings()
		s, err = dp.QueueStats()
		if err != nil {
			t.Fatal(err)
		}
		if n := readings() - before; n != 1 {
			t.Errorf("a print during the flow took %d readings; want 1", n)
		}
		rates = append(rates, float64(s.Simple["busy"][0].Rate))
	}
	got := <-done
	busy, idle, wan := s.Simple["busy"], s.Simple["idle"], s.Tree["lan"]
	t.Logf("measured %.2f Mbit/s; busy upload %+v, download %+v; idle %+v; tree %+v; rates of the three prints %.0f", got/1e6, busy[0], busy[1], idle, wan, rates)
	slices.Sort(rates)
	if busy[0].Bytes < 200e3 || busy[0].Packets < 100 || !within(rates[1], 4e6, 0.6, 1.3) {
		t.Errorf("busy upload %+v, rates %.0f; want its bytes, packets and a rate near 4 Mbit/s", busy[0], rates)
	}
	if idle[0].Bytes != 0 || idle[1].Bytes != 0 {
		t.Errorf("idle %+v; want nothing counted", idle)
	}
	// The tree under the LAN port takes the upload's ACKs (they leave by
	// ether2; the simple queue's download class loses them to the leaf,
	// as a packet is in one class only).
	if wan.Packets < 10 || wan.Bytes == 0 {
		t.Errorf("tree %+v; want the ACKs leaving ether2 counted", wan)
	}
	// The transfer is over, but what its sender had handed to the kernel
	// still leaves through the queue: GSO packets of up to 64 KiB each in
	// the class's ten-packet FIFO, and the sender's socket, closed with
	// bytes unsent, sends on until the receiver's reset reaches it. On a
	// loaded machine that takes long enough to put 90 KB in the counters
	// after the reset below; the reset is checked against a queue that
	// has gone quiet, as "want about nothing" assumes.
	quiet := time.Now().Add(loadavg.Scale(5*time.Second, loadavg.Load(), runtime.NumCPU()))
	for prev := s.Simple["busy"][0]; ; {
		time.Sleep(200 * time.Millisecond)
		s, err = dp.QueueStats()
		if err != nil {
			t.Fatal(err)
		}
		b := s.Simple["busy"][0]
		if b.QueuedPackets == 0 && b.Bytes == prev.Bytes {
			break
		}
		if time.Now().After(quiet) {
			t.Fatalf("the busy queue still sends after the transfer ended: %+v", b)
		}
		prev = b
	}
	if err := dp.ResetQueueCounters([]string{"busy"}, nil); err != nil {
		t.Fatal(err)
	}
	s, err = dp.QueueStats()
	if err != nil {
		t.Fatal(err)
	}
	if b := s.Simple["busy"][0]; b.Bytes > 20e3 {
		t.Errorf("after reset-counters busy upload %+v; want about nothing", b)
	}
	if s.Tree["lan"].Bytes < wan.Bytes {
		t.Errorf("the tree's counters went down with the simple queue's reset: %+v", s.Tree["lan"])
	}
	st.Queues, st.TreeQueues = nil, nil
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	dp.mu.Lock()
	on := dp.queueSampler != nil
	dp.mu.Unlock()
	if on {
		t.Errorf("the sampler runs on with no queue left")
	}
}

// TestQueueStatAdd: the sum of two directions' counters is field by field
// (a simple queue's total-* values).
func TestQueueStatAdd(t *testing.T) {
	a := QueueStat{Bytes: 1, Packets: 2, Dropped: 3, QueuedBytes: 4, QueuedPackets: 5, Rate: 6, PacketRate: 7}
	b := QueueStat{Bytes: 10, Packets: 20, Dropped: 30, QueuedBytes: 40, QueuedPackets: 50, Rate: 60, PacketRate: 70}
	if got, want := a.Add(b), (QueueStat{11, 22, 33, 44, 55, 66, 77}); got != want {
		t.Errorf("%+v.Add(%+v) = %+v; want %+v", a, b, got, want)
	}
	if got := a.Add(QueueStat{}); got != a {
		t.Errorf("adding zero changed %+v to %+v", a, got)
	}
}
