package scenarios_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/runner"
	"github.com/chrlab/chrlab/harness/scenario"
)

// methods are the six hairpin methods of the forum post, by the scenario that configures each.
// Method 1 (DNS) never sends LAN clients through the WAN address: its "hairpin" is the server's
// LAN address the DNS answer gives.
var methods = []struct{ n, scenario, target string }{
	{"1 DNS static entry", "dns", "server"},
	{"2 src-nat hairpin rule", "srcnat", "router.wan"},
	{"3 static WAN dst-nat", "static-wan", "router.wan"},
	{"4 dst-address-type=local", "local-address", "router.wan"},
	{"5 IP Cloud address list", "ip-cloud", "router.wan"},
	{"6 DHCP lease script", "dhcp-script", "router.wan"},
}

// methodSteps is the same load for every method: wait until the forward works (IP Cloud needs
// its first update), UDP flows for the conntrack entries per flow, the closed-loop rate direct
// and hairpin, the p99 at a fixed rate, and throughput direct and hairpin.
func methodSteps(target string) []scenario.Step {
	step := func(p scenario.Kind, id, to string) scenario.Step {
		return scenario.Step{Probe: p, ID: id, From: "client1", To: to}
	}
	ready := step(scenario.TCP, "ready", target+":12566")
	ready.Expect = scenario.Expect{Result: "ok", Within: 30 * time.Second}
	flows := step(scenario.ConntrackRate, "flows", target+":12566")
	flows.Count, flows.Rate = 500, "1000"
	direct := step(scenario.CPS, "direct", "server:12566")
	hairpin := step(scenario.CPS, "hairpin", target+":12566")
	fixed := step(scenario.CPS, "fixed", target+":12566")
	fixed.Rate = "1000"
	tdirect := step(scenario.Iperf, "tdirect", "server:5201")
	thairpin := step(scenario.Iperf, "thairpin", target+":5201")
	tdirect.Seconds, thairpin.Seconds = 2, 2
	return []scenario.Step{ready, flows, direct, hairpin, fixed, tdirect, thairpin}
}

// BenchmarkMethods runs the six methods under the same load, one lab each, and writes the
// table to results/bench-methods.md (make bench-methods). Run it with -benchtime=1x.
func BenchmarkMethods(b *testing.B) {
	root := benchLab(b, false)
	ctx := context.Background()
	for b.Loop() {
		var t strings.Builder
		t.WriteString("| method | hairpin CPS | direct CPS | p50 / p99 at 1000/s | throughput hairpin/direct | conntrack entries per UDP flow |\n| --- | --- | --- | --- | --- | --- |\n")
		for _, m := range methods {
			s, err := scenario.Load(root, m.scenario)
			if err != nil {
				b.Fatal(err)
			}
			s.Steps = methodSteps(m.target)
			rep, err := runner.Run(ctx, runner.Options{Root: root, Scenario: s, Router: runner.Rosemu})
			if err != nil {
				b.Fatalf("%s: %v", m.scenario, err)
			}
			seen := map[string]scenario.StepResult{}
			for _, st := range rep.Steps {
				seen[st.ID] = st
			}
			if !seen["ready"].OK {
				b.Fatalf("%s: the forward never worked: %s", m.scenario, seen["ready"].Why)
			}
			ratio := "-"
			if d := seen["tdirect"].Seen.BitsPerSecond; d > 0 {
				ratio = fmt.Sprintf("%.2f", seen["thairpin"].Seen.BitsPerSecond/d)
			}
			entries := "UDP not forwarded"
			if f := seen["flows"].Seen; f.Received > 0 {
				entries = fmt.Sprintf("%.3f", f.EntriesPerFlow)
			}
			fx := seen["fixed"].Seen
			fmt.Fprintf(&t, "| %s (`%s`) | %.0f | %.0f | %.2f / %.2f ms | %s | %s |\n", m.n, m.scenario,
				seen["hairpin"].Seen.PerSecond, seen["direct"].Seen.PerSecond, fx.P50, fx.P99, ratio, entries)
		}
		t.WriteString("\nOne run per method on rosemu, each its own lab, as `make bench-methods` runs it: cps closed loop (8 workers, 1 s), p50/p99 from the open loop at 1000 connections/s (1 s), iperf3 2 s, 500 UDP flows at 1000/s. Method 1's path is the server's LAN address the DNS answer gives.\n")
		b.Log("\n" + t.String())
		if err := os.MkdirAll(filepath.Join(root, "results"), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "results", "bench-methods.md"), []byte(t.String()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}
