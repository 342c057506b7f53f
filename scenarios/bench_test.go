package scenarios_test

import (
	"context"
	"testing"
	"time"

	tclog "github.com/testcontainers/testcontainers-go/log"

	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/harness/runner"
	"github.com/chrlab/chrlab/harness/scenario"
)

// BenchmarkLab measures what a user waits for: one whole `make lab` run
// per scenario (lab up, configure, probe, tear down, images already built),
// and, from the same runs, the hairpin throughput as a fraction of the
// direct LAN throughput measured moments before it. Run it with
// -benchtime=1x: one run of a lab takes seconds.
func BenchmarkLab(b *testing.B) {
	root := benchLab(b, false)
	ctx := context.Background()
	var suite time.Duration
	for _, name := range []string{"none", "srcnat", "static-wan", "local-address"} {
		s, err := scenario.Load(root, name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			var ratio float64
			var runs int
			for b.Loop() {
				start := time.Now()
				rep, err := runner.Run(ctx, runner.Options{Root: root, Scenario: s, Router: runner.Rosemu})
				if err != nil {
					b.Fatal(err)
				}
				if !rep.Passed {
					b.Fatalf("scenario %s did not pass: %s", name, rep.Verdict())
				}
				suite += time.Since(start)
				if t := rep.Throughput; t != nil && t.Ratio > 0 {
					ratio += t.Ratio
					runs++
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
			if runs > 0 {
				b.ReportMetric(ratio/float64(runs), "hairpin/direct")
			}
		})
	}
	b.Logf("the four scenarios took %.1f s in all", suite.Seconds())
}

// BenchmarkBackends runs the same four scenarios on rosemu and on the vm
// backend (rosemu booted in the CHR container's QEMU) one after the other
// in one run, and reports the time of each and their ratio: the price of
// the CHR plumbing, which should stay within 2x. Run it with -benchtime=1x.
func BenchmarkBackends(b *testing.B) {
	root := benchLab(b, true)
	ctx := context.Background()
	names := []string{"none", "srcnat", "static-wan", "local-address"}
	for b.Loop() {
		took := map[runner.Backend]time.Duration{}
		for _, backend := range []runner.Backend{runner.Rosemu, runner.VM} {
			for _, name := range names {
				s, err := scenario.Load(root, name)
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				rep, err := runner.Run(ctx, runner.Options{Root: root, Scenario: s, Router: backend})
				if err != nil || !rep.Passed {
					b.Fatalf("%s on %s: %v %s", name, backend, err, rep.Verdict())
				}
				took[backend] += time.Since(start)
			}
		}
		b.ReportMetric(took[runner.Rosemu].Seconds(), "rosemu-s")
		b.ReportMetric(took[runner.VM].Seconds(), "vm-s")
		b.ReportMetric(took[runner.VM].Seconds()/took[runner.Rosemu].Seconds(), "vm/rosemu")
	}
}

// benchLab is what every lab benchmark needs first: a Docker engine (not
// with -short), quiet testcontainers, the repository and the images built
// (vm adds the QEMU router image), so that the figures time the runs alone.
func benchLab(b *testing.B, vm bool) string {
	b.Helper()
	if testing.Short() {
		b.Skip("needs a Docker engine")
	}
	tclog.SetDefault(tclog.NewNoopLogger())
	root, err := scenario.Root()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := images.Ensure(context.Background(), images.Options{Root: root, VM: vm}); err != nil {
		b.Fatal(err)
	}
	return root
}
