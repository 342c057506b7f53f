package router

import (
	"context"
	"time"

	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/ros"
	"github.com/chrlab/chrlab/rosemu/version"
)

// vmKind is rosemu booted as a Linux guest in the chr container's QEMU:
// the CHR plumbing (QEMU, wiring, console, management path), proven where
// no CHR image exists.
type vmKind struct{}

func (vmKind) Name() string { return "vm" }
func (vmKind) Describe() string {
	return "rosemu as a QEMU guest through the CHR plumbing"
}

func (vmKind) Prepare(ctx context.Context, o Options) (Router, error) {
	return vmRouter{opts: o}, nil
}

type vmRouter struct {
	opts Options
	kvm  bool
}

func (vmRouter) Version() string { return version.Default }
func (vmRouter) Emulated() bool  { return true }
func (vmRouter) Note() string {
	kvm, _ := lab.KVMUsable()
	return accel(kvm)
}
func (vmRouter) NeedsQEMU() bool { return true }

func (r vmRouter) Run(ctx context.Context, imgs images.Images, spec *lab.Spec) (string, lab.RouterRun, error) {
	run, _ := lab.VMRouter()
	return imgs.Chr, run, nil
}

func (vmRouter) Ready(ctx context.Context, rc *ros.Client, spec *lab.Spec) (Readiness, error) {
	return Readiness{Provisioned: "static (vminit, kernel command line)", Version: version.Default, Took: time.Duration(0)}, nil
}
