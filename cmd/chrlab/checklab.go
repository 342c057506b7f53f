package main

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"

	"github.com/chrlab/chrlab/harness/check"
)

// runCheck proves the diagnosis in a lab shaped like the user's network
// and prints the before and after table. It never touches the user's
// router.
func runCheck(ctx context.Context, root string, plan *check.Plan, router string) int {
	res, err := check.Run(ctx, root, plan, router, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chrlab check:", err)
		return 3
	}
	fmt.Println()
	plan.Table(os.Stdout, res.Case, res.Outcomes, netip.MustParseAddr("198.51.100.50"))
	fmt.Println()
	check.PrintFindings(os.Stdout, plan, res.Found, res.Fix)
	for _, l := range check.ByName(res.Outcomes, plan, "before") {
		fmt.Println("by name:", l)
	}
	for _, w := range check.ServiceWarnings(res.Outcomes, "before") {
		fmt.Println("warning:", w)
	}
	_, verdict, code := check.Verdict(res.Found, res.Fix, res.Outcomes)
	fmt.Printf("VERDICT: %s", verdict)
	if code != 0 {
		fmt.Printf(" (results in %s)", res.Dir)
	}
	fmt.Println()
	if res.Doc != nil {
		fmt.Printf("report per forward: %s (and check.html, check.json)\n", filepath.Join(res.Dir, "check.md"))
	}
	return code
}
