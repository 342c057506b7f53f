package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/runner"
)

// cmdLs lists the labs running on this machine, whoever started them.
func cmdLs(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ls", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the labs as JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "chrlab ls: takes no arguments, got %q\n", fs.Args())
		return 2
	}
	runs, err := lab.Runs(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "chrlab ls:", err)
		return 3
	}
	if *asJSON {
		out := make([]lsRow, 0, len(runs))
		for _, r := range runs {
			out = append(out, lsRowOf(r))
		}
		return writeJSON(stdout, stderr, "ls", out)
	}
	printRuns(stdout, runs, time.Now())
	return 0
}

// lsRow is one lab as ls prints it.
type lsRow struct {
	Run       string    `json:"run"`
	Scenario  string    `json:"scenario"`
	Lab       string    `json:"lab"`
	Router    string    `json:"router"`
	RouterOS  string    `json:"routeros,omitempty"`
	Created   time.Time `json:"created"`
	Owner     string    `json:"owner"`
	OwnerGone bool      `json:"owner_gone"`
	Nodes     []string  `json:"nodes"`
}

func lsRowOf(r lab.RunInfo) lsRow {
	return lsRow{Run: r.Run, Scenario: orDash(cmp.Or(r.Labels[runner.LabelScenario], r.Lab)), Lab: r.Lab, Router: orDash(r.Labels[runner.LabelRouter]),
		RouterOS: r.Labels[runner.LabelRouterOS], Created: r.Created, Owner: r.Owner, OwnerGone: r.OwnerGone, Nodes: r.Nodes()}
}

func printRuns(w io.Writer, runs []lab.RunInfo, now time.Time) {
	if len(runs) == 0 {
		fmt.Fprintln(w, "no lab is running (chrlab up --method NAME starts one)")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tSCENARIO\tROUTER\tAGE\tOWNER\tNODES")
	for _, r := range runs {
		row := lsRowOf(r)
		router := row.Router
		if row.RouterOS != "" {
			router += " " + row.RouterOS
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", row.Run, row.Scenario, router, age(now, row.Created), row.Owner, strings.Join(row.Nodes, ","))
	}
	tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func writeJSON(stdout, stderr io.Writer, verb string, v any) int {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "chrlab %s: encode JSON: %v\n", verb, err)
		return 3
	}
	fmt.Fprintln(stdout, string(data))
	return 0
}
