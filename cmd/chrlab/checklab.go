package main

import (
	"context"
	"fmt"
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
	if res.Report != nil && res.Report.Skipped {
		// The lab could not run (this kernel lacks what the export needs):
		// what the export's rules say is all there is, and it is not proof.
		fmt.Println()
		check.PrintFindings(os.Stdout, plan, res.Found, res.Fix)
		fmt.Printf("VERDICT: not proven in a lab: %s (the diagnosis above is from the export's rules alone; results in %s)\n", res.Report.SkipReason, res.Dir)
		return 3
	}
	fmt.Println()
	plan.Table(os.Stdout, res.Case, res.Outcomes, plan.PeerAddr())
	fmt.Println()
	check.PrintLabFindings(os.Stdout, plan, res.Found, res.Fix, res.Outcomes)
	for _, l := range check.ByName(res.Outcomes, plan, "before") {
		fmt.Println("by name:", l)
	}
	warns := plan.LabWarnings(res)
	for _, w := range warns {
		fmt.Println("warning:", w)
	}
	if res.Report != nil {
		// What the lab router took but does not do (an L2TP server, NTP)
		// decides what the table can show: it belongs beside the verdict,
		// not only in check.md.
		for _, n := range res.Report.NotEnforced {
			fmt.Println("accepted, not enforced by the lab router:", n)
		}
	}
	_, verdict, code := plan.ResultVerdict(res)
	fmt.Printf("VERDICT: %s", check.Warned(verdict, len(warns)))
	if code != 0 {
		fmt.Printf(" (results in %s)", res.Dir)
	}
	fmt.Println()
	if res.Doc != nil {
		fmt.Printf("report per forward: %s (and check.html, check.json)\n", filepath.Join(res.Dir, "check.md"))
	}
	return exitWarned(code, len(warns))
}
