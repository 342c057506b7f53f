package main

import (
	"context"
	"fmt"
	"net/netip"
	"os"

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
	before := check.Broken(res.Outcomes, "before")
	after := check.Broken(res.Outcomes, "fixed")
	switch {
	case len(before) == 0 && len(res.Found) == 0:
		fmt.Println("VERDICT: no problem found: every forward works from the internet and from every LAN segment")
		return 0
	case len(res.Fix.Lines) > 0 && len(after) == 0:
		fmt.Printf("VERDICT: %d path(s) broken as the export has it; the fix above makes every forward work in the lab (results in %s)\n", len(before), res.Dir)
		return 1
	case len(res.Fix.Lines) > 0:
		fmt.Printf("VERDICT: %d path(s) broken; with the fix %d still are (results in %s)\n", len(before), len(after), res.Dir)
		return 1
	default:
		fmt.Printf("VERDICT: %d path(s) broken and no fix on this router (results in %s)\n", len(before), res.Dir)
		return 1
	}
}
