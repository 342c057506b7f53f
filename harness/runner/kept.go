package runner

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/report"
	"github.com/chrlab/chrlab/harness/ros"
	"github.com/chrlab/chrlab/harness/scenario"
)

// Labels a run puts on its lab so that a later chrlab (ls, inspect, exec,
// probe) can find the case it came from, its results and its router.
const (
	LabelScenario = "chrlab.scenario"
	LabelCase     = "chrlab.case"    // the scenario file, absolute
	LabelRoot     = "chrlab.root"    // the repository root its lab names resolve in
	LabelResults  = "chrlab.results" // results/<run>/, absolute
	LabelRouter   = "chrlab.router"  // the router kind: rosemu, vm, chr
	LabelRouterOS = "chrlab.routeros"
)

// UpReason is the skip reason of a run that only brought its lab up.
const UpReason = "the lab was brought up and configured (chrlab up); no step ran"

func keptLabels(o Options, rep *report.Report, kind, version string) map[string]string {
	abs := func(p string) string {
		if a, err := filepath.Abs(p); err == nil {
			return a
		}
		return p
	}
	m := map[string]string{LabelScenario: o.Scenario.Name, LabelRouter: kind, LabelResults: abs(rep.Dir), LabelRoot: abs(o.Root)}
	if o.Scenario.File != "" {
		m[LabelCase] = abs(o.Scenario.File)
	}
	if version != "" {
		m[LabelRouterOS] = version
	}
	return m
}

// Kept is a running lab that an earlier chrlab left up, attached again.
type Kept struct {
	Info     lab.RunInfo
	Scenario *scenario.Scenario
	Spec     *lab.Spec
	Lab      *lab.Lab
}

// OpenKept attaches to a running lab: it reads again the case the lab was
// started from (its file is named in the lab's labels) and finds the lab's
// containers. Close it when done.
func OpenKept(ctx context.Context, info lab.RunInfo) (*Kept, error) {
	file := info.Labels[LabelCase]
	if file == "" {
		return nil, fmt.Errorf("open lab run %s: its containers name no case file (a lab started by an older chrlab, or by a test): only ls and down work on it", info.Run)
	}
	s, err := scenario.Read(file)
	if err != nil {
		return nil, fmt.Errorf("open lab run %s: read the case it was started from: %w", info.Run, err)
	}
	spec, err := s.LoadLab(info.Labels[LabelRoot])
	if err != nil {
		return nil, fmt.Errorf("open lab run %s: %w", info.Run, err)
	}
	l, err := lab.Attach(ctx, spec, info)
	if err != nil {
		return nil, err
	}
	return &Kept{Info: info, Scenario: s, Spec: spec, Lab: l}, nil
}

// Close lets go of the lab; it keeps running.
func (k *Kept) Close() error { return k.Lab.Close() }

// Router connects to the router's API and SSH on its management address,
// as a run does.
func (k *Kept) Router(ctx context.Context) (*ros.Client, error) {
	return ros.Dial(ctx, ros.Endpoint{Host: k.Lab.RouterMgmt().String()}, 10*time.Second)
}

// RouterOf connects to the API and SSH of the lab's router or of one of
// its more routers (routers:) by name.
func (k *Kept) RouterOf(ctx context.Context, name string) (*ros.Client, error) {
	a, ok := k.Lab.RouterMgmtOf(name)
	if !ok {
		return nil, fmt.Errorf("lab run %s has no router %q", k.Info.Run, name)
	}
	return ros.Dial(ctx, ros.Endpoint{Host: a.String()}, 10*time.Second)
}

// CheckSteps verifies that every node and router port the steps name is
// in the lab.
func (k *Kept) CheckSteps(file string, steps []scenario.Step) error {
	s := *k.Scenario
	s.File, s.Steps = file, steps
	return s.Check(topology{k.Spec})
}

// Probe runs steps of the scenario grammar on the kept lab, as a run runs
// its scenario's steps: names resolve in the lab and against the router's
// addresses now. file names the steps' source in errors.
func (k *Kept) Probe(ctx context.Context, file string, steps []scenario.Step, progress func(scenario.StepResult)) ([]scenario.StepResult, error) {
	if err := k.CheckSteps(file, steps); err != nil {
		return nil, err
	}
	s := *k.Scenario
	s.File, s.Steps = file, steps
	rc, err := k.Router(ctx)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	env := &labEnv{spec: k.Spec, rc: rc, ex: k.Lab}
	return scenario.Run(ctx, &s, env, prober{l: k.Lab, rc: rc, nodes: env}, progress)
}
