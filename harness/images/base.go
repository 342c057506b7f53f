package images

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/moby/moby/client"
)

// debootstrapRecipe names the way ensureBase builds the rootfs when no
// registry answers. It is part of the base tag so that changing the recipe
// (the flags, the cleanup, the import changes) rebuilds the image.
const debootstrapRecipe = "debootstrap --variant=minbase; clean apt caches; import with PATH, CMD bash; v1"

// importChanges are the Dockerfile instructions applied to the imported
// rootfs: a tarball carries no image configuration of its own.
var importChanges = []string{
	"ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	`CMD ["/bin/bash"]`,
	"LABEL " + Label + "=1",
}

// ensureBase returns the tag of the base image, building it when missing:
// from debian:<suite>-slim when that image is present or can be pulled,
// otherwise with debootstrap.
func (b *builder) ensureBase(ctx context.Context) (string, error) {
	pkgFile := filepath.Join(b.opts.Root, "images", "base", "packages")
	pkgs, err := readPackages(pkgFile)
	if err != nil {
		return "", err
	}
	dfPath := filepath.Join(b.opts.Root, "images", "base", "Dockerfile")
	dockerfile, err := os.ReadFile(dfPath)
	if err != nil {
		return "", fmt.Errorf("read the base Dockerfile: %w", err)
	}
	tag := tagFor("base", []byte(Suite), []byte(strings.Join(pkgs, " ")), dockerfile, []byte(debootstrapRecipe))
	ok, err := b.exists(ctx, tag)
	if err != nil {
		return "", err
	}
	if ok {
		b.logf("base %s present", tag)
		return tag, nil
	}

	start := time.Now()
	slim := "debian:" + Suite + "-slim"
	if perr := b.pullSlim(ctx, slim); perr == nil {
		b.logf("building base %s from %s with apt-get", tag, slim)
		args := map[string]*string{"SUITE": ptr(Suite), "PACKAGES": ptr(strings.Join(pkgs, " "))}
		files := []contextFile{{name: "Dockerfile", data: dockerfile, mode: 0o644}}
		if err := b.build(ctx, tag, files, args); err != nil {
			return "", err
		}
	} else {
		if ctx.Err() != nil {
			return "", fmt.Errorf("pull %s: %w", slim, ctx.Err())
		}
		b.logf("no registry answers (%v); building base %s with debootstrap", perr, tag)
		if err := b.debootstrapBase(ctx, tag, pkgs); err != nil {
			return "", err
		}
	}
	b.logf("base %s built in %.1fs", tag, time.Since(start).Seconds())
	return tag, nil
}

// pullSlim makes debian:<suite>-slim present, pulling it within
// Options.PullTimeout; an error means no registry answered.
func (b *builder) pullSlim(ctx context.Context, ref string) error {
	if ok, err := b.exists(ctx, ref); err != nil || ok {
		return err
	}
	b.logf("pulling %s (at most %s)", ref, b.opts.PullTimeout)
	pctx, cancel := context.WithTimeout(ctx, b.opts.PullTimeout)
	defer cancel()
	resp, err := b.docker.ImagePull(pctx, ref, client.ImagePullOptions{})
	if err != nil {
		return err
	}
	defer resp.Close()
	return resp.Wait(pctx)
}

// debootstrapBase builds the base image without a registry: debootstrap
// into a temporary directory, trim the apt caches, `docker import`.
func (b *builder) debootstrapBase(ctx context.Context, tag string, pkgs []string) (err error) {
	bin, err := findDebootstrap()
	if err != nil {
		return err
	}
	if os.Geteuid() != 0 {
		return errors.New("build the base image with debootstrap: it must run as root (no registry answers, so the image cannot be pulled)")
	}
	mirror := b.opts.Mirror
	if mirror == "" {
		if mirror, err = aptMirror("/etc/apt"); err != nil {
			return err
		}
	}
	dir, err := os.MkdirTemp("", "chrlab-rootfs-")
	if err != nil {
		return fmt.Errorf("create a directory for the base rootfs: %w", err)
	}
	defer func() {
		if rerr := removeRootfs(dir); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}()
	root := filepath.Join(dir, "root")

	args := []string{"--variant=minbase", "--include=" + strings.Join(pkgs, ","), Suite, root, mirror}
	b.logf("debootstrap %s (about 45 s)", strings.Join(args, " "))
	if err := b.runPhased(ctx, bin, args); err != nil {
		return err
	}
	// Package archives and lists are only needed to install, and make up a
	// third of the rootfs.
	for _, glob := range []string{"var/cache/apt/archives/*.deb", "var/cache/apt/*.bin", "var/lib/apt/lists/*_*"} {
		matches, _ := filepath.Glob(filepath.Join(root, glob))
		for _, m := range matches {
			_ = os.Remove(m)
		}
	}
	b.logf("importing the rootfs as %s", tag)
	return b.importDir(ctx, root, tag)
}

// runPhased runs debootstrap, printing the first line of each phase
// (Retrieving, Validating, Extracting, Installing, Configuring, ...) rather
// than one per package, plus a heartbeat every ten seconds so that a slow mirror does not
// look like a hang. The last lines of output are kept for the error.
func (b *builder) runPhased(ctx context.Context, bin string, args []string) error {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.SysProcAttr = processGroup()
	// debootstrap is a shell script driving dpkg in a chroot: on
	// cancellation the whole process group must go, not only the shell.
	cmd.Cancel = func() error { return killGroup(cmd) }
	cmd.WaitDelay = 5 * time.Second
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start debootstrap: %w", err)
	}
	waitErr := make(chan error, 1)
	go func() { err := cmd.Wait(); pw.Close(); waitErr <- err }()

	var (
		tail      []string
		phase     string
		seen      = map[string]bool{}
		retrieved int
		lastPrint = time.Now()
		lines     = make(chan string)
	)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for lines != nil {
		select {
		case line, ok := <-lines:
			if !ok {
				lines = nil
				break
			}
			tail = append(tail, line)
			if len(tail) > 20 {
				tail = tail[1:]
			}
			p := debootstrapPhase(line)
			if p == "Retrieving" {
				retrieved++
			}
			// Retrieving and Validating alternate once per package: only
			// the first line of each phase is worth a line of progress.
			if p != "" {
				phase = p
				if !seen[p] {
					seen[p] = true
					b.logf("debootstrap: %s", strings.TrimPrefix(line, "I: "))
					lastPrint = time.Now()
				}
			}
		case <-tick.C:
			if time.Since(lastPrint) >= 10*time.Second {
				b.logf("debootstrap: still %s (%d files retrieved)", strings.ToLower(phase), retrieved)
				lastPrint = time.Now()
			}
		}
	}
	if err := <-waitErr; err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("run debootstrap: %w", ctx.Err())
		}
		return fmt.Errorf("run debootstrap %s: %w; last output:\n%s", strings.Join(args, " "), err, strings.Join(tail, "\n"))
	}
	return nil
}

// debootstrapPhase returns the verb of an "I: Retrieving libc6 ..." line.
func debootstrapPhase(line string) string {
	rest, ok := strings.CutPrefix(line, "I: ")
	if !ok {
		return ""
	}
	verb, _, _ := strings.Cut(rest, " ")
	return verb
}

// importDir streams dir as a tarball into the engine as image tag.
func (b *builder) importDir(ctx context.Context, dir, tag string) error {
	// --numeric-owner keeps the rootfs's own uids: the names of this
	// machine's /etc/passwd mean nothing inside the image.
	tar := exec.CommandContext(ctx, "tar", "--numeric-owner", "--xattrs", "-C", dir, "-cf", "-", ".")
	out, err := tar.StdoutPipe()
	if err != nil {
		return fmt.Errorf("pipe tar of %s: %w", dir, err)
	}
	var tarErr strings.Builder
	tar.Stderr = &tarErr
	if err := tar.Start(); err != nil {
		return fmt.Errorf("start tar of %s: %w", dir, err)
	}
	resp, err := b.docker.ImageImport(ctx, client.ImageImportSource{Source: out, SourceName: "-"}, tag,
		client.ImageImportOptions{Changes: importChanges, Message: "chrlab base rootfs (debootstrap " + Suite + ")"})
	if err != nil {
		_ = tar.Process.Kill()
		_ = tar.Wait()
		return fmt.Errorf("import the base rootfs into the Docker engine as %s: %w", tag, err)
	}
	streamErr := readStream(resp, nil)
	resp.Close()
	if err := tar.Wait(); err != nil {
		return fmt.Errorf("tar the base rootfs %s: %w: %s", dir, err, strings.TrimSpace(tarErr.String()))
	}
	if streamErr != nil {
		return fmt.Errorf("import the base rootfs into the Docker engine as %s: %w", tag, streamErr)
	}
	return nil
}

// findDebootstrap looks in PATH and in /usr/sbin, which a non-login root
// shell may lack from PATH.
func findDebootstrap() (string, error) {
	if p, err := exec.LookPath("debootstrap"); err == nil {
		return p, nil
	}
	if _, err := os.Stat("/usr/sbin/debootstrap"); err == nil {
		return "/usr/sbin/debootstrap", nil
	}
	return "", errors.New("find debootstrap: not installed, and no registry answers to pull the base image; run scripts/ensure-docker.sh as root (or apt-get install debootstrap)")
}

// readPackages reads the package list: one name per line, # comments.
func readPackages(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the base package list: %w", err)
	}
	var pkgs []string
	for i, line := range strings.Split(string(data), "\n") {
		line, _, _ = strings.Cut(line, "#")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.ContainsAny(line, " \t,") {
			return nil, fmt.Errorf("%s:%d: want one package name per line, got %q", path, i+1, line)
		}
		pkgs = append(pkgs, line)
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("%s: no packages listed", path)
	}
	return pkgs, nil
}

func ptr[T any](v T) *T { return &v }
