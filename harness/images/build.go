package images

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/moby/moby/api/types/build"
	"github.com/moby/moby/api/types/jsonstream"
	"github.com/moby/moby/client"
)

// ensureDerived takes the program bin (the Go package pkg built static, or
// the chrlab executable standing in for it: see binary) and
// returns the tag of images/<name>/Dockerfile built on base with it, building
// the image when missing. The tag hashes the base tag, the binary and the
// Dockerfile, so a changed agent rebuilds only its own image.
func (b *builder) ensureDerived(ctx context.Context, name, bin, pkg, base string) (string, error) {
	dockerfile, err := os.ReadFile(filepath.Join(b.opts.Root, "images", name, "Dockerfile"))
	if err != nil {
		return "", fmt.Errorf("read the %s Dockerfile: %w", name, err)
	}
	binary, err := b.binary(ctx, pkg, bin)
	if err != nil {
		return "", err
	}
	tag := tagFor(name, []byte(base), binary, dockerfile)
	ok, err := b.exists(ctx, tag)
	if err != nil {
		return "", err
	}
	if ok {
		b.logf("%s %s present", name, tag)
		return tag, nil
	}
	start := time.Now()
	b.logf("building %s %s from %s", name, tag, base)
	files := []contextFile{
		{name: "Dockerfile", data: dockerfile, mode: 0o644},
		{name: bin, data: binary, mode: 0o755},
	}
	if err := b.build(ctx, tag, files, map[string]*string{"BASE": ptr(base)}); err != nil {
		return "", err
	}
	b.logf("%s %s built in %.1fs", name, tag, time.Since(start).Seconds())
	return tag, nil
}

// goBuild compiles pkg (relative to the module root) into a static binary
// and returns its bytes. -trimpath and -buildvcs=false keep the bytes equal
// across checkouts and dirty trees, so the image tag changes only when the
// code does.
func (b *builder) goBuild(ctx context.Context, pkg, bin string) ([]byte, error) {
	start := time.Now()
	// An absolute pkg is a directory with a go.mod of its own (tests use
	// small mains outside this module); go build must run inside it.
	target, workDir := pkg, b.opts.Root
	if filepath.IsAbs(pkg) {
		target, workDir = ".", pkg
	}
	// The binary goes to a fixed place per checkout and package: go build
	// leaves an output whose build ID matches its inputs alone, so with
	// nothing changed it skips the link (0.1 s instead of 0.5 to 1 s on
	// every lab run). The lock keeps two chrlab processes from writing it
	// while the other reads it.
	dir, release, err := b.buildDir(ctx, workDir, target)
	if err != nil {
		return nil, err
	}
	defer release()
	out := filepath.Join(dir, bin)
	// With no file of the checkout changed since the last build (and the
	// same go and build environment), the binary there is what go build
	// would give: go build needs 0.2 to 0.3 s of two cores to find that
	// out, a walk of the tree's file names and times a few milliseconds.
	// The stamp is taken before the build, so an edit made while it runs
	// builds again next time.
	stamp, stampErr := b.stampOf(workDir)
	if stampErr == nil {
		if old, err := os.ReadFile(out + ".stamp"); err == nil && bytes.Equal(old, stamp) {
			if data, err := os.ReadFile(out); err == nil {
				b.logf("go build %s: %d KiB, no source changed since it was built", pkg, len(data)/1024)
				return data, nil
			}
		}
	}
	_ = os.Remove(out + ".stamp")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", out, target)
	cmd.Dir = workDir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go build %s in %s: %w\n%s", target, workDir, err, strings.TrimSpace(stderr.String()))
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("read the built %s: %w", bin, err)
	}
	if stampErr == nil {
		_ = os.WriteFile(out+".stamp", stamp, 0o644)
	}
	b.logf("go build %s: %d KiB in %.1fs", pkg, len(data)/1024, time.Since(start).Seconds())
	return data, nil
}

// buildDir returns the locked directory goBuild writes target's binary in:
// one under the user's cache per checkout and package, or a temporary one
// removed on release when there is no cache directory.
func (b *builder) buildDir(ctx context.Context, workDir, target string) (string, func(), error) {
	if cache, err := os.UserCacheDir(); err == nil {
		sum := sha256.Sum256([]byte(workDir + "\x00" + target))
		dir := filepath.Join(cache, "chrlab", "go-build", hex.EncodeToString(sum[:8]))
		if err := os.MkdirAll(dir, 0o755); err == nil {
			release, err := lockFile(ctx, filepath.Join(dir, "lock"), func() {
				b.logf("go build %s: waiting for another chrlab process building it", target)
			})
			return dir, release, err
		}
	}
	dir, err := os.MkdirTemp("", "chrlab-build-")
	if err != nil {
		return "", nil, fmt.Errorf("create a directory to build %s: %w", target, err)
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}

// contextFile is one file of an in-memory build context.
type contextFile struct {
	name string
	data []byte
	mode int64
}

// build runs the legacy builder over an in-memory context. The legacy
// builder (BuilderV1) resolves FROM against local images only when they are
// present and needs no BuildKit frontend image, which could not be pulled
// here; PullParent stays off for the same reason.
//
// It uses no cached step: every image is tagged by the hash of its inputs,
// so a build runs only when its tag is missing, and a cached step is then
// the leftover of an earlier build of the same inputs whose tag someone
// removed: its images can go while this build reads them (an engine shared
// by several people, each cleaning up), and the legacy builder then fails
// with "unable to find image sha256:...", "unknown parent image ID" or
// "failed to get digest" (sstp70: two labs in a row). A build of our own
// steps costs about a second for the derived images.
func (b *builder) build(ctx context.Context, tag string, files []contextFile, args map[string]*string) error {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		hdr := &tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.data)), ModTime: time.Unix(0, 0), Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("write the build context of %s: %w", tag, err)
		}
		if _, err := tw.Write(f.data); err != nil {
			return fmt.Errorf("write the build context of %s: %w", tag, err)
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("write the build context of %s: %w", tag, err)
	}
	resp, err := b.docker.ImageBuild(ctx, &buf, client.ImageBuildOptions{
		Tags:        []string{tag},
		Dockerfile:  "Dockerfile",
		BuildArgs:   args,
		Labels:      map[string]string{Label: "1"},
		Remove:      true,
		ForceRemove: true,
		NoCache:     true,
		Version:     build.BuilderV1,
	})
	if err != nil {
		return fmt.Errorf("build image %s in the Docker engine: %w", tag, err)
	}
	defer resp.Body.Close()
	err = readStream(resp.Body, func(m jsonstream.Message) {
		if strings.HasPrefix(m.Stream, "Step ") {
			b.logf("  %s", strings.TrimSpace(m.Stream))
		}
	})
	if err != nil {
		return fmt.Errorf("build image %s in the Docker engine: %w", tag, err)
	}
	return nil
}

// readStream consumes a Docker JSON message stream (build, import), calling
// each for every message, and returns the error the engine reported in it:
// the HTTP status of such calls is 200 even when the build fails.
func readStream(r io.Reader, each func(jsonstream.Message)) error {
	dec := json.NewDecoder(r)
	for {
		var m jsonstream.Message
		if err := dec.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("read the engine's progress stream: %w", err)
		}
		if m.Error != nil {
			return errors.New(m.Error.Message)
		}
		if each != nil {
			each(m)
		}
	}
}
