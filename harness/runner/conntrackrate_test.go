package runner

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/harness/scenario"
)

func TestParseTracking(t *testing.T) {
	total, limit, err := parseTracking(map[string]string{"total-entries": "42", "max-entries": "262144"})
	if err != nil || total != 42 || limit != 262144 {
		t.Errorf("parse = %d %d %v, want 42 262144", total, limit, err)
	}
	// A router that prints no max-entries (rosemu where the kernel hides it) has limit 0.
	if _, limit, err := parseTracking(map[string]string{"total-entries": "1"}); err != nil || limit != 0 {
		t.Errorf("no max-entries = %d %v, want 0", limit, err)
	}
	for _, row := range []map[string]string{{}, {"total-entries": "many"}, {"total-entries": "1", "max-entries": "x"}} {
		if _, _, err := parseTracking(row); err == nil {
			t.Errorf("parse %v: want an error", row)
		}
	}
}

// fakeTable grows by one entry towards the target for each flow the fake agent sends.
type fakeTable struct {
	mu      sync.Mutex
	towards int
	other   int
	reads   int
}

func (f *fakeTable) Tracking(context.Context) (int, int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	return f.towards + f.other, 1000, nil
}

func (f *fakeTable) Towards(context.Context, netip.AddrPort) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.towards, nil
}

func TestMeasureTable(t *testing.T) {
	tab := &fakeTable{towards: 3, other: 10}
	to := netip.MustParseAddrPort("192.0.2.1:12566")
	send := func(ctx context.Context) (probe.Result, error) {
		// 300 flows over 0.3 s; the router keeps two of every three.
		for i := range 300 {
			if i%3 != 0 {
				tab.mu.Lock()
				tab.towards++
				tab.mu.Unlock()
			}
			time.Sleep(time.Millisecond)
		}
		return probe.Result{Probe: probe.KindConntrackRate, Result: probe.OK, Sent: 300, Received: 300, PerSecond: 1000, Rate: 1000}, nil
	}
	o, err := measureTable(t.Context(), tab, to, send)
	if err != nil {
		t.Fatal(err)
	}
	if o.Created != 200 || o.EntriesPerFlow != 0.667 || o.BaseEntries != 13 || o.PeakEntries != 213 || o.MaxEntries != 1000 {
		t.Errorf("observation %+v: want 200 created, 0.667/flow, table 13 -> 213 of 1000", o)
	}
	// 200 entries while 300 flows left at 1000/s (0.299 s): 669 inserts/s.
	if o.InsertsPerS < 660 || o.InsertsPerS > 675 {
		t.Errorf("inserts/s %g, want about 669", o.InsertsPerS)
	}
	if len(o.Entries) < 3 || o.Entries[len(o.Entries)-1][1] != 213 {
		t.Errorf("series %v: want several samples ending at 213", o.Entries)
	}
	for i := 1; i < len(o.Entries); i++ {
		if o.Entries[i][0] < o.Entries[i-1][0] || o.Entries[i][1] < o.Entries[i-1][1] {
			t.Errorf("series %v is not in time order or shrinks", o.Entries)
		}
	}
}

func TestMeasureTableAgentFails(t *testing.T) {
	send := func(context.Context) (probe.Result, error) {
		return probe.Result{}, errors.New("exec labagent: no such node")
	}
	if _, err := measureTable(t.Context(), &fakeTable{}, netip.MustParseAddrPort("192.0.2.1:1"), send); err == nil {
		t.Error("a failed agent run: want an error")
	}
}

func TestFillObservation(t *testing.T) {
	o := fillObservation(scenario.Observation{MaxEntries: 200, PeakEntries: 200, NewFlows: 50, NewAnswered: 0,
		EstablishedSent: 40, EstablishedAnswered: 40, EntriesPerFlow: 0.3, InsertsPerS: 90})
	if !o.Full || o.NewShare != 0 || o.EstablishedShare != 1 || o.EntriesPerFlow != 0 || o.InsertsPerS != 0 {
		t.Errorf("full table: %+v", o)
	}
	// A table below its max-entries, or a router that prints none, is not full.
	for _, c := range []scenario.Observation{{MaxEntries: 262144, PeakEntries: 520}, {PeakEntries: 520}} {
		c.NewFlows, c.NewAnswered = 50, 50
		if o := fillObservation(c); o.Full || o.NewShare != 1 {
			t.Errorf("%+v: full %v, new share %g", c, o.Full, o.NewShare)
		}
	}
}

func TestConntrackLimitArgs(t *testing.T) {
	args, why := conntrackLimitArgs(200, true)
	if why != "" || strings.Join(args, " ") != "--conntrack-max 200" {
		t.Errorf("rosemu: %q %q", args, why)
	}
	args, why = conntrackLimitArgs(200, false)
	if args != nil || !strings.Contains(why, "max-entries from the router's RAM") {
		t.Errorf("CHR: %q %q", args, why)
	}
}
