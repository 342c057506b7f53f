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
	"maps"
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chrlab/chrlab/harness/chr"
	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/report"
	"github.com/chrlab/chrlab/harness/ros"
	"github.com/chrlab/chrlab/harness/router"
	"github.com/chrlab/chrlab/harness/scenario"
	statusline "github.com/chrlab/chrlab/internal/progress"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
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

// Options says what to run and how.
type Options struct {
	Root     string             // repository root (scenarios/, labs/)
	Scenario *scenario.Scenario // already loaded
	Router   Backend
	Keep     bool      // leave the lab running after the run
	Progress io.Writer // progress lines; nil discards
	// Results is the folder that receives results/<run>/; empty means
	// scenario.Results(Root): Root/results in a checkout, ./results for the
	// embedded tree.
	Results string
	// RouterOS is the CHR version to run (ROUTEROS), CHRImage a local CHR
	// image (CHR_IMAGE), CacheDir where CHR images are kept (default
	// ~/.cache/chrlab).
	RouterOS string
	CHRImage string
	CacheDir string
	// MemoryMiB is a QEMU router's memory (CHR_MEMORY); zero follows
	// MikroTik's guidance (router.Memory).
	MemoryMiB int
	// Up brings the lab up and configures it, runs no step and leaves it
	// running (chrlab up); Keep is implied.
	Up bool
	// PCAP keeps the packet captures of every lab network in
	// results/<run>/pcap/ whatever the verdict; without it they are kept
	// only when the run did not pass (capture.go).
	PCAP bool
	// StepMark words a probe's result in its progress line in place of
	// "ok" or "FAIL: why"; an empty answer keeps those. chrlab check sets
	// it: its steps observe paths whose judgment is the check's report
	// (a path the diagnosis finds broken is its finding, not a failed
	// run; realcheck19 D10).
	StepMark func(scenario.StepResult) string

	// fallback is why an automatic choice of rosemu became the vm
	// backend: this machine's kernel lacks what the configuration needs.
	fallback string
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
		o.Results = scenario.Results(o.Root)
	}
	s := o.Scenario
	o.Keep = o.Keep || o.Up
	// The lab's run id goes into Docker names and labels, where bridge
	// names leave room for six characters; the results folder adds the
	// time and the scenario so that a person can find it.
	labRun := newRunID()
	runID := time.Now().UTC().Format("20060102-150405") + "-" + s.Name + "-" + labRun
	rep := &report.Report{Run: runID, LabRun: labRun, Scenario: s.Name, Title: s.Title, Lab: s.Lab, Started: time.Now().UTC(),
		Dir: filepath.Join(o.Results, runID)}
	err := run(ctx, o, rep)
	if lacks, ok := errors.AsType[*kernelLacksError](err); ok {
		// rosemu shares this machine's kernel, the vm backend boots one
		// of its own that has the feature: the same configuration, the
		// same lab, with a router that can build it. The first attempt's
		// lab is gone; its files give way to the second's.
		fmt.Fprintf(o.Progress, "router: this machine's kernel lacks %s; running the router in a VM whose kernel has it (vm backend)\n", lacks.feature)
		if rerr := os.RemoveAll(rep.Dir); rerr != nil {
			return rep, fmt.Errorf("clear the first attempt's results: %w", rerr)
		}
		o.Router = VM
		o.fallback = "auto: this machine's kernel lacks " + lacks.feature + ", which the configuration needs; rosemu runs as a VM guest with a kernel of its own"
		rep = &report.Report{Run: runID, LabRun: labRun, Scenario: s.Name, Title: s.Title, Lab: s.Lab, Started: rep.Started, Dir: rep.Dir}
		err = run(ctx, o, rep)
	}
	if err != nil {
		rep.Error = err.Error()
	}
	rep.Finish()
	if werr := rep.WriteAll(); werr != nil {
		err = errors.Join(err, werr)
	}
	return rep, err
}

func run(ctx context.Context, o Options, rep *report.Report) (err error) {
	s := o.Scenario
	progress := func(format string, args ...any) { fmt.Fprintf(o.Progress, format+"\n", args...) }

	ropts := router.Options{RouterOS: o.RouterOS, CHRImage: o.CHRImage, CacheDir: o.CacheDir, MemoryMiB: o.MemoryMiB, Progress: o.Progress}
	kind, note, err := router.Choose(string(o.Router), ropts)
	if err != nil {
		return err
	}
	if o.fallback != "" {
		note = o.fallback
	}
	rep.Router, rep.Note = kind.Name(), note
	progress("router: %s (%s)", kind.Name(), note)

	// A kind that cannot run here fails now, before any image is built.
	rt, err := kind.Prepare(ctx, ropts)
	if err != nil {
		return err
	}
	if rt.NeedsQEMU() {
		if kvm, _ := lab.KVMUsable(); !kvm {
			// Under TCG every packet the guest forwards is emulated
			// instruction by instruction: throughput and connection rates
			// measure the emulator, not the configuration.
			rep.Licence = "emulator-bound: the router's QEMU runs under TCG (no usable KVM), so throughput and connection-rate thresholds are labelled, not judged"
		}
	}
	if n := rt.Note(); n != "" {
		rep.Note += "; " + n
	}
	// The version the scenario is judged against: the CHR asked for, or
	// the version rosemu emulates.
	version := rt.Version()
	if _, perr := scenario.ParseVersion(o.RouterOS); rt.Emulated() && perr == nil {
		// rosemu emulates the version asked for (its --version below):
		// the scenario's version range and the report follow it.
		version = o.RouterOS
	}
	if version != "" {
		if err := checkVersion(rt.Emulated(), version); err != nil {
			return err
		}
		if ok, why := s.Applies(version); !ok {
			rep.Skipped, rep.SkipReason, rep.OutOfRange = true, why, true
			progress("skipped: %s", why)
			return nil
		}
	}

	spec, err := LoadLab(o.Root, s)
	if err != nil {
		return err
	}
	if s.ConntrackLimit > 0 {
		args, why := conntrackLimitArgs(s.ConntrackLimit, rt.Emulated())
		if why != "" {
			rep.Skipped, rep.SkipReason = true, why
			progress("skipped: %s", why)
			return nil
		}
		spec.Router.Emulator = append(spec.Router.Emulator, args...)
	}
	limitMoreRouters(spec, s)
	if rt.Emulated() && o.RouterOS != "" {
		// rosemu emulates the version asked for; the lab's own flags come first so this wins.
		spec.Router.Emulator = append(spec.Router.Emulator, "--version", o.RouterOS)
		// The lab's more routers are rosemu too, and the case's offline
		// check read their configurations as this version.
		for i := range spec.Routers {
			spec.Routers[i].Emulator = append(spec.Routers[i].Emulator, "--version", o.RouterOS)
		}
	}
	if err := s.Check(topology{spec}); err != nil {
		return err
	}
	var base []byte
	if spec.BasePath() != "" {
		if base, err = os.ReadFile(spec.BasePath()); err != nil {
			return fmt.Errorf("read the lab's base configuration: %w", err)
		}
	}
	if sharedLab(s) && !o.Keep && len(spec.Routers) == 0 {
		// A shared lab's hosts that this scenario has no use for are not
		// started (hosts.go). A lab with more routers keeps them all:
		// what those routers' configurations need of them is not read.
		var left []string
		if spec, left = trimHosts(spec, s, routerTexts(spec, base, s)); len(left) > 0 {
			progress("lab: %s not started: the scenario has no use for %s", strings.Join(left, ", "), map[bool]string{true: "it", false: "them"}[len(left) == 1])
		}
	}
	rep.Settings = settings(spec)
	// A configuration this machine's kernel cannot build (rosemu runs on
	// it): the vm backend when rosemu was chosen automatically, else the
	// run is skipped with the reason.
	lacking := func(err error) error {
		why, ok := kernelLacks(err)
		if !ok {
			return err
		}
		if rt.OnHostKernel() && (o.Router == Auto || o.Router == "") {
			return &kernelLacksError{feature: lacksFeature(err), err: err}
		}
		rep.Skipped, rep.SkipReason = true, why
		progress("skipped: %s", why)
		return nil
	}
	// The configuration applied offline to the model rosemu runs, once:
	// what it needs of the kernel, and what it stores without enforcing.
	var reading offlineReading
	if rt.Emulated() {
		reading = readOffline(ctx, spec, version, base, s)
	}
	// The lab's more routers read their configurations as the version
	// rosemu emulates, or their own default beside a CHR.
	moreVersion := ""
	if rt.Emulated() {
		moreVersion = version
	}
	// A more router that needs what this kernel lacks: no backend helps
	// (routersKernelLacks), so before the vm retry below.
	if why := routersKernelLacks(ctx, spec, moreVersion, s, kernel.Probe); why != "" {
		rep.Skipped, rep.SkipReason = true, why
		progress("skipped: %s", why)
		return nil
	}
	if rt.OnHostKernel() {
		// Before any image is built or container started.
		if err := reading.kernelLacks(o.Root, kernel.Probe); err != nil {
			return lacking(err)
		}
	}

	t := time.Now()
	statusline.Stage(o.Progress, 1, stages, "images")
	imgs, err := images.Ensure(ctx, images.Options{Root: o.Root, Progress: o.Progress, VM: rt.NeedsQEMU()})
	if err != nil {
		return err
	}
	rep.Phase("images", t)

	t = time.Now()
	routerImage, routerRun, err := rt.Run(ctx, imgs, spec)
	if err != nil {
		return err
	}
	rep.Phase("router image", t)

	t = time.Now()
	upStart := t
	statusline.Stage(o.Progress, 2, stages, "lab up")
	lopts := lab.Options{RunID: rep.LabRun, HostImage: imgs.Host, RouterImage: routerImage, Router: routerRun, Progress: o.Progress, Kept: o.Keep,
		Keep: func(name string, data []byte) { _ = rep.Save(name, data) }, Labels: keptLabels(o, rep, kind.Name(), version), RoutersImage: imgs.Rosemu}
	l, err := lab.Up(ctx, spec, lopts)
	if l != nil {
		// Teardown must run even when ctx was cancelled by Ctrl-C, so it gets
		// a context of its own with a budget of its own. A lab brought up
		// (chrlab up) that could not be configured is no lab to keep.
		defer func() {
			// A lab whose router is about to run again elsewhere
			// (kernelLacksError) is no lab to keep either.
			_, again := errors.AsType[*kernelLacksError](err)
			if o.Keep && (!o.Up || err == nil) && !again {
				return
			}
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 60*time.Second)
			defer cancel()
			statusline.Stage(o.Progress, 5, stages, "teardown")
			td := time.Now()
			if derr := l.Down(dctx); derr != nil {
				err = errors.Join(err, fmt.Errorf("tear down the lab: %w", derr))
			}
			rep.Phase("teardown", td)
		}()
	}
	if err != nil {
		if routerRun.Console != "" {
			err = fmt.Errorf("%w; the router's serial console is in %s", err, filepath.Join(rep.Dir, "router-console.txt"))
		}
		return err
	}
	rep.Phase("lab up", t)
	// Registered after the teardown, so it runs before it: the captures are
	// read out of the containers while they still exist.
	stopCapture, pauser, err := startCapture(ctx, o, rep, l, progress)
	defer func() {
		statusline.Stage(o.Progress, 5, stages, "teardown")
		if cerr := stopCapture(err); cerr != nil {
			err = errors.Join(err, cerr)
		}
	}()
	if err != nil {
		return err
	}

	t = time.Now()
	statusline.Stage(o.Progress, 3, stages, "configure")
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
	tr := time.Now()
	ready, err := rt.Ready(ctx, rc, spec)
	if err != nil {
		return err
	}
	rep.Provisioned, rep.Boot, rep.ReadyChecks = ready.Provisioned, tr.Sub(upStart).Seconds(), time.Since(tr).Seconds()
	progress("router ready: provisioned by %s; boot %.1fs, ready checks %.1fs", rep.Provisioned, rep.Boot, rep.ReadyChecks)
	// The lab's more routers (routers:) are rosemu whatever the router
	// is; their API answers once the lab is up, as rosemu's does.
	others, err := dialRouters(ctx, l)
	defer others.close()
	defer saveRoutersArtifacts(ctx, rep, l, others)
	if err != nil {
		return err
	}
	if err := configureRouter(ctx, o.Root, spec, rc, spec.BasePath(), base, s.RouterSource(), s.RSC, routerAt(s)); err != nil {
		return lacking(err)
	}
	configured, err := configureRouters(ctx, o.Root, spec, s, others)
	if err != nil {
		return err
	}
	if rt.Emulated() {
		// The version rosemu emulates is the one its answers follow.
		rep.Version = version + " (emulated by rosemu)"
	} else if res, err := rc.Print(ctx, "/system/resource"); err == nil && len(res) > 0 {
		rep.Version = res[0]["version"]
	}
	if !rt.Emulated() {
		// A free CHR caps every interface at 1 Mbit/s: its throughput
		// figures say nothing about the configuration.
		if rows, err := rc.Print(ctx, "/system/license"); err == nil && len(rows) > 0 {
			if lic, err := chr.ParseLicence(rows[0]); err == nil && lic.Bound {
				rep.Licence = lic.Label
			}
		}
	}
	env := &labEnv{spec: spec, rc: rc, ex: l, progress: o.Progress, routers: others}
	// A port whose address comes from DHCP has none until the first lease;
	// probes to router.wan only make sense once every port has one.
	if err := env.waitAddresses(ctx, 30*time.Second); err != nil {
		return err
	}
	keepNotes(progress, rep, env.waitLeases(leaseWaitFrom(s.Steps), progress))
	keepAside(progress, rep, s.SetAside)
	keepNotes(progress, rep, publicInLists(ctx, rc, spec))
	for _, h := range netwatchOutside(ctx, rc, spec) {
		progress("netwatch: host %s is on no network of the lab: its probe fails, and its down-script runs (add a node with that address to the lab to watch it)", h)
	}
	if rt.Emulated() {
		rep.NotEnforced = reading.notEnforced
	}
	// The lab's more routers are rosemu whatever the router is: what their
	// configurations store without enforcing is read as for the router.
	rep.NotEnforced = append(rep.NotEnforced, routersNotEnforced(ctx, spec, moreVersion, s)...)
	rep.Phase("configure", t)
	if bp := spec.BasePath(); bp != "" {
		progress("configured %s with %s and %s", spec.Router.Name, filepath.Base(bp), filepath.Base(s.RouterSource()))
	} else {
		progress("configured %s with %s", spec.Router.Name, filepath.Base(s.RouterSource()))
	}
	for _, line := range configured {
		progress("%s", line)
	}

	if o.Up {
		// No step ran: the report says so rather than a verdict on nothing.
		rep.Skipped, rep.SkipReason = true, UpReason
		keepHints(o.Progress, l, mgmt)
		return nil
	}
	t = time.Now()
	statusline.Stage(o.Progress, 4, stages, "probes")
	raw := newRawOutputs()
	load := newLoadLock(progress)
	defer load.release()
	steps, err := scenario.Run(ctx, s, env, prober{l: l, rc: rc, raw: raw, onProbe: stepStatus(o.Progress, s), nodes: env, capture: pauser, load: load, routers: others}, func(r scenario.StepResult) {
		raw.save(rep, r)
		mark := progressMark(o.StepMark, rep.Licence, r)
		if r.Probe == "" && r.Action != "" {
			// A configure or renumber step has no hosts to name.
			progress("  %2d %s (line %d): %s (%s)", r.Index, r.Action, r.Line, r.Seen.Result, mark)
			return
		}
		progress("  %2d %-5s %s -> %s: %s (%s)", r.Index, r.Probe, r.From, r.To, r.Seen.Result, mark)
	})
	if rt.Emulated() {
		tieNotEnforced(ctx, spec, version, base, s, steps, reading.final)
	}
	rep.Steps = steps
	rep.Notes = append(rep.Notes, fullTunnelNotes(spec, steps)...)
	saveDistributions(rep, steps)
	saveEntries(rep, steps)
	rep.Phase("probes", t)
	if o.Keep {
		keepHints(o.Progress, l, mgmt)
	}
	return err
}

// stages are the parts of a run the progress line counts: images, lab up,
// configure, probes, teardown.
const stages = 5

// stepStatus shows on a status line which step is probing, and each try
// of a step that waits for a recovery (within): too many for a log, the
// only sign of life during a long wait on a terminal.
// progressMark is the word in parentheses of a step's progress line: "ok",
// "FAIL: why", a step the report does not judge, or what the caller's
// stepMark says instead (chrlab check's words for the paths it observes).
func progressMark(stepMark func(scenario.StepResult) string, licence string, r scenario.StepResult) string {
	if stepMark != nil {
		if m := stepMark(r); m != "" {
			return m
		}
	}
	switch why := report.NotJudged(licence, r); {
	case why != "":
		// The report labels it rather than failing the run.
		return "not judged (" + strings.SplitN(why, ":", 2)[0] + "): " + r.Why
	case !r.OK:
		return "FAIL: " + r.Why
	}
	return "ok"
}

func stepStatus(w io.Writer, s *scenario.Scenario) func(scenario.Step) {
	index := map[int]int{}
	for i, st := range s.Steps {
		index[st.Line] = i + 1
	}
	var mu sync.Mutex
	tries := map[int]int{}
	return func(st scenario.Step) {
		mu.Lock()
		tries[st.Line]++
		n := tries[st.Line]
		mu.Unlock()
		text := fmt.Sprintf("step %d/%d: %s %s -> %s", index[st.Line], len(s.Steps), st.Probe, st.From, st.To)
		if st.Probe == "" {
			text = fmt.Sprintf("step %d/%d: %s", index[st.Line], len(s.Steps), st.Action)
		}
		if st.Expect.Within > 0 {
			text += fmt.Sprintf(" (try %d, within %s)", n, st.Expect.Within)
		}
		statusline.Status(w, text)
	}
}

func saveArtifacts(ctx context.Context, rep *report.Report, l *lab.Lab, rc *ros.Client) {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
	defer cancel()
	saveRouterArtifacts(actx, rep, l, rc, l.Spec.Router.Name, "router")
	if con, err := l.RouterConsole(actx); err == nil && len(con) > 0 {
		_ = rep.Save("router-console.txt", con)
	}
	// An ISP's or CPE's access rules with their counters: how many packets
	// its anti-spoofing dropped, how many new connections from outside it
	// refused (docs/labs.md).
	for _, n := range l.Spec.Nodes {
		if n.ISP == nil && n.CPE == nil {
			continue
		}
		if out, code, err := l.Exec(actx, n.Name, []string{"nft", "list", "table", "ip", "chrlab-access"}); err == nil && code == 0 {
			_ = rep.Save("access-"+n.Name+".nft", out)
		}
	}
	names := []string{l.Spec.Router.Name}
	for _, r := range l.Spec.Routers {
		names = append(names, r.Name)
	}
	for _, n := range append(names, nodeNames(l.Spec)...) {
		if logs, err := l.Logs(actx, n); err == nil {
			_ = rep.Save("log-"+n+".txt", logs)
		}
	}
}

// saveRouterArtifacts keeps a router's /export, its /log and the nftables
// rulesets rosemu enforced, as prefix-export.rsc, prefix-log.txt, ...: the
// lab's router as router-*, each more router under its own name beside
// it, with its connection table too.
func saveRouterArtifacts(actx context.Context, rep *report.Report, l *lab.Lab, rc *ros.Client, name, prefix string) {
	if exp, err := rc.Export(actx); err == nil {
		_ = rep.Save(prefix+"-export.rsc", []byte(exp))
	}
	// The router's /log as its memory actions kept it (the firewall's
	// log=yes entries, scripts' :log, the services' events), one
	// "time topics message" line each, as /log print shows it.
	if rows, err := rc.Print(actx, "/log"); err == nil && len(rows) > 0 {
		var b strings.Builder
		for _, row := range rows {
			fmt.Fprintf(&b, "%s %s %s\n", row["time"], row["topics"], row["message"])
		}
		_ = rep.Save(prefix+"-log.txt", []byte(b.String()))
		if name == l.Spec.Router.Name {
			rep.NotEnforced = append(rep.NotEnforced, emulatorFaults(rows)...)
		}
	}
	// The nftables ruleset is what rosemu really enforced; on CHR there is
	// none to read, and the command then simply fails.
	if out, code, err := l.Exec(actx, name, []string{"nft", "list", "table", "ip", "rosemu"}); err == nil && code == 0 {
		_ = rep.Save(prefix+"-nftables.txt", out)
	}
	// The IPv6 firewall, while the configuration has IPv6 (rosemu loads
	// table ip6 rosemu only then).
	if out, code, err := l.Exec(actx, name, []string{"nft", "list", "table", "ip6", "rosemu"}); err == nil && code == 0 {
		_ = rep.Save(prefix+"-nftables6.txt", out)
	}
	// An emulated table capacity (conntrack_limit), with the count of new
	// connections it dropped; a router without one has no such table.
	if out, code, err := l.Exec(actx, name, []string{"nft", "list", "table", "ip", "rosemu_capacity"}); err == nil && code == 0 {
		_ = rep.Save(prefix+"-capacity.nft", out)
	}
	// A more router's connection table as the run left it, one entry a
	// line with its properties as the API returns them (print detail).
	// The lab's router keeps no such file, as before more routers: after
	// a cps step its table is megabytes, read in the teardown's budget.
	if name == l.Spec.Router.Name {
		return
	}
	if rows, err := rc.Print(actx, "/ip/firewall/connection"); err == nil {
		var b strings.Builder
		for _, row := range rows {
			for i, k := range slices.Sorted(maps.Keys(row)) {
				if i > 0 {
					b.WriteString(" ")
				}
				fmt.Fprintf(&b, "%s=%s", k, row[k])
			}
			b.WriteString("\n")
		}
		_ = rep.Save(prefix+"-conntrack.txt", []byte(b.String()))
	}
}

func keepHints(w io.Writer, l *lab.Lab, mgmt netip.Addr) {
	fmt.Fprintf(w, "\nThe lab is still running (run %s):\n", l.RunID)
	fmt.Fprintf(w, "  router:  ssh admin@%s   (empty password; API on %s:8728)\n", mgmt, mgmt)
	for _, r := range l.Spec.Routers {
		a, _ := l.RouterMgmtOf(r.Name)
		fmt.Fprintf(w, "  %-8s ssh admin@%s   (empty password; API on %s:8728)\n", r.Name+":", a, a)
	}
	for _, n := range nodeNames(l.Spec) {
		fmt.Fprintf(w, "  %-8s docker exec -it %s bash\n", n+":", l.ContainerName(n))
	}
	fmt.Fprintf(w, "Inspect it with: chrlab inspect %s; remove it with: chrlab down %s\n", l.RunID, l.RunID)
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

// conntrackLimitArgs turns a scenario's conntrack_limit into rosemu's flag, or into the reason a
// router that is not rosemu cannot run the case: RouterOS has no setting for the table's size
// (max-entries is read-only and follows the RAM), so a CHR's table cannot be made small for a run.
func conntrackLimitArgs(limit int, emulated bool) (args []string, skip string) {
	if !emulated {
		return nil, fmt.Sprintf("conntrack_limit %d is a table capacity only the RouterOS emulator can take: RouterOS derives max-entries from the router's RAM and has no setting for it", limit)
	}
	return []string{"--conntrack-max", strconv.Itoa(limit)}, ""
}

// limitMoreRouters gives each of the lab's more routers the connection
// table capacity the case's conntrack_limit names it with (router:). A
// more router runs rosemu whatever runs the lab's router, so no run skips
// for it.
func limitMoreRouters(spec *lab.Spec, s *scenario.Scenario) {
	for i, r := range spec.Routers {
		if n := s.RouterConntrackLimits[r.Name]; n > 0 {
			args, _ := conntrackLimitArgs(n, true)
			spec.Routers[i].Emulator = append(spec.Routers[i].Emulator, args...)
		}
	}
}

// offlineReading is what the run's configuration, applied offline to the
// model the emulator runs, says before the lab starts: the kernel
// features its interfaces need (needs, with the text that first needs
// each) and what of it the emulator stores without enforcing.
type offlineReading struct {
	needs       []kernel.Feature
	from        map[kernel.Feature]string
	notEnforced []string
	// final is the router as the configuration left it, kept when the run
	// has no configure step: every probe step runs against that state,
	// and tieNotEnforced judges them against it.
	final *config.Router
	// locate finds the file and line of the command that first needs a
	// feature ("", 0 when the text has no file of its own), on the error
	// path only: it applies the texts again.
	locate func(kernel.Feature) (string, int)
}

// notEnforced reads what of the run's configuration (the lab's base, the
// router's, and every configure step's) the emulator stores without
// enforcing, by checking it offline in the same model the router runs: a
// user reading the report must see that a tarpit rule only dropped or a
// queue shaped nothing.
func notEnforced(ctx context.Context, spec *lab.Spec, version string, base []byte, s *scenario.Scenario) []string {
	return readOffline(ctx, spec, version, base, s).notEnforced
}

// readOffline applies the run's configuration offline once and reads
// both what it needs of the kernel and what is not enforced.
func readOffline(ctx context.Context, spec *lab.Spec, version string, base []byte, s *scenario.Scenario) offlineReading {
	rd := offlineReading{from: map[kernel.Feature]string{}}
	// Read after each text, not only at the end: a configure step that
	// takes a setting out again (a negative control clearing a burst)
	// must not hide that the steps before it ran without it. An item
	// counts at its largest, but for one RouterOS would not apply either
	// (a routing filter rule of a chain nothing names yet), which counts
	// as the run ends: a later step that puts it into use leaves no time
	// in which rosemu did less than RouterOS.
	var order []string
	most := map[string]config.NotEnforcedItem{}
	var last []config.NotEnforcedItem
	texts := offlineTexts(spec, base, s)
	textOf := map[kernel.Feature]int{}
	final := offline(ctx, spec, version, base, s, func(source string, line, _ int, r *config.Router) {
		for _, f := range r.State().Needs() {
			if _, ok := rd.from[f]; !ok {
				rd.from[f] = source
				rd.needs = append(rd.needs, f)
				textOf[f] = slices.IndexFunc(texts, func(t offlineText) bool { return t.source == source && t.line == line })
			}
		}
		last = r.NotEnforced()
		for _, n := range last {
			if config.IdleOnRouterOS(n) {
				continue
			}
			k := n.Path + "\x00" + n.Property + "\x00" + n.Reason
			if old, ok := most[k]; !ok {
				order = append(order, k)
			} else if old.Count > n.Count {
				continue
			}
			most[k] = n
		}
	})
	for _, n := range last {
		if config.IdleOnRouterOS(n) {
			k := n.Path + "\x00" + n.Property + "\x00" + n.Reason
			order = append(order, k)
			most[k] = n
		}
	}
	for _, k := range order {
		rd.notEnforced = append(rd.notEnforced, most[k].String())
	}
	if !slices.ContainsFunc(texts, func(t offlineText) bool { return t.line > 0 }) {
		rd.final = final
	}
	rd.locate = func(f kernel.Feature) (string, int) {
		i, ok := textOf[f]
		if !ok || i < 0 {
			return "", 0
		}
		return locateNeed(ctx, spec, version, texts, i, f)
	}
	return rd
}

// locateNeed is the file and line of the command of texts[i] that first
// makes the configuration need f: the router block's first line named a
// skip whose cause was a vlan-filtering=yes five lines below it (forum31
// D5 b). It applies the texts before i, then ever longer prefixes of
// texts[i] cut at its commands' first lines (a binary search over them),
// on fresh models; "", 0 when the text has no file line of its own.
func locateNeed(ctx context.Context, spec *lab.Spec, version string, texts []offlineText, i int, f kernel.Feature) (string, int) {
	t := texts[i]
	if t.file == "" || t.first == 0 {
		return "", 0
	}
	ports := make([]string, len(spec.Router.Ports))
	for j := range ports {
		ports[j] = lab.PortName(j)
	}
	with := func(prefix string) (*config.Router, *config.Validation) {
		r := config.New(config.Options{Ports: ports, Version: version, DefaultDHCPClient: true})
		for _, e := range texts[:i] {
			if strings.TrimSpace(e.rsc) != "" {
				r.Validate(ctx, e.rsc, 2*time.Second)
			}
		}
		return r, r.Validate(ctx, prefix, 2*time.Second)
	}
	_, v := with(t.rsc)
	var starts []int
	for _, fd := range v.Findings {
		if fd.Line > 0 && !slices.Contains(starts, fd.Line) {
			starts = append(starts, fd.Line)
		}
	}
	slices.Sort(starts)
	lines := strings.SplitAfter(t.rsc, "\n")
	upto := func(k int) string { // the text through the command at starts[k]
		end := len(lines)
		if k+1 < len(starts) {
			end = starts[k+1] - 1
		}
		return strings.Join(lines[:min(end, len(lines))], "")
	}
	lo, hi := 0, len(starts)
	for lo < hi {
		mid := (lo + hi) / 2
		if r, _ := with(upto(mid)); slices.Contains(r.State().Needs(), f) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo >= len(starts) {
		return "", 0
	}
	return t.file, t.first + starts[lo] - 1
}

// offline applies the run's configuration (the lab's ports, its base, the
// router's, every configure step's, in the order the run applies them) to
// the model the router runs, offline, and calls after with each text's
// source once the model holds it.
// line is the configure step's line, 0 for the lab's and the router's
// texts.
//
// next is the line of the next text after, math.MaxInt after the last:
// a step at a line in (line, next] runs with the configuration as it
// stands at this call.
// It returns the router as the last text left it.
func offline(ctx context.Context, spec *lab.Spec, version string, base []byte, s *scenario.Scenario, after func(source string, line, next int, r *config.Router)) *config.Router {
	r := config.New(config.Options{Ports: spec.Router.PortNames(), Version: version, DefaultDHCPClient: true})
	var texts []offlineText
	for _, t := range offlineTexts(spec, base, s) {
		if strings.TrimSpace(t.rsc) != "" {
			texts = append(texts, t)
		}
	}
	for i, t := range texts {
		next := math.MaxInt
		if i+1 < len(texts) {
			next = texts[i+1].line
		}
		r.Validate(ctx, t.rsc, 2*time.Second)
		after(t.source, t.line, next, r)
	}
	return r
}

// offlineText is one text the run applies: source names it in messages,
// line is a configure step's line (0 for the lab's and the router's
// texts), file and first the file its lines are in and the line of its
// first line there (0 for the lab's port names, which no file holds).
type offlineText struct {
	source, rsc string
	line        int
	file        string
	first       int
}

// offlineTexts are the run's texts in the order the run applies them.
// PortDefaults rewrites names within lines, so a text's lines stay its
// file's.
func offlineTexts(spec *lab.Spec, base []byte, s *scenario.Scenario) []offlineText {
	router, first := s.RouterSource(), 1
	if s.RouterInline {
		router, first = s.File, s.RSCLine
	}
	texts := []offlineText{{spec.File + " (the names of its router ports)", spec.PortPrelude(), 0, "", 0}, {spec.BasePath(), string(spec.PortDefaults(base)), 0, spec.BasePath(), 1},
		{s.RouterSource(), string(spec.PortDefaults(s.RSC)), 0, router, first}}
	for _, st := range s.Steps {
		// A step on one of the lab's more routers (router:) is that
		// router's text, not this one's.
		if st.Action == scenario.Configure && st.Router == "" {
			texts = append(texts, offlineText{fmt.Sprintf("%s step at line %d", s.File, st.Line), string(spec.PortDefaults([]byte(st.RSC))), st.Line, s.File, st.RSCLine})
		}
	}
	return texts
}

// kernelLacksAhead finds, before any container starts, a kernel feature
// that the run's configuration needs (a VLAN interface needs 802.1Q) and
// this machine's kernel lacks (readOffline and kernelLacks).
func kernelLacksAhead(ctx context.Context, root string, spec *lab.Spec, version string, base []byte, s *scenario.Scenario, probe func(kernel.Feature) error) error {
	return readOffline(ctx, spec, version, base, s).kernelLacks(root, probe)
}

// kernelLacks is the first kernel feature the configuration needs that
// this machine's kernel lacks, for a router that runs on this kernel
// (rosemu): the lab would come up only for the router to refuse the
// configuration (about 15 s, more with images to build). probe says
// whether the kernel has a feature (kernel.Probe: a link of its kind in a
// throwaway network namespace); a probe that cannot tell (no privilege)
// leaves the run to find out as before. The error has the words of
// rosemu's refusal ("the kernel lacks ..."), so that the package's
// kernelLacks reads it as it reads that one.
func (rd offlineReading) kernelLacks(root string, probe func(kernel.Feature) error) error {
	for _, f := range rd.needs {
		if err := probe(f); errors.Is(err, kernel.ErrProbeUnsupported) {
			// The command's own line where the text has one: the block's
			// first line named a cause five lines below it (forum31 D5 b).
			where := relPath(root, rd.from[f])
			if rd.locate != nil {
				if file, line := rd.locate(f); line > 0 {
					where = fmt.Sprintf("%s:%d", relPath(root, file), line)
				}
			}
			return fmt.Errorf("%s: its %s interfaces need what this machine's kernel, which rosemu runs on, cannot make (found before the lab started: %v) (the kernel lacks %s)", where, f.Kind, err, f.Name)
		}
	}
	return nil
}

// emulatorFaults picks from the router's /log the entries in which rosemu
// says that it stopped, or went back to, enforcing part of the
// configuration while the run went on (topic config.EmulatorTopic: a
// connection-rate sampler that failed), "time message" each. They belong
// with what was not enforced: the configuration was accepted, but the
// probes of that time did not meet RouterOS's behaviour. RouterOS writes
// no such entry, so a CHR's log yields none.
func emulatorFaults(rows []map[string]string) []string {
	var out []string
	for _, row := range rows {
		if slices.Contains(strings.Split(row["topics"], ","), config.EmulatorTopic) {
			out = append(out, strings.TrimSpace(row["time"]+" "+row["message"]))
		}
	}
	return out
}

// netwatchOutside returns the hosts of the router's enabled netwatch
// entries that are on no network of the lab: the router probes them as
// configured, they never answer, and their down-scripts run, which a user
// should know before reading the run.
func netwatchOutside(ctx context.Context, rc *ros.Client, spec *lab.Spec) []string {
	rows, err := rc.Print(ctx, "/tool/netwatch")
	if err != nil {
		return nil
	}
	var out []string
	for _, r := range rows {
		host, err := netip.ParseAddr(r["host"])
		if err != nil || r["disabled"] == "true" {
			continue
		}
		in := false
		for _, n := range spec.Networks {
			in = in || n.Subnet.Contains(host)
		}
		if !in {
			out = append(out, host.String())
		}
	}
	return out
}

// publicAddr is an address of the lab's public side and whose it is.
type publicAddr struct {
	addr netip.Addr
	who  string
}

// publicAddrs are the lab's addresses on its public side, the internet's
// hosts (peers, public DNS) first, then the ISPs and CPEs, then the
// router's WAN ports: every host's address on a network that
// no LAN port of the router is on.
func publicAddrs(spec *lab.Spec) []publicAddr {
	lan := map[string]bool{}
	for _, i := range spec.LANPorts() {
		lan[spec.Router.Ports[i].Network] = true
	}
	var first, then, last []publicAddr
	for _, n := range spec.Nodes {
		for _, ifc := range n.Interfaces {
			if !ifc.Address.IsValid() || lan[ifc.Network] || ifc.DHCP {
				continue
			}
			if n.ISP == nil && n.CPE == nil && !n.Forward && n.Role != "isp" && n.Role != "cpe" {
				first = append(first, publicAddr{ifc.Address, n.Name})
			} else {
				then = append(then, publicAddr{ifc.Address, n.Name})
			}
		}
	}
	for _, i := range spec.WANPorts() {
		if a := spec.Router.Ports[i].Address; a.IsValid() {
			last = append(last, publicAddr{a, spec.Router.Name + "'s WAN address"})
		}
	}
	return slices.Concat(first, then, last)
}

// keepNotes keeps notes in the run's report, whose summary (the table
// after the run, summary.md, report.html) prints them once. They are not
// also written as progress: a run's log and its terminal both carry the
// progress and the table, and each note read twice (forum29 D4); chrlab
// check, which prints no run table, prints them after the run (check.Run).
// Progress only counts them, so that a long run says early that
// something of the configuration meets the lab badly.
// keepAside keeps the lines set aside for hardware in the report only,
// as keepNotes does for notes: each was printed as progress and again by
// the summary after the run, twice in one output (the bogon note's
// cause, forum29 D4). The progress says how many the summary carries.
func keepAside(progress func(string, ...any), rep *report.Report, aside []string) {
	if len(aside) > 0 {
		progress("configured: %d line(s) set aside (hardware a lab router lacks), listed with the run's summary", len(aside))
	}
	rep.SetAside = aside
}

func keepNotes(progress func(string, ...any), rep *report.Report, notes []string) {
	if len(notes) > 0 {
		progress("configured: %d note(s) on the configuration, printed with the run's summary", len(notes))
	}
	rep.Notes = append(rep.Notes, notes...)
}

// publicInLists finds the router's address lists whose static entries
// cover an address of the lab's public side and that a drop rule matches:
// the lab's internet and WANs use documentation and benchmarking ranges
// (RFC 5737's 198.51.100.0/24 and 203.0.113.0/24, RFC 2544's
// 198.18.0.0/15, RFC 6598's 100.64.0.0/10 for the CGNAT lab), which the
// bogon lists users paste hold. A rule that drops such a list drops the
// lab's internet, where it would let a real internet host through; the
// user must know before reading the run. A list no drop rule uses (an
// allow list, a WAN-IP list holding the router's own address for a port
// forward) changes nothing of that and is not named.
func publicInLists(ctx context.Context, rc *ros.Client, spec *lab.Spec) []string {
	rows, err := rc.Print(ctx, "/ip/firewall/address-list", "?dynamic=false")
	if err != nil {
		return nil
	}
	var rules []map[string]string
	for _, path := range []string{"/ip/firewall/filter", "/ip/firewall/raw"} {
		rs, err := rc.Print(ctx, path)
		if err != nil {
			return nil
		}
		rules = append(rules, rs...)
	}
	return listsCovering(rows, publicAddrs(spec), droppedLists(rules))
}

// droppedLists names the address lists that an enabled drop, reject or
// tarpit rule (filter or raw) matches positively as its src- or
// dst-address-list: only those drop what they hold. A negated match
// (src-address-list=!allowed) drops what the list does not hold.
func droppedLists(rules []map[string]string) map[string]bool {
	out := map[string]bool{}
	for _, r := range rules {
		switch r["action"] {
		case "drop", "reject", "tarpit":
		default:
			continue
		}
		if r["disabled"] == "true" || r["disabled"] == "yes" {
			continue
		}
		for _, p := range []string{"src-address-list", "dst-address-list"} {
			if v := r[p]; v != "" && !strings.HasPrefix(v, "!") {
				out[v] = true
			}
		}
	}
	return out
}

// listsCovering says, once per list that dropped names, which entry of
// rows (address-list items as the API prints them) covers one of public.
func listsCovering(rows []map[string]string, public []publicAddr, dropped map[string]bool) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range rows {
		if seen[r["list"]] || r["disabled"] == "true" || !dropped[r["list"]] {
			continue
		}
		covers := entryCovers(r["address"])
		for _, p := range public {
			if !covers(p.addr) {
				continue
			}
			seen[r["list"]] = true
			// An entry of one address names that lab address on
			// purpose (a block list fed by hand, f72: a tarpit case's
			// blocked-addr holding the peer); the bogon explanation,
			// that a real internet host would pass, is wrong for it.
			if singleAddress(r["address"]) {
				out = append(out, fmt.Sprintf("address list %q holds %s, which is %s (%s) itself: the rule that drops this list drops that lab address", r["list"], r["address"], p.addr, p.who))
				break
			}
			out = append(out, fmt.Sprintf("address list %q holds %s, which covers %s (%s): the lab's public side uses documentation and benchmarking ranges, which bogon lists hold, so the rule that drops this list drops the lab's internet where it would let a real internet host through", r["list"], r["address"], p.addr, p.who))
			break
		}
	}
	return out
}

// singleAddress reports whether an address-list entry's address is one
// address (bare, a /32 or /128, or a range of one).
func singleAddress(v string) bool {
	if p, err := netip.ParsePrefix(v); err == nil {
		return p.IsSingleIP()
	}
	if _, err := netip.ParseAddr(v); err == nil {
		return true
	}
	lo, hi, ok := strings.Cut(v, "-")
	return ok && lo == hi
}

// entryCovers reads an address-list entry's address (an address, a
// prefix or a range a-b; a DNS name covers nothing known here).
func entryCovers(v string) func(netip.Addr) bool {
	if p, err := netip.ParsePrefix(v); err == nil {
		return p.Masked().Contains
	}
	if a, err := netip.ParseAddr(v); err == nil {
		return func(x netip.Addr) bool { return x == a }
	}
	if lo, hi, ok := strings.Cut(v, "-"); ok {
		l, err1 := netip.ParseAddr(lo)
		h, err2 := netip.ParseAddr(hi)
		if err1 == nil && err2 == nil {
			return func(x netip.Addr) bool { return l.Compare(x) <= 0 && x.Compare(h) <= 0 }
		}
	}
	return func(netip.Addr) bool { return false }
}
