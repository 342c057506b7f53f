package router

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/chrlab/chrlab/harness/chr"
)

// chrKind is real RouterOS CHR in the chr container's QEMU.
type chrKind struct{}

func (chrKind) Name() string { return "chr" }
func (chrKind) Describe() string {
	return "RouterOS CHR in QEMU; needs ROUTEROS=<version or channel> or CHR_IMAGE=<file>"
}

// Prepare resolves the CHR image (cache, CHR_IMAGE or download) and finds
// its RouterOS partition before any container image is built: without a
// usable image the run ends here.
func (chrKind) Prepare(ctx context.Context, o Options) (Router, error) {
	if o.RouterOS == "" && o.CHRImage == "" {
		return nil, errors.New("prepare router chr: it needs ROUTEROS=<version> or CHR_IMAGE=<file>")
	}
	version := o.RouterOS
	if chr.IsChannel(version) {
		// A channel (stable, long-term, ...) is resolved through MikroTik's
		// upgrade feed and cached; offline this fails at once with the URL.
		v, err := chr.ResolveChannel(ctx, version, cacheDir(o), "", nil)
		if err != nil {
			return nil, fmt.Errorf("prepare router chr: %w", err)
		}
		fmt.Fprintf(progressOf(o), "router: channel %s is RouterOS %s\n", version, v)
		version = v
	}
	img, err := chr.Resolve(ctx, chr.Options{Version: version, Image: o.CHRImage, CacheDir: o.CacheDir, Progress: o.Progress})
	if err != nil {
		return nil, fmt.Errorf("prepare router chr: %w", err)
	}
	if _, err := chr.FindRouterOS(img.Path); err != nil {
		return nil, fmt.Errorf("prepare router chr: %w", err)
	}
	return &qemuRouter{guest: "chr", version: img.Version, note: img.String(), src: img.Path,
		cache: cacheDir(o), memory: o.MemoryMiB}, nil
}

func progressOf(o Options) io.Writer {
	if o.Progress == nil {
		return io.Discard
	}
	return o.Progress
}
