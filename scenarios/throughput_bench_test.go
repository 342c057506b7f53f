package scenarios_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/runner"
	"github.com/chrlab/chrlab/harness/scenario"
)

// throughputRounds and throughputSeconds shape BenchmarkThroughput: three rounds, each an iperf3
// run of every path; a run of 4 s leaves out its first second (TCP slow start) and lasts 5.
// CHRLAB_BENCH_IPERF_SECONDS sets another run length, to see whether longer runs agree better,
// and CHRLAB_BENCH_IPERF_AFFINITY pins iperf3's client and server ("0,1", iperf3 -A), to see
// whether CPUs that stay put do. CHRLAB_BENCH_ROUNDS sets another number of rounds: on a
// machine others share, more rounds make the median ratio a figure the busy minutes do not move.
const (
	throughputRounds  = 3
	throughputSeconds = 4
)

// benchRounds is the number of rounds: throughputRounds, or CHRLAB_BENCH_ROUNDS.
func benchRounds(b *testing.B) int {
	v := os.Getenv("CHRLAB_BENCH_ROUNDS")
	if v == "" {
		return throughputRounds
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 50 {
		b.Fatalf("CHRLAB_BENCH_ROUNDS=%q: want 1 to 50 rounds", v)
	}
	return n
}

// iperfSeconds is the run length: throughputSeconds, or CHRLAB_BENCH_IPERF_SECONDS.
func iperfSeconds(b *testing.B) int {
	v := os.Getenv("CHRLAB_BENCH_IPERF_SECONDS")
	if v == "" {
		return throughputSeconds
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 2 || n > 60 {
		b.Fatalf("CHRLAB_BENCH_IPERF_SECONDS=%q: want 2 to 60 seconds", v)
	}
	return n
}

// throughputPaths are the three paths of method 2's lab whose throughput the issue of record
// compares: direct on the LAN, the hairpin (NATed both ways through the router) and NAT from the
// WAN peer to the LAN server.
var throughputPaths = []struct{ id, from, to string }{
	{"direct", "client1", "server:5201"},
	{"hairpin", "client1", "router.wan:5201"},
	{"wan", "peer", "router.wan:5201"},
}

// BenchmarkThroughput measures whether iperf3 runs agree: the three paths in turn, three rounds
// in one lab (interleaved, so a slow minute of the machine slows every path alike), and reports
// per path the mean, the spread of its runs ((max-min)/mean, target 5 %) and the spread of the
// 1-s intervals within its runs (noise inside a run, which no run length removes), and the
// hairpin and NAT-to-WAN ratios to direct round by round. Before the lab and after it, it
// measures the machine itself (machine-spread-%, a computing loop in windows of the runs'
// length): the floor under the runs' spread. Run it with -benchtime=1x.
func BenchmarkThroughput(b *testing.B) {
	root := benchLab(b, false)
	// Method 2 on both LAN layouts: the hairpin lab's switch (the LAN a bridge in the lab's
	// own namespace, direct traffic never entering the router) and the hairpin-ports lab, a
	// router in its default shape whose bridged ports each hold one LAN host, so direct
	// traffic crosses the router's bridge as on a CHR.
	for _, layout := range []struct{ name, scenario string }{{"switch", "srcnat"}, {"ports", "srcnat-ports"}} {
		b.Run(layout.name, func(b *testing.B) { throughput(b, root, layout.scenario) })
	}
}

// throughput is BenchmarkThroughput on one scenario's lab and rules.
func throughput(b *testing.B, root, name string) {
	ctx := context.Background()
	s, err := scenario.Load(root, name)
	if err != nil {
		b.Fatal(err)
	}
	seconds, rounds := iperfSeconds(b), benchRounds(b)
	b.Logf("%d rounds of iperf3 runs of %d s, the first second left out, affinity %q", rounds, seconds, os.Getenv("CHRLAB_BENCH_IPERF_AFFINITY"))
	var steps []scenario.Step
	for r := range rounds {
		for _, p := range throughputPaths {
			steps = append(steps, scenario.Step{Probe: scenario.Iperf, ID: fmt.Sprintf("%s-%d", p.id, r), From: p.from, To: p.to, Seconds: seconds,
				Affinity: os.Getenv("CHRLAB_BENCH_IPERF_AFFINITY")})
		}
	}
	s.Steps = steps
	for b.Loop() {
		// The machine's own speed, in windows of the runs' length just
		// before the lab and just after it: if a loop that only computes
		// differs by more than 5 % from window to window, no iperf3 run
		// length can agree within 5 % on this machine; if it does not,
		// the runs' spread is the lab's.
		window := time.Duration(seconds) * time.Second
		ref := cpuReference(rounds, window)
		rep, err := runner.Run(ctx, runner.Options{Root: root, Scenario: s, Router: runner.Rosemu})
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("results/%s", rep.Run)
		ref = append(ref, cpuReference(rounds, window)...)
		b.ReportMetric(100*spread(ref), "machine-spread-%")
		b.Logf("machine reference (one core computing, %d windows of %d s before the lab, %d after): %.0f", rounds, seconds, rounds, ref)
		gbps := map[string][]float64{}
		var intervals = map[string][]float64{}
		// medians holds each run's median 1-s interval: a figure a stall of
		// the machine for a second or two does not move, unlike the mean.
		medians := map[string][]float64{}
		for _, st := range rep.Steps {
			if !st.OK || st.Seen.BitsPerSecond == 0 {
				b.Fatalf("step %s: %s", st.ID, st.Why)
			}
			// The step ids are "<path>-<round>" (above): the path id is
			// what comes before the last hyphen, whatever hyphens it has.
			id := st.ID[:max(strings.LastIndexByte(st.ID, '-'), 0)]
			gbps[id] = append(gbps[id], st.Seen.BitsPerSecond/1e9)
			iv, err := iperfIntervals(filepath.Join(rep.Dir, fmt.Sprintf("probes/%02d-%s.iperf3.json", st.Index, st.Probe)))
			if err != nil {
				b.Fatal(err)
			}
			intervals[id] = append(intervals[id], iv...)
			medians[id] = append(medians[id], median(iv))
		}
		for _, p := range throughputPaths {
			b.ReportMetric(mean(gbps[p.id]), p.id+"-Gbit/s")
			b.ReportMetric(100*spread(gbps[p.id]), p.id+"-runs-spread-%")
			b.ReportMetric(100*spread(intervals[p.id]), p.id+"-1s-spread-%")
			b.ReportMetric(100*spread(medians[p.id]), p.id+"-median-runs-spread-%")
			b.Logf("%s: runs %.2f Gbit/s (medians of their 1-s intervals %.2f), 1-s intervals %.1f to %.1f", p.id, gbps[p.id], medians[p.id], slices.Min(intervals[p.id]), slices.Max(intervals[p.id]))
		}
		for _, p := range throughputPaths[1:] {
			var ratios []float64
			for r := range rounds {
				ratios = append(ratios, gbps[p.id][r]/gbps["direct"][r])
			}
			b.ReportMetric(mean(ratios), p.id+"/direct")
			// The median: the figure a round or two on a busy machine does not move.
			b.ReportMetric(median(ratios), p.id+"/direct-median")
			b.Logf("%s/direct by round: %.2f", p.id, ratios)
		}
	}
}

// cpuReference measures the machine's speed: a loop of multiply-adds on one core, counted per
// second in n windows of d each. It needs no lab and touches no network.
func cpuReference(n int, d time.Duration) []float64 {
	out := make([]float64, 0, n)
	x := uint64(1)
	for range n {
		count := 0
		start := time.Now()
		for time.Since(start) < d {
			for range 100_000 {
				x = x*6364136223846793005 + 1442695040888963407
			}
			count++
		}
		out = append(out, float64(count)/time.Since(start).Seconds())
	}
	sinkReference = x
	return out
}

// sinkReference keeps cpuReference's loop from being optimised away.
var sinkReference uint64

// iperfIntervals reads the 1-s intervals of an iperf3 -J report in Gbit/s, those it left out
// (-O) excluded.
func iperfIntervals(path string) ([]float64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rep struct {
		Intervals []struct {
			Sum struct {
				BitsPerSecond float64 `json:"bits_per_second"`
				Omitted       bool    `json:"omitted"`
			} `json:"sum"`
		} `json:"intervals"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []float64
	for _, iv := range rep.Intervals {
		if !iv.Sum.Omitted {
			out = append(out, iv.Sum.BitsPerSecond/1e9)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no interval that was not left out", path)
	}
	return out, nil
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// spread is (max-min)/mean: how far apart the figures are, as a fraction of their mean.
func spread(v []float64) float64 {
	return (slices.Max(v) - slices.Min(v)) / mean(v)
}

// median is the middle value of v (the mean of the two middle ones for an even count).
func median(v []float64) float64 {
	w := slices.Sorted(slices.Values(v))
	n := len(w)
	if n%2 == 1 {
		return w[n/2]
	}
	return (w[n/2-1] + w[n/2]) / 2
}
