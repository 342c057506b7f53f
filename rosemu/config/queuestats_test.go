package config

import (
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// fakeQueueCounters stands for the kernel's counters (the kernel side is
// measured in rosemu/kernel's TestQueueStats).
type fakeQueueCounters struct {
	s     kernel.QueueStats
	reset []string
}

func (f *fakeQueueCounters) RuleCounters() (map[string]kernel.Counter, error) {
	return map[string]kernel.Counter{}, nil
}
func (f *fakeQueueCounters) ResetCounters([]string) error { return nil }
func (f *fakeQueueCounters) QueueStats() (kernel.QueueStats, error) {
	return f.s, nil
}
func (f *fakeQueueCounters) ResetQueueCounters(simple, tree []string) error {
	f.reset = append(append(f.reset, simple...), tree...)
	return nil
}

// TestQueueStatsPrint: print stats of the simple queues and the tree is
// accepted and shows the kernel's counters, get reads bytes, rate and
// dropped as upload/download pairs (a tree entry's single values), total-*
// the sum; reset-counters reaches the kernel. The control: a queue the
// kernel counted nothing for reads 0/0.
func TestQueueStatsPrint(t *testing.T) {
	fq := &fakeQueueCounters{s: kernel.QueueStats{
		Simple: map[string][2]kernel.QueueStat{"server": {{Bytes: 1000, Packets: 10, Rate: 800000}, {Bytes: 50000, Packets: 40, Dropped: 3, Rate: 3900000}}},
		Tree:   map[string]kernel.QueueStat{"t": {Bytes: 7000, Packets: 7, Rate: 56000}},
	}}
	r := New(Options{Ports: ports, Counters: fq})
	run(t, r, `/queue simple
add max-limit=1M/4M name=server target=192.168.88.10/32
add max-limit=1M/4M name=other target=192.168.88.11/32
/queue tree
add name=t parent=global max-limit=5M packet-mark=no-mark`)
	out := run(t, r, "/queue simple print stats")
	for _, want := range []string{"server", "800000/3900000", "1000/50000", "0/3"} {
		if !strings.Contains(out, want) {
			t.Errorf("print stats lacks %q:\n%s", want, out)
		}
	}
	if out := run(t, r, "/queue tree print stats"); !strings.Contains(out, "7000") || !strings.Contains(out, "56000") {
		t.Errorf("tree print stats:\n%s", out)
	}
	for src, want := range map[string]string{
		`:put [/queue simple get [find name=server] bytes]`:       "1000/50000",
		`:put [/queue simple get [find name=server] dropped]`:     "0/3",
		`:put [/queue simple get [find name=server] total-bytes]`: "51000",
		`:put [/queue simple get [find name=other] bytes]`:        "0/0",
		`:put [/queue tree get [find name=t] packets]`:            "7",
	} {
		if got := strings.TrimSpace(run(t, r, src)); got != want {
			t.Errorf("%s = %q; want %q", src, got, want)
		}
	}
	run(t, r, "/queue simple reset-counters [find name=server]\n/queue tree reset-counters-all")
	if strings.Join(fq.reset, ",") != "server,t" {
		t.Errorf("reset reached the kernel for %q; want server, t", fq.reset)
	}
}
