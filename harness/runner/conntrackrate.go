package runner

import (
	"context"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/harness/scenario"
)

// sampleEvery is how often a conntrack-rate step reads the router's table size: often enough to
// draw the growth of a seconds-long step, rarely enough that the API reads do not load the router.
const sampleEvery = 100 * time.Millisecond

// tableReader reads the router's connection-tracking figures; the prober reads them over the
// RouterOS API, which real RouterOS and rosemu answer alike.
type tableReader interface {
	// Tracking returns total-entries and max-entries (0 when the router prints none).
	Tracking(ctx context.Context) (total, limit int, err error)
	// Towards counts the entries whose original destination is to.
	Towards(ctx context.Context, to netip.AddrPort) (int, error)
}

// apiTable is the tableReader of a live router.
type apiTable struct{ p prober }

func (t apiTable) Tracking(ctx context.Context) (int, int, error) {
	rows, err := t.p.rc.Print(ctx, "/ip/firewall/connection/tracking")
	if err != nil {
		return 0, 0, err
	}
	if len(rows) != 1 {
		return 0, 0, fmt.Errorf("read connection tracking: the router printed %d items, want 1", len(rows))
	}
	return parseTracking(rows[0])
}

// parseTracking reads total-entries and max-entries from the tracking item.
func parseTracking(row map[string]string) (total, limit int, err error) {
	v, ok := row["total-entries"]
	if !ok {
		return 0, 0, fmt.Errorf("read connection tracking: the router printed no total-entries")
	}
	if total, err = strconv.Atoi(v); err != nil {
		return 0, 0, fmt.Errorf("read connection tracking: total-entries %q: %w", v, err)
	}
	if v, ok := row["max-entries"]; ok {
		if limit, err = strconv.Atoi(v); err != nil {
			return 0, 0, fmt.Errorf("read connection tracking: max-entries %q: %w", v, err)
		}
	}
	return total, limit, nil
}

func (t apiTable) Towards(ctx context.Context, to netip.AddrPort) (int, error) {
	r, err := t.p.rc.Run(ctx, "/ip/firewall/connection/print", "=count-only=", "?dst-address="+to.String())
	if err != nil {
		return 0, err
	}
	v := r.Done.Map["ret"]
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("count connections towards %s: the router answered count %q: %w", to, v, err)
	}
	return n, nil
}

// flowArgs are the agent arguments conntrack-rate and conntrack-fill share: the target, the
// flows to send (1000 by default), their rate (1000/s by default) and the step's timeout.
func flowArgs(st scenario.Step, to netip.AddrPort) []string {
	count := st.Count
	if count == 0 {
		count = 1000
	}
	rate := st.Rate
	if rate == "" {
		rate = "1000"
	}
	args := []string{"--to", to.String(), "--flows", strconv.Itoa(count), "--rate", rate}
	if st.Timeout > 0 {
		args = append(args, "--timeout", st.Timeout.String())
	}
	return args
}

// conntrackRate runs a conntrack-rate step: the router's count towards the target before, the
// flows from the step's host while the table's total is sampled, the count after.
func (p prober) conntrackRate(ctx context.Context, st scenario.Step, to netip.AddrPort) (scenario.Observation, error) {
	args := flowArgs(st, to)
	send := func(ctx context.Context) (probe.Result, error) {
		return probe.Exec(ctx, p.l, st.From, probe.KindConntrackRate, args...)
	}
	// Each measurement counts its own entries (before and after it) from
	// ports of its own, so one taken again stands by itself.
	o, measured, err := measureAgain(ctx, func() (scenario.Observation, error) { return measureTable(ctx, apiTable{p}, to, send) },
		func(o scenario.Observation) bool { return o.ProberBound }, proberRetryPause)
	o.Measured = measured
	return o, err
}

// conntrackFill runs a conntrack-fill step: the table is read as for conntrack-rate while the
// host keeps its established flows going, fills the table and tries new flows.
func (p prober) conntrackFill(ctx context.Context, st scenario.Step, to netip.AddrPort) (scenario.Observation, error) {
	args := flowArgs(st, to)
	if st.Established > 0 {
		args = append(args, "--established", strconv.Itoa(st.Established))
	}
	if st.NewFlows > 0 {
		args = append(args, "--new", strconv.Itoa(st.NewFlows))
	}
	send := func(ctx context.Context) (probe.Result, error) {
		return probe.Exec(ctx, p.l, st.From, probe.KindConntrackFill, args...)
	}
	o, err := measureTable(ctx, apiTable{p}, to, send)
	if err != nil {
		return o, err
	}
	return fillObservation(o), nil
}

// fillObservation adds a conntrack-fill step's own figures to the table's. The table was full
// when its total reached max-entries at a sample: a router that prints no max-entries, or one
// whose max-entries the step's flows cannot reach (a CHR, whose limit follows its RAM), is
// reported not full, which is what happened.
func fillObservation(o scenario.Observation) scenario.Observation {
	o.Full = o.MaxEntries > 0 && o.PeakEntries >= o.MaxEntries
	if o.NewFlows > 0 {
		o.NewShare = math.Round(float64(o.NewAnswered)/float64(o.NewFlows)*1000) / 1000
	}
	if o.EstablishedSent > 0 {
		o.EstablishedShare = math.Round(float64(o.EstablishedAnswered)/float64(o.EstablishedSent)*1000) / 1000
	}
	// Entries per flow and the insert rate describe conntrack-rate's stream; a fill stops
	// creating entries once full, so they would say nothing here.
	o.EntriesPerFlow, o.InsertsPerS = 0, 0
	return o
}

// measureTable counts the entries towards the target, runs send while the table's total is
// sampled every sampleEvery, counts again, and puts the figures together. A reading that fails
// fails the step: the table is what a conntrack-rate step measures.
func measureTable(ctx context.Context, t tableReader, to netip.AddrPort, send func(context.Context) (probe.Result, error)) (scenario.Observation, error) {
	before, err := t.Towards(ctx, to)
	if err != nil {
		return scenario.Observation{}, fmt.Errorf("conntrack-rate: %w", err)
	}
	var r probe.Result
	series, err := sampleTable(ctx, t, sampleEvery, func(ctx context.Context) (err error) {
		r, err = send(ctx)
		return err
	})
	if err != nil {
		return scenario.Observation{}, err
	}
	if series.failed != nil {
		return scenario.Observation{}, fmt.Errorf("conntrack-rate: sample the table: %w", series.failed)
	}
	after, err := t.Towards(ctx, to)
	if err != nil {
		return scenario.Observation{}, fmt.Errorf("conntrack-rate: %w", err)
	}
	return tableObservation(r, before, after, series), nil
}

// tableObservation puts the agent's result and the table's readings together. The insert rate
// is the entries created over the time the flows took to leave: what the router kept up with
// while it was offered r.PerSecond.
func tableObservation(r probe.Result, before, after int, series tableSeries) scenario.Observation {
	o := observe(r)
	o.Created = after - before
	series.into(&o)
	if r.Sent > 0 {
		o.EntriesPerFlow = math.Round(float64(o.Created)/float64(r.Sent)*1000) / 1000
	}
	if r.Sent > 1 && r.PerSecond > 0 {
		sending := float64(r.Sent-1) / r.PerSecond
		o.InsertsPerS = math.Round(float64(max(o.Created, 0))/sending*10) / 10
	}
	return o
}
