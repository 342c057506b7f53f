package router

import (
	"context"
	"errors"
	"fmt"

	"github.com/chrlab/chrlab/harness/chr"
	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/ros"
)

// chrKind is real RouterOS CHR in the chr container's QEMU.
type chrKind struct{}

func (chrKind) Name() string { return "chr" }
func (chrKind) Describe() string {
	return "RouterOS CHR in QEMU; needs ROUTEROS=<version> or CHR_IMAGE=<file>"
}

// Prepare resolves the CHR image (cache, CHR_IMAGE or download) before any
// container image is built: without one the run ends here.
func (chrKind) Prepare(ctx context.Context, o Options) (Router, error) {
	if o.RouterOS == "" && o.CHRImage == "" {
		return nil, errors.New("prepare router chr: it needs ROUTEROS=<version> or CHR_IMAGE=<file>")
	}
	img, err := chr.Resolve(ctx, chr.Options{Version: o.RouterOS, Image: o.CHRImage, CacheDir: o.CacheDir, Progress: o.Progress})
	if err != nil {
		return nil, fmt.Errorf("prepare router chr: %w", err)
	}
	return chrRouter{opts: o, img: img}, nil
}

type chrRouter struct {
	opts Options
	img  chr.Image
}

func (r chrRouter) Version() string { return r.img.Version }
func (chrRouter) Emulated() bool    { return false }
func (r chrRouter) Note() string {
	kvm, _ := lab.KVMUsable()
	return r.img.String() + "; " + accel(kvm)
}
func (chrRouter) NeedsQEMU() bool { return true }

func (r chrRouter) Run(ctx context.Context, imgs images.Images, spec *lab.Spec) (string, lab.RouterRun, error) {
	return "", lab.RouterRun{}, fmt.Errorf("boot CHR %s: the chr backend's QEMU plumbing is proven through ROUTER=vm, but booting a CHR image (%s) is not wired yet", r.img.Version, r.img.Path)
}

func (chrRouter) Ready(ctx context.Context, rc *ros.Client, spec *lab.Spec) (Readiness, error) {
	return Readiness{}, errors.New("check CHR readiness: not wired yet")
}
