package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/chrlab/chrlab/harness/lab"
)

// cmdDown removes labs. With run ids it removes those labs; a lab whose
// owner process is still running (a chrlab lab in progress) needs --force.
// Without a run id it removes only the labs whose owner has ended (left
// behind by a run that was killed) and lists the others; --all removes
// every lab on the machine, saying whose each was.
func cmdDown(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("down", flag.ContinueOnError)
	fs.SetOutput(stderr)
	all := fs.Bool("all", false, "remove every chrlab lab on this machine, kept and running ones too")
	force := fs.Bool("force", false, "remove a named lab even though the process that owns it is still running")
	flags, rest := splitRunArgs(args, "all", "force")
	if err := fs.Parse(flags); err != nil {
		return 2
	}
	if *all && len(rest) > 0 {
		fmt.Fprintf(stderr, "chrlab down: give run ids or --all, not both (got %q)\n", rest)
		return 2
	}
	// Removal goes on after Ctrl-C: a half-removed lab is worse than none.
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	runs, err := lab.Runs(dctx)
	if err != nil {
		fmt.Fprintln(stderr, "chrlab down:", err)
		return 3
	}
	plan, code := planDown(runs, rest, *all, *force, stderr)
	if code != 0 {
		return code
	}
	for _, r := range plan.remove {
		fmt.Fprintf(stdout, "removing run %s (%s, owner %s)\n", r.Run, r.Lab, r.Owner)
		if err := lab.DownRun(dctx, r.Run, io.Discard); err != nil {
			fmt.Fprintln(stderr, "chrlab down:", err)
			code = 3
		}
	}
	if *all && code == 0 {
		// Nothing of chrlab is left: the labels catch objects of no run,
		// and the host firewall rule labs share goes too.
		if err := lab.DownAll(dctx); err != nil {
			fmt.Fprintln(stderr, "chrlab down:", err)
			code = 3
		}
	}
	for _, r := range plan.left {
		if r.Labels[lab.LabelOwnerPID] == "" {
			fmt.Fprintf(stdout, "left run %s (%s, kept): chrlab down %s removes it\n", r.Run, r.Lab, r.Run)
		} else {
			fmt.Fprintf(stdout, "left run %s (%s, owner %s): its owner removes it when it ends\n", r.Run, r.Lab, r.Owner)
		}
	}
	if len(plan.remove) == 0 && len(plan.left) == 0 {
		fmt.Fprintln(stdout, "no lab to remove")
	}
	return code
}

// downPlan is what down removes and what it leaves.
type downPlan struct{ remove, left []lab.RunInfo }

// planDown decides, without touching anything, which labs go.
func planDown(runs []lab.RunInfo, ids []string, all, force bool, stderr io.Writer) (downPlan, int) {
	var p downPlan
	switch {
	case all:
		p.remove = runs
	case len(ids) == 0:
		for _, r := range runs {
			if r.OwnerGone {
				p.remove = append(p.remove, r)
			} else {
				p.left = append(p.left, r)
			}
		}
	default:
		seen := map[string]bool{}
		for _, id := range ids {
			r, err := lab.PickRun(runs, id)
			if err != nil {
				fmt.Fprintln(stderr, "chrlab down:", err)
				return downPlan{}, 2
			}
			if seen[r.Run] {
				continue
			}
			seen[r.Run] = true
			if !force && !r.OwnerGone && r.Labels[lab.LabelOwnerPID] != "" {
				fmt.Fprintf(stderr, "chrlab down: run %s (%s) belongs to process %s, which is still running; it removes the lab when it ends (give --force to remove it now)\n", r.Run, r.Lab, r.Labels[lab.LabelOwnerPID])
				return downPlan{}, 2
			}
			p.remove = append(p.remove, r)
		}
	}
	return p, 0
}
