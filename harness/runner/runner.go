// Package runner runs one scenario from start to verdict: images, lab,
// router configuration, probes, artifacts, teardown. The chrlab command and
// the ginkgo suite both call Run, so what the suite proves is what a user
// runs.
package runner

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chrlab/chrlab/harness/chr"
	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/report"
	"github.com/chrlab/chrlab/harness/ros"
	"github.com/chrlab/chrlab/harness/scenario"
	"github.com/chrlab/chrlab/rosemu/api"
)

// Backend names a kind of router.
type Backend string

// The router backends. Only rosemu and vm run on machines without a CHR
// image.
const (
	Auto   Backend = "auto"
	Rosemu Backend = "rosemu"
	// VM boots rosemu as a Linux guest in the CHR container's QEMU: the
	// CHR plumbing, proven where no CHR image exists.
	VM Backend = "vm"
	// CHR boots real RouterOS CHR in QEMU.
	CHR Backend = "chr"
)

var backends = []Backend{Auto, Rosemu, VM, CHR}

// Options says what to run and how.
type Options struct {
	Root     string             // repository root (scenarios/, labs/)
	Scenario *scenario.Scenario // already loaded
	Router   Backend
	Keep     bool      // leave the lab running after the run
	Progress io.Writer // progress lines; nil discards
	// Results is the folder that receives results/<run>/; empty means
	// Root/results.
	Results string
	// RouterOS is the CHR version to run (ROUTEROS), CHRImage a local CHR
	// image (CHR_IMAGE), CacheDir where CHR images are kept (default
	// ~/.cache/chrlab).
	RouterOS string
	CHRImage string
	CacheDir string
}

// Run runs the scenario and returns its report. The error is non-nil when
// the run could not be completed (then the report still says why); a run
// whose expectations failed returns a report with Passed false and a nil
// error. Unless Keep, the lab is gone when Run returns, also when ctx was
// cancelled.
func Run(ctx context.Context, o Options) (*report.Report, error) {
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.Results == "" {
		o.Results = filepath.Join(o.Root, "results")
	}
	s := o.Scenario
	// The lab's run id goes into Docker names and labels, where bridge
	// names leave room for six characters; the results folder adds the
	// time and the scenario so that a person can find it.
	labRun := newRunID()
	runID := time.Now().UTC().Format("20060102-150405") + "-" + s.Name + "-" + labRun
	rep := &report.Report{Run: runID, LabRun: labRun, Scenario: s.Name, Title: s.Title, Lab: s.Lab, Started: time.Now().UTC(),
		Dir: filepath.Join(o.Results, runID)}
	err := run(ctx, o, rep)
	if err != nil {
		rep.Error = err.Error()
	}
	rep.Finish()
	if werr := rep.WriteJSON(); werr != nil {
		err = errors.Join(err, werr)
	}
	return rep, err
}

func run(ctx context.Context, o Options, rep *report.Report) (err error) {
	s := o.Scenario
	progress := func(format string, args ...any) { fmt.Fprintf(o.Progress, format+"\n", args...) }

	backend, note, err := choose(o)
	if err != nil {
		return err
	}
	rep.Router, rep.Note = string(backend), note
	progress("router: %s (%s)", backend, note)

	// The version the scenario is judged against: the CHR asked for, or
	// the version rosemu emulates.
	version := o.RouterOS
	if version == "" && backend != CHR {
		version = api.DefaultVersion
	}
	if version != "" {
		if ok, why := s.Applies(version); !ok {
			rep.Skipped, rep.SkipReason = true, why
			progress("skipped: %s", why)
			return nil
		}
	}
	var chrImage chr.Image
	if backend == CHR {
		if chrImage, err = chr.Resolve(ctx, chr.Options{Version: o.RouterOS, Image: o.CHRImage, CacheDir: o.CacheDir, Progress: o.Progress}); err != nil {
			return err
		}
		rep.Note += "; " + chrImage.String()
	}

	spec, err := lab.Load(filepath.Join(o.Root, "labs", s.Lab+".yaml"))
	if err != nil {
		return err
	}
	if err := s.Check(topology{spec}); err != nil {
		return err
	}
	rep.Settings = settings(spec)
	base, err := os.ReadFile(spec.BasePath())
	if err != nil {
		return fmt.Errorf("read the lab's base configuration: %w", err)
	}

	t := time.Now()
	imgs, err := images.Ensure(ctx, images.Options{Root: o.Root, Progress: o.Progress, VM: backend == VM})
	if err != nil {
		return err
	}
	rep.Phase("images", t)

	t = time.Now()
	lopts := lab.Options{RunID: rep.LabRun, HostImage: imgs.Host, RouterImage: imgs.Rosemu, Progress: o.Progress,
		Keep: func(name string, data []byte) { _ = rep.Save(name, data) }}
	switch backend {
	case VM:
		var kvm bool
		lopts.RouterImage = imgs.Chr
		lopts.Router, kvm = lab.VMRouter()
		rep.Note += "; " + accel(kvm)
	case CHR:
		return fmt.Errorf("boot CHR %s: the chr backend's QEMU plumbing is proven through ROUTER=vm, but booting a CHR image (%s) is not wired yet", o.RouterOS, chrImage.Path)
	}
	l, err := lab.Up(ctx, spec, lopts)
	if l != nil && !o.Keep {
		// Teardown must run even when ctx was cancelled by Ctrl-C, so it gets
		// a context of its own with a budget of its own.
		defer func() {
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 60*time.Second)
			defer cancel()
			td := time.Now()
			if derr := l.Down(dctx); derr != nil {
				err = errors.Join(err, fmt.Errorf("tear down the lab: %w", derr))
			}
			rep.Phase("teardown", td)
		}()
	}
	if err != nil {
		return err
	}
	rep.Phase("lab up", t)

	t = time.Now()
	mgmt := l.RouterMgmt()
	rc, err := ros.Dial(ctx, ros.Endpoint{Host: mgmt.String()}, 20*time.Second)
	if err != nil {
		return err
	}
	defer rc.Close()
	// Artifacts are saved on every run that got this far, whatever the
	// verdict or error: a passing run is evidence too, and a refused
	// configuration is best understood next to the router's log.
	defer saveArtifacts(ctx, rep, l, rc)
	if err := rc.Apply(ctx, relPath(o.Root, spec.BasePath()), base); err != nil {
		return err
	}
	if err := rc.Apply(ctx, relPath(o.Root, filepath.Join(s.Dir, s.Router)), s.RSC); err != nil {
		if why, ok := kernelLacks(err); ok {
			rep.Skipped, rep.SkipReason = true, why
			progress("skipped: %s", why)
			return nil
		}
		return err
	}
	if res, err := rc.Print(ctx, "/system/resource"); err == nil && len(res) > 0 {
		rep.Version = res[0]["version"]
	} else if backend != CHR {
		// rosemu has no /system resource; the version it emulates is the
		// one its answers follow.
		rep.Version = version + " (emulated by rosemu)"
	}
	if backend == CHR {
		// A free CHR caps every interface at 1 Mbit/s: its throughput
		// figures say nothing about the configuration.
		if rows, err := rc.Print(ctx, "/system/license"); err == nil && len(rows) > 0 {
			if lic, err := chr.ParseLicence(rows[0]); err == nil && lic.Bound {
				rep.Licence = lic.Label
			}
		}
	}
	env := &labEnv{spec: spec, rc: rc, ex: l}
	// A port whose address comes from DHCP has none until the first lease;
	// probes to router.wan only make sense once every port has one.
	if err := env.waitAddresses(ctx, 30*time.Second); err != nil {
		return err
	}
	rep.Phase("configure", t)
	progress("configured %s with %s and %s", spec.Router.Name, filepath.Base(spec.BasePath()), s.Router)

	t = time.Now()
	steps, err := scenario.Run(ctx, s, env, prober{l: l, rc: rc}, func(r scenario.StepResult) {
		mark := "ok"
		if !r.OK {
			mark = "FAIL: " + r.Why
		}
		progress("  %2d %-5s %s -> %s: %s (%s)", r.Index, r.Probe, r.From, r.To, r.Seen.Result, mark)
	})
	rep.Steps = steps
	rep.Phase("probes", t)
	if o.Keep {
		keepHints(o.Progress, l, mgmt)
	}
	return err
}

// choose picks the router backend. auto takes CHR when its image is at
// hand without a download, and rosemu otherwise, saying why.
func choose(o Options) (Backend, string, error) {
	switch o.Router {
	case "", Auto:
		switch {
		case o.CHRImage != "":
			return CHR, "auto: CHR_IMAGE " + o.CHRImage, nil
		case o.RouterOS == "":
			return Rosemu, "auto: no ROUTEROS version asked for, using the RouterOS emulator", nil
		case chr.Available(o.RouterOS, cacheDir(o)):
			return CHR, "auto: CHR " + o.RouterOS + " image in " + cacheDir(o), nil
		default:
			return Rosemu, "auto: no CHR " + o.RouterOS + " image in " + cacheDir(o) + ", using the RouterOS emulator", nil
		}
	case Rosemu, VM:
		return o.Router, "requested", nil
	case CHR:
		if o.RouterOS == "" && o.CHRImage == "" {
			return "", "", fmt.Errorf("router chr needs ROUTEROS=<version> or CHR_IMAGE=<file>")
		}
		return CHR, "requested", nil
	default:
		var known []string
		for _, b := range backends {
			known = append(known, string(b))
		}
		return "", "", fmt.Errorf("unknown router backend %q; known: %s", o.Router, strings.Join(known, ", "))
	}
}

// accel says how the guest CPU ran, for the report.
func accel(kvm bool) string {
	if kvm {
		return "QEMU with KVM"
	}
	_, why := lab.KVMUsable()
	return "QEMU with TCG (" + why + ")"
}

func cacheDir(o Options) string {
	if o.CacheDir != "" {
		return o.CacheDir
	}
	d, err := chr.DefaultCacheDir()
	if err != nil {
		// Without a home folder there is no cache; a relative one keeps
		// the messages meaningful.
		return ".cache/chrlab"
	}
	return d
}

func saveArtifacts(ctx context.Context, rep *report.Report, l *lab.Lab, rc *ros.Client) {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
	defer cancel()
	if exp, err := rc.Export(actx); err == nil {
		_ = rep.Save("router-export.rsc", []byte(exp))
	}
	if con, err := l.RouterConsole(actx); err == nil && len(con) > 0 {
		_ = rep.Save("router-console.txt", con)
	}
	// The nftables ruleset is what rosemu really enforced; on CHR there is
	// none to read, and the command then simply fails.
	if out, code, err := l.Exec(actx, l.Spec.Router.Name, []string{"nft", "list", "table", "ip", "rosemu"}); err == nil && code == 0 {
		_ = rep.Save("router-nftables.txt", out)
	}
	for _, n := range append([]string{l.Spec.Router.Name}, nodeNames(l.Spec)...) {
		if logs, err := l.Logs(actx, n); err == nil {
			_ = rep.Save("log-"+n+".txt", logs)
		}
	}
}

func keepHints(w io.Writer, l *lab.Lab, mgmt netip.Addr) {
	fmt.Fprintf(w, "\nThe lab is still running (KEEP=1):\n")
	fmt.Fprintf(w, "  router:  ssh admin@%s   (empty password; API on %s:8728)\n", mgmt, mgmt)
	for _, n := range nodeNames(l.Spec) {
		fmt.Fprintf(w, "  %-8s docker exec -it %s bash\n", n+":", l.ContainerName(n))
	}
	fmt.Fprintf(w, "Remove it with: make down\n")
}

func nodeNames(s *lab.Spec) []string {
	var out []string
	for _, n := range s.Nodes {
		out = append(out, n.Name)
	}
	return out
}

func relPath(root, p string) string {
	if r, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

// newRunID returns six random hex digits.
func newRunID() string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// settings lists the lab's extra flags, which set the timings that shape
// some results (IP Cloud's interval, the DHCP lease).
func settings(spec *lab.Spec) map[string][]string {
	m := map[string][]string{}
	if len(spec.Router.Emulator) > 0 {
		m[spec.Router.Name] = spec.Router.Emulator
	}
	for _, n := range spec.Nodes {
		if len(n.Args) > 0 {
			m[n.Name] = n.Args
		}
	}
	return m
}
