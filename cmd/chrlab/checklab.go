package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/chrlab/chrlab/harness/check"
)

// runCheck proves the diagnosis in a lab shaped like the user's network
// and prints the before and after table. It never touches the user's
// router.
func runCheck(ctx context.Context, root string, plan *check.Plan, router string) int {
	res, err := check.Run(ctx, root, plan, router, os.Stderr)
	if errors.Is(err, check.ErrNotARouter) {
		// A switch or an access point with a management default route:
		// the lab would probe nothing, and nothing a router between a
		// LAN and the internet has is left to prove. The rules' reading
		// is the answer, with --offline's code (it exited 3 here, 0
		// offline).
		warns := plan.OfflineWarnings(res.HairpinGaps)
		for _, s := range warns {
			fmt.Println("warning:", check.Readable(s))
		}
		check.PrintFindingsWarned(os.Stdout, plan, res.Found, res.Fix, len(warns))
		fmt.Printf("VERDICT: nothing for a lab to prove: %v; the diagnosis above is from the export's rules alone\n", err)
		return exitWarned(exitFor(res.Found), len(warns))
	}
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
	return printLab(os.Stdout, plan, res)
}

// printLab prints a lab run's table, warnings, diagnosis and verdict, and
// returns the exit code. The warnings come before the diagnosis, as
// offline, and the diagnosis line counts them (check.Warned): it read "no
// problem found" above the lab's warnings while the VERDICT line under
// them counted them (chk54).
func printLab(w io.Writer, plan *check.Plan, res *check.Result) int {
	fmt.Fprintln(w)
	plan.Table(w, res.Case, res.Outcomes, plan.PeerAddr())
	fmt.Fprintln(w)
	warns := plan.LabWarnings(res)
	for _, s := range warns {
		fmt.Fprintln(w, "warning:", check.Readable(s))
	}
	// What the rules read as a gap and the lab's packets did not show.
	for _, s := range plan.LabCleared(res) {
		fmt.Fprintln(w, "note:", check.Readable(s))
	}
	check.PrintLabFindingsWarned(w, plan, res.Found, res.Fix, res.Outcomes, len(warns))
	for _, l := range check.ByName(res.Outcomes, plan, "before") {
		fmt.Fprintln(w, "by name:", l)
	}
	if res.Report != nil {
		// What the lab router took but does not do (an L2TP server, NTP)
		// decides what the table can show: it belongs beside the verdict,
		// not only in check.md.
		for _, n := range res.Report.NotEnforced {
			fmt.Fprintln(w, "accepted, not enforced by the lab router:", n)
		}
	}
	_, verdict, code := plan.ResultVerdict(res)
	fmt.Fprintf(w, "VERDICT: %s", check.Warned(verdict, len(warns)))
	if code != 0 {
		fmt.Fprintf(w, " (results in %s)", res.Dir)
	}
	fmt.Fprintln(w)
	if res.Doc != nil {
		fmt.Fprintf(w, "report per forward: %s (and check.html, check.json)\n", filepath.Join(res.Dir, "check.md"))
	}
	return exitWarned(code, len(warns))
}
