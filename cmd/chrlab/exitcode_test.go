package main

import (
	"errors"
	"testing"

	"github.com/chrlab/chrlab/harness/report"
	"github.com/chrlab/chrlab/harness/ros"
)

// TestLabExitCode: a skipped run proved nothing and does not exit 0, the
// way a pass does; only a matrix version that the case's range leaves out
// is an answer.
func TestLabExitCode(t *testing.T) {
	for _, c := range []struct {
		name   string
		rep    report.Report
		err    error
		matrix bool
		want   int
	}{
		{"pass", report.Report{Passed: true}, nil, false, 0},
		{"fail", report.Report{}, nil, false, 1},
		{"refused configuration", report.Report{}, &ros.ApplyError{}, false, 2},
		{"lab could not come up", report.Report{}, errors.New("docker: no space left"), false, 3},
		{"kernel lacks a feature", report.Report{Skipped: true, SkipReason: "the router's kernel lacks ..."}, nil, false, 3},
		{"version outside the range", report.Report{Skipped: true, OutOfRange: true}, nil, false, 3},
		{"matrix version outside the range", report.Report{Skipped: true, OutOfRange: true}, nil, true, 0},
		{"matrix version the kernel cannot run", report.Report{Skipped: true}, nil, true, 3},
	} {
		if got := labExitCode(&c.rep, c.err, c.matrix); got != c.want {
			t.Errorf("%s: exit %d, want %d", c.name, got, c.want)
		}
	}
}
