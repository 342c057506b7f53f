package router

import (
	"context"
	"time"

	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/ros"
	"github.com/chrlab/chrlab/rosemu/version"
)

// rosemuKind is the RouterOS emulator as the main process of a container.
type rosemuKind struct{}

func (rosemuKind) Name() string { return "rosemu" }
func (rosemuKind) Describe() string {
	return "the RouterOS emulator in a container"
}

func (rosemuKind) Prepare(ctx context.Context, o Options) (Router, error) {
	return rosemuRouter{}, nil
}

type rosemuRouter struct{}

func (rosemuRouter) Version() string { return version.Default }
func (rosemuRouter) Emulated() bool  { return true }
func (rosemuRouter) Note() string    { return "" }
func (rosemuRouter) NeedsQEMU() bool { return false }

func (rosemuRouter) OnHostKernel() bool { return true }

// Run leaves lab.RouterRun at its zero value, which runs rosemu.
func (rosemuRouter) Run(ctx context.Context, imgs images.Images, spec *lab.Spec) (string, lab.RouterRun, error) {
	return imgs.Rosemu, lab.RouterRun{}, nil
}

// Ready: rosemu takes its management address from its command line, and
// the lab already waited for its API.
func (rosemuRouter) Ready(ctx context.Context, rc *ros.Client, spec *lab.Spec) (Readiness, error) {
	return Readiness{Provisioned: "static (rosemu --mgmt)", Version: version.Default, Took: time.Duration(0)}, nil
}
