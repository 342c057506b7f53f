package main

import (
	"context"
	"fmt"
	"os"

	"github.com/chrlab/chrlab/harness/check"
)

// runCheck proves the diagnosis in a lab shaped like the user's network.
func runCheck(ctx context.Context, root string, plan *check.Plan, found []check.Finding, fx check.Fix) int {
	check.PrintFindings(os.Stdout, plan, found, fx)
	fmt.Fprintln(os.Stderr, "chrlab check: the lab run is not wired yet; this is the diagnosis from the export's rules (use --offline to say so)")
	return 3
}
