// Command chrlab proves RouterOS configurations with real packets.
//
//	chrlab lab --method srcnat [--router auto|rosemu] [--keep]
//	chrlab lab --file case.yaml [--routeros 6.49.18,7.16.2]
//	chrlab list
//	chrlab validate [--ports ether1,ether2] [-q] router.rsc... | scenario.yaml
//	chrlab images
//	chrlab up (--method NAME | --file CASE.yaml) [--router ...] [--probes]
//	chrlab ls | inspect RUN | exec RUN NODE -- CMD | probe RUN ... | down [RUN...|--all]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"

	tclog "github.com/testcontainers/testcontainers-go/log"

	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/harness/report"
	"github.com/chrlab/chrlab/harness/ros"
	"github.com/chrlab/chrlab/harness/runner"
	"github.com/chrlab/chrlab/harness/scenario"
	"github.com/chrlab/chrlab/internal/embedded"
	"github.com/chrlab/chrlab/internal/progress"
)

func main() {
	if runRole() {
		return
	}
	// Ctrl-C cancels the context; every step then cleans up what it made
	// with a context of its own.
	// testcontainers prints a banner through its global logger; the
	// progress lines of chrlab say what matters.
	tclog.SetDefault(tclog.NewNoopLogger())
	survivePipes()
	ctx, stop := signal.NotifyContext(context.Background(), interrupts...)
	code := run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		usage()
		return 2
	}
	// validate needs no repository: it checks a user's own file.
	if args[0] == "validate" {
		// Without a checkout, a case naming a lab of labs/ finds the embedded one.
		_, _ = repoRoot()
		return cmdValidate(ctx, args[1:], os.Stdout, os.Stderr)
	}
	// The verbs on running labs need no repository either (verbs.go).
	if code, ok := runLabVerb(ctx, args, os.Stdout, os.Stderr); ok {
		return code
	}
	root, err := repoRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "chrlab:", err)
		return 2
	}
	switch args[0] {
	case "lab":
		return cmdLab(ctx, root, args[1:])
	case "check":
		return cmdCheck(ctx, root, args[1:])
	case "list":
		names, err := scenario.Names(root)
		if err != nil {
			fmt.Fprintln(os.Stderr, "chrlab:", err)
			return 1
		}
		fmt.Println("scenarios:", strings.Join(names, ", "))
		return 0
	case "images":
		// ROUTER=vm or chr also builds the chr image (QEMU, the kernel,
		// e2fsprogs), so that CI can build it in a step of its own.
		qemu := os.Getenv("ROUTER") == "vm" || os.Getenv("ROUTER") == "chr"
		pw := progress.For(os.Stderr)
		imgs, err := images.Ensure(ctx, images.Options{Root: root, Progress: pw, VM: qemu})
		pw.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, "chrlab:", err)
			return 1
		}
		fmt.Printf("base   %s\nhost   %s\nrosemu %s\n", imgs.Base, imgs.Host, imgs.Rosemu)
		return 0
	case "up":
		return cmdUp(ctx, root, args[1:], os.Stdout, os.Stderr)
	default:
		usage()
		return 2
	}
}

// envInt reads a whole number from the environment; 0 when unset or not a
// number (the flag's own parsing then reports nothing, so say it here).
func envInt(name string) int {
	v := os.Getenv(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		fmt.Fprintf(os.Stderr, "chrlab: ignoring %s=%q: not a number of MiB\n", name, v)
		return 0
	}
	return n
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: chrlab lab (--method NAME | --file CASE.yaml) [--router auto|rosemu|vm|chr] [--routeros VERSION[,VERSION...]] [--chr-image FILE] [--keep] [--pcap] | validate FILE | check EXPORT.rsc | list | images | up (--method NAME | --file CASE.yaml) | ls | inspect RUN | exec RUN NODE -- CMD | probe RUN STEP | down [RUN...|--all]")
}

func cmdLab(ctx context.Context, root string, args []string) int {
	fs := flag.NewFlagSet("lab", flag.ContinueOnError)
	method := fs.String("method", "", "the scenario to run (see chrlab list)")
	file := fs.String("file", "", "a scenario file to run, from anywhere (its paths are relative to it)")
	router := fs.String("router", "auto", "router backend: auto, rosemu, vm or chr")
	routeros := fs.String("routeros", os.Getenv("ROUTEROS"), "RouterOS version, e.g. 7.16.2, or several (6.49.18,7.16.2) to run the case on each")
	chrImage := fs.String("chr-image", os.Getenv("CHR_IMAGE"), "a local CHR image to boot instead of a downloaded one")
	keep := fs.Bool("keep", false, "leave the lab running after the run")
	pcap := fs.Bool("pcap", os.Getenv("PCAP") != "", "keep a packet capture of every lab network in results/<run>/pcap/, also when the run passes (a run that does not pass keeps them anyway), load steps included (without it they are not captured: docs/capture.md)")
	memory := fs.Int("memory", envInt("CHR_MEMORY"), "memory of a QEMU router in MiB (default: MikroTik's guidance, 512 + 8 x CPUs x (interfaces - 1) for v7)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if (*method == "") == (*file == "") {
		fmt.Fprintln(os.Stderr, "chrlab lab: give --method NAME or --file CASE.yaml (one of them)")
		return 2
	}
	versions, err := runner.Versions(*routeros)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chrlab:", err)
		return 2
	}
	s, err := loadCase(root, *file, *method, versions)
	if err != nil {
		// A case that does not load is bad input, like an unknown name.
		fmt.Fprintln(os.Stderr, "chrlab:", err)
		return 2
	}
	if len(versions) == 0 {
		versions = []string{""}
		if *chrImage == "" {
			var v string
			if s, v, err = caseVersion(root, *file, *method, s, os.Stderr, "chrlab"); err != nil {
				fmt.Fprintln(os.Stderr, "chrlab:", err)
				return 2
			}
			versions = []string{v}
		}
	}
	var reps []*report.Report
	code := 0
	for _, v := range versions {
		if len(versions) > 1 {
			fmt.Fprintf(os.Stderr, "\n=== RouterOS %s ===\n", v)
		}
		// On a terminal the progress is one line redrawn in place, cleared
		// before the table; in a log, the lines as they come.
		pw := progress.For(os.Stderr)
		rep, err := runner.Run(ctx, runner.Options{Root: root, Scenario: s, Router: runner.Backend(*router), Keep: *keep, Progress: pw,
			RouterOS: v, CHRImage: *chrImage, MemoryMiB: *memory, PCAP: *pcap})
		pw.Close()
		rep.Table(os.Stdout)
		reps = append(reps, rep)
		if err != nil {
			fmt.Fprintln(os.Stderr, "chrlab:", err)
			if errors.Is(err, runner.ErrVersion) {
				return 2
			}
		}
		code = max(code, labExitCode(rep, err, len(versions) > 1))
		if ctx.Err() != nil {
			break
		}
	}
	if len(versions) > 1 {
		report.Matrix(os.Stdout, versions, reps)
	}
	return code
}

// repoRoot finds the repository (labs/, images/) from the working directory, or else from
// where the chrlab binary lives, so that "chrlab lab --file" runs a case kept anywhere;
// with neither, the files embedded in chrlab (written out once to a cache folder).
func repoRoot() (string, error) {
	root, err := scenario.Root()
	if err == nil {
		return root, nil
	}
	// No checkout: an installed chrlab runs from the copy embedded in it.
	tree, terr := embedded.Tree()
	if terr != nil {
		return "", errors.Join(err, terr)
	}
	scenario.Fallback = tree
	return tree, nil
}

// runErrorCode is the exit code of a run that could not finish: 2 when
// the router refused the configuration (bad input, as at load), 3 when the
// lab itself could not run.
// labExitCode is chrlab lab's exit status for one run: 0 when every
// expectation held, 1 when one did not, 2 for refused input, 3 when the
// run proved nothing.
func labExitCode(rep *report.Report, err error, matrix bool) int {
	switch {
	case err != nil:
		return runErrorCode(err)
	case rep.Skipped && !(rep.OutOfRange && matrix):
		// A skip is not a pass: nothing was proven. A version of a
		// matrix that the case's own range leaves out is the one skip
		// that is an answer (the matrix shows it).
		return 3
	case !rep.Passed && !rep.Skipped:
		return 1
	}
	return 0
}

func runErrorCode(err error) int {
	var ae *ros.ApplyError
	if errors.As(err, &ae) {
		return 2
	}
	return 3
}

// caseVersion is the version a case runs as when none was asked for,
// scenario.RunVersion's choice (the configuration's own version, else one
// of the case's range when the range leaves out the default), the one
// chrlab validate checks a case as; "" (the default) and s as it is
// otherwise. who starts the line that says which version and why.
func caseVersion(root, file, method string, s *scenario.Scenario, stderr io.Writer, who string) (*scenario.Scenario, string, error) {
	v, why := s.RunVersion()
	if v == "" {
		return s, "", nil
	}
	fmt.Fprintf(stderr, "%s: running RouterOS %s (%s; --routeros to choose)\n", who, v, why)
	if s.ConfigVersion() != "" {
		// Loaded without a version, the case was checked as RunVersion
		// already (CheckConfig), which is this version.
		return s, v, nil
	}
	// A version of the case's range: the load skipped the offline check,
	// the default being outside the range, so the case is loaded again
	// and its configuration checked as that router would.
	s, err := loadCase(root, file, method, []string{v})
	return s, v, err
}

// loadCase loads the case file, or else the scenario method of root,
// checking its configuration as each of versions would (none: the default).
func loadCase(root, file, method string, versions []string) (*scenario.Scenario, error) {
	if file != "" {
		return scenario.LoadFileAs(file, versions)
	}
	return scenario.LoadAs(root, method, versions)
}
