package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/runner"
)

// findRun finds a running lab by its run id (or its results folder's
// name). The exit code is 2 for an id that names no lab (bad input, the
// running ones listed) and 3 when the Docker engine cannot be asked.
func findRun(ctx context.Context, stderr io.Writer, verb, run string) (lab.RunInfo, int) {
	info, err := lab.FindRun(ctx, run)
	if err != nil {
		fmt.Fprintf(stderr, "chrlab %s: %v\n", verb, err)
		if errors.Is(err, lab.ErrNoRun) {
			return info, 2
		}
		return info, 3
	}
	return info, 0
}

// openRun finds a running lab and attaches to it.
func openRun(ctx context.Context, stderr io.Writer, verb, run string) (*runner.Kept, int) {
	info, code := findRun(ctx, stderr, verb, run)
	if code != 0 {
		return nil, code
	}
	k, err := runner.OpenKept(ctx, info)
	if err != nil {
		fmt.Fprintf(stderr, "chrlab %s: %v\n", verb, err)
		return nil, 3
	}
	return k, 0
}

// splitRunArgs separates the flags of a verb from its positional
// arguments, which Go's flag package stops at: `inspect RUN --json` reads
// like `inspect --json RUN`. Everything after "--" is left alone.
func splitRunArgs(args []string, boolFlags ...string) (flags, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(rest, args[i:]...)
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			rest = append(rest, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") || contains(boolFlags, name) {
			continue
		}
		if i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return flags, rest
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// age says how long ago t was, to the second under a minute and coarser
// above.
func age(now, t time.Time) string {
	if t.IsZero() {
		return "?"
	}
	d := now.Sub(t).Round(time.Second)
	switch {
	case d < time.Minute:
		return d.String()
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	default:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	}
}
