// Package router is the one home of chrlab's router backends, in the manner
// of containerlab's node kinds: each kind (rosemu, vm, chr) lives in a file
// of its own, the registry lists them explicitly, and the runner talks to a
// kind only through the small interfaces below, so that it never branches
// on which one runs.
package router

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/ros"
)

// Options is what every kind may use to prepare itself.
type Options struct {
	// RouterOS is the version or channel asked for (ROUTEROS); CHRImage a
	// local CHR disk image (CHR_IMAGE); CacheDir where CHR images and their
	// derived copies are kept (empty: ~/.cache/chrlab).
	RouterOS string
	CHRImage string
	CacheDir string
	// MemoryMiB overrides the guest memory of QEMU routers (CHR_MEMORY);
	// zero follows MikroTik's guidance (see Memory).
	MemoryMiB int
	Progress  io.Writer
}

// Kind is one kind of router. Prepare runs before any container image is
// built, so a kind that cannot run here (no CHR image) fails at once.
type Kind interface {
	Name() string
	// Describe is one line for the list of kinds.
	Describe() string
	Prepare(ctx context.Context, o Options) (Router, error)
}

// Router is a prepared router of some kind.
type Router interface {
	// Version is the RouterOS version scenarios are judged against; empty
	// when only the booted router knows it.
	Version() string
	// Emulated says the router is rosemu, whose version is the one it
	// follows rather than one it reports.
	Emulated() bool
	// Note describes the router for the report's first lines.
	Note() string
	// NeedsQEMU says the lab needs the chr container image.
	NeedsQEMU() bool
	// OnHostKernel says the router's data plane is this machine's kernel
	// (rosemu in a container): it lacks what that kernel lacks
	// (kernel.Probe), which the runner checks against what the run's
	// configuration needs before the lab starts. A QEMU guest boots a
	// kernel of its own, which has every feature rosemu asks for.
	OnHostKernel() bool
	// Run returns the container image and the way the lab runs the router,
	// once the images exist; it may prepare disk images (provisioning).
	Run(ctx context.Context, imgs images.Images, spec *lab.Spec) (image string, run lab.RouterRun, err error)
	// Ready checks the router over its API once the lab is up, before the
	// lab's configuration is applied, and says how it was provisioned.
	Ready(ctx context.Context, rc *ros.Client, spec *lab.Spec) (Readiness, error)
}

// Readiness is what Ready found.
type Readiness struct {
	// Provisioned says how the router got its management address: "static"
	// (rosemu), "autorun" (rw/autorun.scr) or "console" (the dialogue).
	Provisioned string
	Board       string
	Version     string
	// Took is the time Ready needed after the lab was up.
	Took time.Duration
}

// kinds is the registry: every router kind, explicitly.
var kinds = []Kind{rosemuKind{}, vmKind{}, chrKind{}}

// Kinds returns the registered kinds sorted by name.
func Kinds() []Kind {
	out := append([]Kind(nil), kinds...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// Lookup returns the kind called name; an unknown name is answered with the
// list of kinds.
func Lookup(name string) (Kind, error) {
	for _, k := range kinds {
		if k.Name() == name {
			return k, nil
		}
	}
	var known []string
	for _, k := range Kinds() {
		known = append(known, fmt.Sprintf("%s (%s)", k.Name(), k.Describe()))
	}
	return nil, fmt.Errorf("look up router kind %q: unknown; known kinds: auto, %s", name, strings.Join(known, ", "))
}

// Choose resolves "auto" (or "") to a kind, saying why: CHR when a CHR image
// is at hand without a download, rosemu otherwise. Any other name is looked
// up as it is.
func Choose(name string, o Options) (Kind, string, error) {
	if name != "" && name != "auto" {
		k, err := Lookup(name)
		return k, "requested", err
	}
	cache := cacheDir(o)
	switch {
	case o.CHRImage != "":
		return chrKind{}, "auto: CHR_IMAGE " + o.CHRImage, nil
	case o.RouterOS == "":
		return rosemuKind{}, "auto: no ROUTEROS version asked for, using the RouterOS emulator", nil
	case chrAvailable(o.RouterOS, cache):
		return chrKind{}, "auto: CHR " + o.RouterOS + " image in " + cache, nil
	default:
		return rosemuKind{}, "auto: no CHR " + o.RouterOS + " image in " + cache + ", using the RouterOS emulator", nil
	}
}
