package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/chrlab/chrlab/harness/runner"
	"github.com/chrlab/chrlab/harness/scenario"
)

// cmdUp brings a scenario's lab up, applies its configuration and leaves
// it running: no probe runs unless --probes asks for the scenario's steps.
// It prints the run id and what inspect prints.
func cmdUp(ctx context.Context, root string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("up", flag.ContinueOnError)
	fs.SetOutput(stderr)
	method := fs.String("method", "", "the scenario whose lab to bring up (see chrlab list)")
	file := fs.String("file", "", "a scenario file, from anywhere (its paths are relative to it)")
	router := fs.String("router", "auto", "router backend: auto, rosemu, vm or chr")
	routeros := fs.String("routeros", os.Getenv("ROUTEROS"), "RouterOS version, e.g. 7.16.2 (one)")
	chrImage := fs.String("chr-image", os.Getenv("CHR_IMAGE"), "a local CHR image to boot instead of a downloaded one")
	memory := fs.Int("memory", envInt("CHR_MEMORY"), "memory of a QEMU router in MiB")
	probes := fs.Bool("probes", false, "also run the scenario's steps, as chrlab lab --keep does, and print their table")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	s, v, code := upArgs(root, *method, *file, *routeros, fs.Args(), stderr)
	if code != 0 {
		return code
	}
	rep, err := runner.Run(ctx, runner.Options{Root: root, Scenario: s, Router: runner.Backend(*router), Up: !*probes, Keep: true, Progress: stderr,
		RouterOS: v, CHRImage: *chrImage, MemoryMiB: *memory})
	upOnly := rep.Skipped && rep.SkipReason == runner.UpReason
	if *probes || err != nil || (rep.Skipped && !upOnly) {
		rep.Table(stdout)
	}
	switch {
	case errors.Is(err, runner.ErrVersion):
		fmt.Fprintln(stderr, "chrlab up:", err)
		return 2
	case err != nil:
		fmt.Fprintln(stderr, "chrlab up:", err)
		return runErrorCode(err)
	case rep.Skipped && !upOnly:
		// No lab: the scenario does not apply to the version asked for.
		fmt.Fprintln(stderr, "chrlab up: no lab brought up:", rep.SkipReason)
		return 2
	}
	code = 0
	if *probes && !rep.Passed {
		code = 1
	}
	fmt.Fprintf(stdout, "\nrun %s is up\n\n", rep.LabRun)
	k, c := openRun(ctx, stderr, "up", rep.LabRun)
	if c != 0 {
		return c
	}
	defer k.Close()
	inspectOf(k).print(stdout, time.Now())
	return code
}

// upArgs loads the scenario up is given and checks the version: exactly
// one of --method and --file, no stray arguments, at most one version.
func upArgs(root, method, file, routeros string, extra []string, stderr io.Writer) (*scenario.Scenario, string, int) {
	if len(extra) > 0 {
		fmt.Fprintf(stderr, "chrlab up: unexpected arguments %q (give --method NAME or --file CASE.yaml)\n", extra)
		return nil, "", 2
	}
	if (method == "") == (file == "") {
		fmt.Fprintln(stderr, "chrlab up: give --method NAME or --file CASE.yaml (one of them)")
		return nil, "", 2
	}
	versions, err := runner.Versions(routeros)
	if err != nil {
		fmt.Fprintln(stderr, "chrlab up:", err)
		return nil, "", 2
	}
	if len(versions) > 1 {
		fmt.Fprintf(stderr, "chrlab up: one lab runs one RouterOS version, got %s (run chrlab up once per version)\n", strings.Join(versions, ", "))
		return nil, "", 2
	}
	s, err := loadCase(root, file, method, versions)
	if err != nil {
		fmt.Fprintln(stderr, "chrlab up:", err)
		return nil, "", 2
	}
	if len(versions) == 1 {
		return s, versions[0], 0
	}
	// As chrlab lab chooses.
	s, v, err := caseVersion(root, file, method, s, stderr, "chrlab up")
	if err != nil {
		fmt.Fprintln(stderr, "chrlab up:", err)
		return nil, "", 2
	}
	return s, v, 0
}
