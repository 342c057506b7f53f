package runner

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/chrlab/chrlab/harness/capture"
	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/report"
	statusline "github.com/chrlab/chrlab/internal/progress"
)

// startCapture starts tcpdump on every lab network for the whole run and
// returns the function that stops it once the run's outcome is known.
// Every run captures, because a failure cannot be foreseen; the files are
// kept when asked (--pcap) or when the run did not pass (an error, an
// interrupt, a step that failed), and otherwise go with the containers.
// Capturing is evidence, not the test: a capture that cannot start is
// reported and the run goes on, except when --pcap asked for it.
//
// The returned pauser ends the captures before a load step and starts them
// again before the next probe of another kind, unless --pcap asked for
// everything (capture.Session.Pause says why).
func startCapture(ctx context.Context, o Options, rep *report.Report, l *lab.Lab, progress func(string, ...any)) (stop func(runErr error) error, p *capturePauser, err error) {
	s, err := capture.Start(ctx, l, capture.Plan(l.Spec), capture.DefaultBounds)
	if !o.PCAP {
		p = &capturePauser{s: s, progress: progress}
	}
	if err != nil {
		progress("capture: %v", err)
		if o.PCAP {
			err = fmt.Errorf("start the packet captures --pcap asked for: %w", err)
		} else {
			err = nil
		}
	}
	if d := s.Describe(); d != "" {
		progress("capturing %s", d)
	}
	return func(runErr error) error {
		// Its own context: on Ctrl-C the captures matter most, and the
		// run's context is already cancelled.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 60*time.Second)
		defer cancel()
		statusline.Status(o.Progress, "stopping the packet captures")
		var save capture.Save
		if o.PCAP || runErr != nil || ctx.Err() != nil || anyFailed(rep) {
			save = rep.Save
		}
		kept, err := s.Stop(cctx, save)
		if err != nil {
			progress("capture: %v", err)
		}
		if len(kept) > 0 {
			progress("kept %d packet captures in %s", len(kept), filepath.Join(rep.Dir, "pcap"))
		}
		if !o.PCAP {
			return nil
		}
		return err
	}, p, err
}

// capturePauser pauses the run's captures from a load step until the
// next probe that is not one: consecutive load steps (a cps, then iperf
// runs) share one pause, as each pause and restart costs a few tenths of
// a second. Capturing is evidence, not the test: a pause or restart that
// fails is reported and the run goes on.
type capturePauser struct {
	s        *capture.Session
	progress func(string, ...any)
}

// before is called before every probe: load says whether it is a load step.
func (c *capturePauser) before(ctx context.Context, load bool) {
	if c == nil {
		return
	}
	f := c.s.Resume
	if load {
		f = c.s.Pause
	}
	if err := f(ctx); err != nil {
		c.progress("capture: %v", err)
	}
}

func anyFailed(rep *report.Report) bool {
	for _, s := range rep.Steps {
		// A rate figure the report excuses (rep.Finish) fails nothing.
		if !s.OK && report.NotJudged(rep.Licence, s) == "" {
			return true
		}
	}
	return false
}
