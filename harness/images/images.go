// Package images builds and caches the container images a lab runs: a Debian
// base with the lab tools, the host image (labagent) and the router image
// (rosemu). Every tag is chrlab/<name>:<hash of its inputs>, so an image is
// built once per change of its inputs and a second Ensure builds nothing.
//
// The base image is pulled (debian:bookworm-slim plus an apt layer) when a
// registry answers and built with debootstrap and `docker import` when none
// does, as on the machines this project is developed on.
package images

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/testcontainers/testcontainers-go"

	"github.com/chrlab/chrlab/internal/hostlock"
	"github.com/chrlab/chrlab/internal/syncio"
)

// Label marks every image this package builds, so that a person (or a future
// `chrlab images prune`) can find them all.
const Label = "chrlab"

// Suite is the Debian release of the base image.
const Suite = "bookworm"

// Default Go packages of the two binaries baked into the derived images.
const (
	DefaultHostPackage   = "./cmd/labagent"
	DefaultRosemuPackage = "./cmd/rosemu"
)

// Images holds the tags of the images a lab needs.
type Images struct {
	Base   string // chrlab/base:<hash>
	Host   string // chrlab/host:<hash>: every lab host, entrypoint labagent
	Rosemu string // chrlab/rosemu:<hash>: the router emulator; empty when Options.SkipRosemu
	Chr    string // chrlab/chr:<hash>: QEMU with qemuboot and the vm guest; empty unless Options.VM
}

// Options tunes Ensure. The zero value builds all three images from the
// module that contains the working directory.
type Options struct {
	// Root is the module root holding images/ and cmd/; empty means the
	// nearest directory above the working directory with a go.mod.
	Root string
	// Progress receives one line per step (and dots during long ones);
	// nil discards them.
	Progress io.Writer
	// HostPackage and RosemuPackage are the Go packages built into the host
	// and rosemu images: a package path relative to Root, or an absolute
	// directory holding a main module of its own (tests use small mains);
	// empty means the defaults above.
	HostPackage   string
	RosemuPackage string
	// Executable is a chrlab executable copied into the images as every
	// program they run (labagent, rosemu, qemuboot, vminit), instead of
	// building those from the checkout; HostPackage and RosemuPackage are
	// then unused. Empty means os.Executable() when Root is not a checkout
	// (no go.mod: the embedded tree of an installed chrlab), and go build
	// otherwise.
	Executable string
	// SkipRosemu builds no router image, for labs whose router is not
	// rosemu (or before cmd/rosemu exists).
	SkipRosemu bool
	// VM also builds the chr image (QEMU, qemuboot, the vm guest's kernel
	// and initramfs) for the vm and chr router backends. Off by default:
	// its rootfs takes a second debootstrap of about 80 s.
	VM bool
	// Mirror is the Debian mirror debootstrap uses; empty means the first
	// deb URI of this machine's apt sources.
	Mirror string
	// PullTimeout bounds the attempt to pull debian:<suite>-slim before
	// falling back to debootstrap; zero means 20 s. A registry that answers
	// at all answers within that; one that is unreachable fails at once or
	// hangs, and either way debootstrap is the answer.
	PullTimeout time.Duration
}

// Ensure makes sure the base, host and rosemu images exist, building what is
// missing, and returns their tags. It holds a machine-wide lock while it
// works so that parallel test binaries do not debootstrap twice. The chr
// image (Options.VM) has a lock of its own, taken after the first is
// released: its build takes minutes (a second debootstrap), and a rosemu lab
// that needs none of it must not wait for it. No process holds both locks at
// once, so neither waits for the other in a circle.
func Ensure(ctx context.Context, opts Options) (Images, error) {
	var imgs Images
	b, err := newBuilder(ctx, opts)
	if err != nil {
		return imgs, err
	}
	defer b.close()
	// Built while the lock is awaited and the base is checked; a build
	// outlives Ensure only when Ensure fails, and its context ends then.
	bctx, cancel := context.WithCancel(ctx)
	defer cancel()
	b.prebuild(bctx, b.opts.HostPackage, "labagent")
	if !opts.SkipRosemu {
		b.prebuild(bctx, b.opts.RosemuPackage, "rosemu")
	}

	if err := b.ensureLab(ctx, &imgs); err != nil {
		return imgs, err
	}
	if opts.VM {
		unlock, err := lockChr(ctx, b.progress)
		if err != nil {
			return imgs, err
		}
		defer unlock()
		if chrLocked != nil {
			chrLocked(ctx)
		}
		if imgs.Chr, err = b.ensureChr(ctx); err != nil {
			return imgs, err
		}
	}
	return imgs, nil
}

// chrLocked, when set (by a test), runs while Ensure holds the chr lock and
// before it builds: it stands for a chr build of minutes.
var chrLocked func(context.Context)

// ensureLab makes the base, host and rosemu images under the images lock.
func (b *builder) ensureLab(ctx context.Context, imgs *Images) error {
	unlock, err := lockMachine(ctx, b.progress)
	if err != nil {
		return err
	}
	defer unlock()
	if imgs.Base, err = b.ensureBase(ctx); err != nil {
		return err
	}
	if imgs.Host, err = b.ensureDerived(ctx, "host", "labagent", b.opts.HostPackage, imgs.Base); err != nil {
		return err
	}
	if !b.opts.SkipRosemu {
		if imgs.Rosemu, err = b.ensureDerived(ctx, "rosemu", "rosemu", b.opts.RosemuPackage, imgs.Base); err != nil {
			return err
		}
	}
	return nil
}

// builder carries what every step of Ensure needs.
type builder struct {
	opts     Options
	docker   *testcontainers.DockerClient
	progress io.Writer
	start    time.Time
	self     []byte // Options.Executable's bytes, read once
	prebuilt map[string]chan built

	stampMu sync.Mutex
	stamps  map[string]*stampOnce // per build directory: one walk serves the side-by-side builds
}

func newBuilder(ctx context.Context, opts Options) (*builder, error) {
	if opts.Root == "" {
		root, err := FindRoot()
		if err != nil {
			return nil, err
		}
		opts.Root = root
	}
	if opts.Executable == "" && !inCheckout(opts.Root) {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("find the chrlab executable to put into the images (%s is not a checkout): %w", opts.Root, err)
		}
		opts.Executable = exe
	}
	if opts.HostPackage == "" {
		opts.HostPackage = DefaultHostPackage
	}
	if opts.RosemuPackage == "" {
		opts.RosemuPackage = DefaultRosemuPackage
	}
	if opts.PullTimeout == 0 {
		opts.PullTimeout = 20 * time.Second
	}
	progress := opts.Progress
	if progress == nil {
		progress = io.Discard
	}
	DisableReaper()
	if err := CheckDockerHost(ctx); err != nil {
		return nil, err
	}
	docker, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to the Docker engine: %w", err)
	}
	return &builder{opts: opts, docker: docker, progress: syncio.NewWriter(progress), start: time.Now(), prebuilt: map[string]chan built{}}, nil
}

func (b *builder) close() { _ = b.docker.Close() }

// logf prints one progress line prefixed with the seconds since Ensure began.
func (b *builder) logf(format string, args ...any) {
	fmt.Fprintf(b.progress, "images: [%5.1fs] %s\n", time.Since(b.start).Seconds(), fmt.Sprintf(format, args...))
}

// exists reports whether the engine has an image with this tag.
func (b *builder) exists(ctx context.Context, tag string) (bool, error) {
	_, err := b.docker.ImageInspect(ctx, tag)
	if err == nil {
		return true, nil
	}
	if cerrdefs.IsNotFound(err) {
		return false, nil
	}
	return false, fmt.Errorf("inspect image %s in the Docker engine: %w", tag, err)
}

// tagFor names an image by the hash of its inputs, each part length-prefixed
// so that no two different input lists hash alike.
func tagFor(name string, parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:", len(p))
		h.Write(p)
	}
	return "chrlab/" + name + ":" + hex.EncodeToString(h.Sum(nil))[:16]
}

// FindRoot returns the nearest directory at or above the working directory
// that holds a go.mod: the module root, where images/ and cmd/ live.
func FindRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find the module root: %w", err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("find the module root: no go.mod at or above %s", dir)
		}
	}
}

// DisableReaper turns off testcontainers' reaper (Ryuk) for this process.
// Its image cannot be pulled where no registry answers; chrlab removes what
// it creates by label instead. testcontainers reads its configuration once,
// so this must run before the first testcontainers call; every entry point
// of harness/images and harness/lab calls it.
func DisableReaper() {
	_ = os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
}

// lockMachine takes an exclusive lock shared by every chrlab process on this
// machine, so that two test binaries wanting the same missing image build it
// once: the second waits and then finds the image present. Its place is the
// machine's (hostlock), not TMPDIR's: two processes with different TMPDIRs
// built the same image at once.
func lockMachine(ctx context.Context, progress io.Writer) (func(), error) {
	path := hostlock.Path("chrlab-images.lock")
	return lockFile(ctx, path, func() {
		fmt.Fprintf(progress, "images: waiting for another chrlab process building images (lock %s)\n", path)
	})
}

// lockChr is lockMachine's counterpart for the chr image (and its chr-base),
// which no rosemu lab needs: two vm builds still take turns, but a rosemu
// lab's images are ready beside one.
func lockChr(ctx context.Context, progress io.Writer) (func(), error) {
	path := hostlock.Path("chrlab-images-chr.lock")
	return lockFile(ctx, path, func() {
		fmt.Fprintf(progress, "images: waiting for another chrlab process building the chr image (lock %s)\n", path)
	})
}

// lockFile takes an exclusive flock on path, calling waiting once when
// another process holds it, and returns its release.
func lockFile(ctx context.Context, path string, waiting func()) (func(), error) {
	f, err := hostlock.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open the lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
		return func() { f.Close() }, nil
	}
	waiting()
	// Polling rather than a blocking flock keeps the wait cancellable: a
	// goroutine blocked in flock(2) could not be interrupted.
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
				return func() { f.Close() }, nil
			}
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("wait for the lock %s: %w", path, ctx.Err())
		}
	}
}
