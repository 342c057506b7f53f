package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/chrlab/chrlab/harness/report"
	"github.com/chrlab/chrlab/harness/ros"
	"github.com/chrlab/chrlab/harness/runner"
	"github.com/chrlab/chrlab/harness/scenario"
)

// Result is one check run: what the export's rules say, and what the lab
// showed before and after the fix.
type Result struct {
	Found []Finding
	// HairpinGaps are the findings of forwards written for the internet
	// alone (SplitHairpinGaps): warnings, not in Found.
	HairpinGaps []Finding
	Fix         Fix
	Case        *Case
	Report      *report.Report
	Outcomes    []Outcome
	Dir         string // the run's folder: case.yaml, lab-ready.rsc, reports
	// Doc is the run per forward, written as check.md, check.html and
	// check.json into Dir.
	Doc *Document
}

// LabVersion is the RouterOS version the lab router runs: the export's own
// (its header, "by RouterOS 6.49.10"), so that the lab takes the export's
// spellings as its router did; an older RouterOS 6 runs as 6.49.18, or
// as 6.40.9 when older than 6.41, the nearest version rosemu emulates
// (Import notes it). "" (rosemu's
// default) when the header names none or a version rosemu cannot run.
func (p *Plan) LabVersion() string { return p.labVersion }

// labVersionOf chooses LabVersion for an export's header version, and says
// whether it is a stand-in for an older RouterOS 6.
func labVersionOf(header string) (v string, older6 bool) {
	return runner.NearestEmulated(header)
}

// Run proves the diagnosis in a lab shaped like the user's network: it
// sets aside what the lab router refuses, writes the case (lab, lab-ready
// configuration, probes before and after the fix) into a folder of
// results, and runs it on the router kind named.
func Run(ctx context.Context, root string, p *Plan, router string, progress io.Writer) (*Result, error) {
	p.Refusals(ctx)
	res := &Result{}
	if why := p.WANRefused(); why != "" && len(p.WANs) == 1 {
		return res, fmt.Errorf("build the lab: %s", why)
	}
	p.DropRefusedWANs()
	res.Found, _ = p.Diagnose()
	res.Found, res.HairpinGaps = p.SplitHairpinGaps(res.Found)
	res.Fix = p.Propose(res.Found)
	noted := len(p.Notes)
	c, err := p.labCase(res.Found, res.HairpinGaps, &res.Fix)
	if err != nil {
		return res, fmt.Errorf("build the lab: %w", err)
	}
	// What the lab's shape adds (a client that leases by DHCP behind
	// arp=reply-only, a probe left out): the plan's notes were printed
	// before the lab was drawn.
	for _, n := range p.Notes[noted:] {
		fmt.Fprintln(progress, "note:", n)
	}
	res.Case = c
	res.Dir = filepath.Join(scenario.Results(root), "check-"+time.Now().UTC().Format("20060102-150405.000"))
	if err := os.MkdirAll(res.Dir, 0o755); err != nil {
		return res, err
	}
	file := filepath.Join(res.Dir, "case.yaml")
	if err := os.WriteFile(file, []byte(c.YAML), 0o644); err != nil {
		return res, err
	}
	if err := os.WriteFile(filepath.Join(res.Dir, "lab-ready.rsc"), []byte(p.RSC), 0o644); err != nil {
		return res, err
	}
	fmt.Fprintf(progress, "check: the lab and its probes are in %s (run it again with chrlab lab --file)\n", file)
	s, err := scenario.Read(file)
	if err != nil {
		return res, fmt.Errorf("the generated case does not load: %w", err)
	}
	rep, err := runner.Run(ctx, runner.Options{Root: root, Scenario: s, Router: runner.Backend(router), RouterOS: p.LabVersion(), Progress: progress, Results: res.Dir,
		StepMark: p.StepMark(c)})
	res.Report = rep
	if rep != nil {
		// The run's notes (a list a drop rule matches that holds the lab's
		// public addresses) go to the run's summary, which the check
		// does not print: said here, once.
		for _, n := range rep.Notes {
			fmt.Fprintln(progress, "note:", n)
		}
	}
	if errors.Is(err, ros.ErrManagementLost) {
		return res, fmt.Errorf("the lab run failed: %w; %s", err, p.managementLost())
	}
	if err != nil && ctx.Err() != nil {
		// A signal (Ctrl-C, a timeout's TERM) ended the run: say so,
		// not the probe's "context canceled" (realcheck17 D10).
		return res, fmt.Errorf("the lab run was interrupted before its verdict (a signal or the caller's deadline); its lab is removed, and its case is in %s", res.Dir)
	}
	if err != nil {
		return res, fmt.Errorf("the lab run failed: %w", err)
	}
	res.Outcomes = c.Outcomes(rep.Steps)
	MarkHidden(res.Outcomes, p.PeerAddr())
	if rep.Skipped {
		return res, nil
	}
	res.Doc = p.Document(res, rep.Router)
	if err := res.Doc.Write(res.Dir); err != nil {
		return res, err
	}
	fmt.Fprintf(progress, "check: the report per forward is %s (and check.html, check.json)\n", filepath.Join(res.Dir, "check.md"))
	return res, nil
}

// managementLost says what most likely cut the lab router's management
// path: its management NIC is a port after the export's own, as on a CHR,
// and a script that takes every port it finds (a :foreach over
// /interface find adding ports to a bridge) takes that one too, which the
// rules alone, seeing only the export's ports, cannot tell.
func (p *Plan) managementLost() string {
	return fmt.Sprintf("the lab router's management NIC is a port after the export's %d (ether%d when rosemu runs in a VM, as on a CHR); a line that takes every port it finds (a :foreach over /interface find that adds ports to a bridge, say) takes it too, and the lab cannot go on. Name the ports such a loop adds (ether3, ether4, ...) in the export, or leave the loop out, to run it in a lab", len(p.Ports), len(p.Ports)+1)
}

// StepMark words the progress line of c's probes as the check's report
// does: a probe observes a path, and a broken path is what the report
// judges, a finding when the diagnosis foresaw it; the run's "FAIL" (a
// renumbering probe waits for the path to come back, and one the
// diagnosis did not see broken waits in vain) read as a failed run
// (realcheck19 D10). An empty mark keeps the runner's words: a path that
// works, the router's services (their report says what open means).
func (p *Plan) StepMark(c *Case) func(scenario.StepResult) string {
	_, exps := p.Diagnose()
	return p.stepMark(c, exps)
}

// stepMark is StepMark with the diagnosis's predictions given.
func (p *Plan) stepMark(c *Case, exps []Expect) func(scenario.StepResult) string {
	broken := map[string]bool{}
	for _, e := range exps {
		if !e.Works && !e.Might {
			broken[fmt.Sprint(e.Forward, e.Path)] = true
		}
	}
	return func(r scenario.StepResult) string {
		i := r.Index - 1
		if r.Probe == "" || i < 0 || i >= len(c.Steps) || c.Steps[i] < 0 {
			return ""
		}
		pr := c.Probes[c.Steps[i]]
		if pr.Forward < 0 {
			if !r.OK {
				return "judged in the check's report"
			}
			return ""
		}
		if r.Seen.Result == "ok" {
			if by := r.Seen.ServerName; c.isServer(by) && !c.ownServer(pr.Forward, by) {
				// Another forward's server answered: an earlier dst-nat
				// took the connection (Outcomes), not a working path.
				return "✗ answered by " + by + ", another forward's server (the check's report says why)"
			}
			return ""
		}
		switch {
		case pr.ByDesign:
			return "✗ broken by design: the forward admits only some sources"
		case pr.Gap:
			return "✗ hairpin gap: the forward is bound to the WAN (a warning, not counted)"
		case pr.NoPublic:
			return "✗ broken, as expected: the WAN address is not public"
		case pr.Phase == "fixed":
			return "✗ broken with the fix (judged in the check's report)"
		case broken[fmt.Sprint(pr.Forward, pr.Path)]:
			return "✗ broken, as expected (a finding of the check)"
		}
		return "✗ broken (a finding; the check's report says why)"
	}
}
