package capture

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/chrlab/chrlab/harness/lab"
)

// Lab is what a capture needs of a running lab.
type Lab interface {
	InterfaceOn(ctx context.Context, member, network string) (string, error)
	Exec(ctx context.Context, node string, cmd []string) (stdout []byte, exitCode int, err error)
}

var _ Lab = (*lab.Lab)(nil)

// Session is a set of running captures.
type Session struct {
	lab     Lab
	bounds  Bounds
	running []running
}

type running struct {
	Point
	iface   string
	pid     int // 0 while paused
	segment int // the ring being written: 0, then one more per Resume
}

// Start starts a capture at every point. It starts all it can and returns
// the session with those, and an error naming the points that failed.
// The points start side by side: each waits for its tcpdump to listen.
func Start(ctx context.Context, l Lab, plan []Point, b Bounds) (*Session, error) {
	s := &Session{lab: l, bounds: b}
	started := make([]*running, len(plan))
	errs := make([]error, len(plan))
	var wg sync.WaitGroup
	for i, p := range plan {
		wg.Go(func() { started[i], errs[i] = start(ctx, l, p, b) })
	}
	wg.Wait()
	for _, r := range started {
		if r != nil {
			s.running = append(s.running, *r)
		}
	}
	return s, errors.Join(errs...)
}

// start starts the capture at one point.
func start(ctx context.Context, l Lab, p Point, b Bounds) (*running, error) {
	iface, err := l.InterfaceOn(ctx, p.Member, p.Network)
	if err != nil {
		return nil, fmt.Errorf("capture %s: %w", p.Network, err)
	}
	pid, err := startTcpdump(ctx, l, p, iface, b, 0)
	if err != nil {
		return nil, err
	}
	return &running{Point: p, iface: iface, pid: pid}, nil
}

// startTcpdump starts tcpdump writing the ring of one segment and returns
// its process id.
func startTcpdump(ctx context.Context, l Lab, p Point, iface string, b Bounds, segment int) (int, error) {
	out, code, err := l.Exec(ctx, p.Member, p.startCommand(iface, b, segment))
	if err == nil && code != 0 {
		err = fmt.Errorf("exit %d: %s", code, strings.TrimSpace(string(out)))
	}
	if err != nil {
		return 0, fmt.Errorf("capture %s: start tcpdump on %s %s: %w", p.Network, p.Member, iface, err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		return 0, fmt.Errorf("capture %s: start tcpdump on %s %s: no process id in %q", p.Network, p.Member, iface, out)
	}
	return pid, nil
}

// Pause ends every running capture, keeping what it wrote; Resume starts
// them again into new files beside those, and Stop reads both. The runner
// pauses the captures over load steps: tcpdump copies every packet, which
// took a third of the hairpin's connection rate in the lab (a hairpin
// crosses the router's LAN port twice, a direct connection not at all), and
// a load step's packets would overwrite the bounded ring, losing the
// earlier steps a failed run is read by.
func (s *Session) Pause(ctx context.Context) error {
	return s.each(func(r *running) error {
		if r.pid == 0 {
			return nil
		}
		out, code, err := s.lab.Exec(ctx, r.Member, r.StopCommand(r.pid))
		if err == nil && code != 0 {
			err = fmt.Errorf("exit %d: %s", code, strings.TrimSpace(string(out)))
		}
		if err != nil {
			return fmt.Errorf("pause the capture of %s on %s: %w", r.Network, r.Member, err)
		}
		r.pid = 0
		return nil
	})
}

// Resume starts again every capture Pause ended.
func (s *Session) Resume(ctx context.Context) error {
	return s.each(func(r *running) error {
		if r.pid != 0 {
			return nil
		}
		pid, err := startTcpdump(ctx, s.lab, r.Point, r.iface, s.bounds, r.segment+1)
		if err != nil {
			return err
		}
		r.pid, r.segment = pid, r.segment+1
		return nil
	})
}

// each runs f on every capture side by side.
func (s *Session) each(f func(*running) error) error {
	errs := make([]error, len(s.running))
	var wg sync.WaitGroup
	for i := range s.running {
		wg.Go(func() { errs[i] = f(&s.running[i]) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Describe says, one line, what is being captured where.
func (s *Session) Describe() string {
	var parts []string
	for _, r := range s.running {
		parts = append(parts, fmt.Sprintf("%s on %s %s", r.Network, r.Member, r.iface))
	}
	return strings.Join(parts, ", ")
}

// Save receives one finished capture: its name in the results folder and
// its bytes.
type Save func(name string, data []byte) error

// Stop stops every capture, so that tcpdump writes out what it holds.
// With keep nil the files stay in the containers and go with them; else
// each network's ring is read out, merged into one pcap file in time
// order and handed to keep. It returns the names kept.
func (s *Session) Stop(ctx context.Context, keep Save) ([]string, error) {
	// Stopped at once, so that every capture ends at the same moment and
	// the wait for one tcpdump to write out does not add up over networks.
	type outcome struct {
		name string
		data []byte
		err  error
	}
	outs := make([]outcome, len(s.running))
	var wg sync.WaitGroup
	for i, r := range s.running {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data, err := s.stop(ctx, r, keep != nil)
			outs[i] = outcome{name: r.File(), data: data, err: err}
		}()
	}
	wg.Wait()
	var kept []string
	var errs []error
	for _, o := range outs {
		if o.err != nil {
			errs = append(errs, o.err)
			continue
		}
		if keep == nil {
			continue
		}
		if err := keep(o.name, o.data); err != nil {
			errs = append(errs, err)
			continue
		}
		kept = append(kept, o.name)
	}
	return kept, errors.Join(errs...)
}

// stop stops one capture and, with read, returns its ring merged.
func (s *Session) stop(ctx context.Context, r running, read bool) ([]byte, error) {
	out, code, err := s.lab.Exec(ctx, r.Member, r.StopCommand(r.pid))
	if err == nil && code != 0 {
		err = fmt.Errorf("exit %d", code)
	}
	if err != nil {
		return nil, fmt.Errorf("stop the capture of %s on %s: %w", r.Network, r.Member, err)
	}
	if !read {
		return nil, nil
	}
	var ring [][]byte
	for _, f := range strings.Fields(string(out)) {
		data, code, err := s.lab.Exec(ctx, r.Member, []string{"cat", f})
		if err == nil && code != 0 {
			err = fmt.Errorf("exit %d", code)
		}
		if err != nil {
			return nil, fmt.Errorf("copy %s out of %s: %w", f, r.Member, err)
		}
		ring = append(ring, data)
	}
	if len(ring) == 0 {
		return nil, fmt.Errorf("copy the capture of %s out of %s: tcpdump wrote no file", r.Network, r.Member)
	}
	merged, err := Merge(ring)
	if err != nil {
		return nil, fmt.Errorf("merge the capture of %s: %w", r.Network, err)
	}
	return merged, nil
}
