package main

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"github.com/chrlab/chrlab/harness/check"
	"github.com/chrlab/chrlab/harness/runner"
	"github.com/chrlab/chrlab/harness/scenario"
)

// runCheck proves the diagnosis in a lab shaped like the user's network:
// it probes every forward as the user's configuration has it, after a
// renumbering when a WAN is dynamic, and again with the proposed fix, and
// prints the before and after table. It never touches the user's router.
func runCheck(ctx context.Context, root string, plan *check.Plan, router string) int {
	plan.Refusals(ctx)
	found, _ := plan.Diagnose()
	fx := plan.Propose(found)
	c, err := plan.Case(fx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chrlab check: build the lab:", err)
		return 3
	}
	dir := filepath.Join(root, "results", "check-"+time.Now().UTC().Format("20060102-150405"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "chrlab check:", err)
		return 3
	}
	file := filepath.Join(dir, "case.yaml")
	if err := os.WriteFile(file, []byte(c.YAML), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "chrlab check:", err)
		return 3
	}
	if err := os.WriteFile(filepath.Join(dir, "lab-ready.rsc"), []byte(plan.RSC), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "chrlab check:", err)
		return 3
	}
	fmt.Fprintf(os.Stderr, "chrlab check: the lab and its probes are in %s (run it again with chrlab lab --file)\n", file)
	s, err := scenario.Read(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chrlab check: the generated case does not load:", err)
		return 3
	}
	rep, err := runner.Run(ctx, runner.Options{Root: root, Scenario: s, Router: runner.Backend(router), Progress: os.Stderr, Results: dir})
	if err != nil {
		fmt.Fprintln(os.Stderr, "chrlab check: the lab run failed:", err)
		return 3
	}
	outs := c.Outcomes(rep.Steps)
	fmt.Println()
	plan.Table(os.Stdout, c, outs, netip.MustParseAddr("198.51.100.50"))
	fmt.Println()
	check.PrintFindings(os.Stdout, plan, found, fx)
	for _, w := range check.ServiceWarnings(outs, "before") {
		fmt.Println("warning:", w)
	}
	before := check.Broken(outs, "before")
	after := check.Broken(outs, "fixed")
	switch {
	case len(before) == 0 && len(found) == 0:
		fmt.Println("VERDICT: no problem found: every forward works from the internet and from every LAN segment")
		return 0
	case len(fx.Lines) > 0 && len(after) == 0:
		fmt.Printf("VERDICT: %d path(s) broken as the export has it; the fix above makes every forward work in the lab (results in %s)\n", len(before), dir)
		return 1
	case len(fx.Lines) > 0:
		fmt.Printf("VERDICT: %d path(s) broken; with the fix %d still are (results in %s)\n", len(before), len(after), dir)
		return 1
	default:
		fmt.Printf("VERDICT: %d path(s) broken and no fix on this router (results in %s)\n", len(before), dir)
		return 1
	}
}
