package router

import (
	"context"

	"github.com/chrlab/chrlab/rosemu/version"
)

// vmKind is rosemu booted as a Linux guest in the chr container's QEMU,
// standing in for CHR where no image exists: it boots a disk laid out like
// a CHR image and goes through the chr path (image provisioning with
// rw/autorun.scr, QEMU, wiring, console, readiness).
type vmKind struct{}

func (vmKind) Name() string { return "vm" }
func (vmKind) Describe() string {
	return "rosemu as a QEMU guest through the CHR path (stand-in disk, rw/autorun.scr)"
}

func (vmKind) Prepare(ctx context.Context, o Options) (Router, error) {
	return &qemuRouter{guest: "vm", version: version.Default, emulated: true, note: "stand-in CHR disk",
		cache: cacheDir(o), memory: o.MemoryMiB}, nil
}
