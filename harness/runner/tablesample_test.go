package runner

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

// stepTable answers total-entries from a list, one value per reading, repeating the last; the
// readings whose index is in fail answer an error.
type stepTable struct {
	mu     sync.Mutex
	values []int
	fail   map[int]bool
	n      int
}

func (s *stepTable) Tracking(context.Context) (int, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.n
	s.n++
	if s.fail[i] {
		return 0, 0, errors.New("print /ip/firewall/connection/tracking: connection reset")
	}
	return s.values[min(i, len(s.values)-1)], 4096, nil
}

func (s *stepTable) Towards(context.Context, netip.AddrPort) (int, error) { return 0, nil }

func TestSampleTable(t *testing.T) {
	tab := &stepTable{values: []int{10, 50, 900, 400, 30}, fail: map[int]bool{2: true}}
	s, err := sampleTable(t.Context(), tab, 2*time.Millisecond, func(context.Context) error {
		for tab.readings() < 6 {
			time.Sleep(time.Millisecond)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The reading before the probe is the start; the one after it the end.
	if s.start != 10 || s.peak != 400 || s.last != 30 || s.limit != 4096 {
		t.Errorf("series start %d peak %d last %d limit %d: want 10, 400 (900 was a failed reading), 30, 4096", s.start, s.peak, s.last, s.limit)
	}
	if s.missed != 1 || s.failed == nil || !strings.Contains(s.failed.Error(), "connection reset") {
		t.Errorf("missed %d (%v): want the one failed reading counted", s.missed, s.failed)
	}
	if len(s.points) != tab.n-1 || s.points[0] != [2]float64{0, 10} || s.points[len(s.points)-1][1] != 30 {
		t.Errorf("points %v of %d readings: want every good reading, from 10 to 30", s.points, tab.n)
	}
	for i := 1; i < len(s.points); i++ {
		if s.points[i][0] < s.points[i-1][0] {
			t.Errorf("points %v are not in time order", s.points)
		}
	}
}

// TestSampleTableBounded: a step longer than maxSamples readings keeps at most maxSamples points
// over its whole span, and the peak even when thinning dropped the reading that saw it.
func TestSampleTableBounded(t *testing.T) {
	values := make([]int, 3*maxSamples)
	for i := range values {
		values[i] = i % 7
	}
	values[1] = 1_000_000 // read once, early: thinned out of the points, kept as the peak
	tab := &stepTable{values: values}
	s, err := sampleTable(t.Context(), tab, 50*time.Microsecond, func(context.Context) error {
		for tab.readings() < 2*maxSamples {
			time.Sleep(time.Millisecond)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.points) >= maxSamples || len(s.points) < maxSamples/4 {
		t.Errorf("%d points after %d readings: want fewer than %d", len(s.points), tab.n, maxSamples)
	}
	if s.peak != 1_000_000 {
		t.Errorf("peak %d: want the early reading's 1000000", s.peak)
	}
	if s.points[0][0] != 0 {
		t.Errorf("the series no longer starts at the first reading: %v", s.points[0])
	}
}

func (s *stepTable) readings() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func TestSampleTableProbeFails(t *testing.T) {
	want := errors.New("exec labagent: no such node")
	_, err := sampleTable(t.Context(), &stepTable{values: []int{1}}, time.Millisecond, func(context.Context) error { return want })
	if !errors.Is(err, want) {
		t.Errorf("err %v: want the probe's error", err)
	}
}

func TestEntriesCSV(t *testing.T) {
	got := string(entriesCSV([][2]float64{{0, 12}, {0.2004, 830}, {1.25, 4090}}))
	if want := "seconds,entries\n0.000,12\n0.200,830\n1.250,4090\n"; got != want {
		t.Errorf("csv %q, want %q", got, want)
	}
}

func TestConnObservation(t *testing.T) {
	rows := []map[string]string{
		{"srcnat": "true", "dstnat": "true"},  // a hairpin connection
		{"srcnat": "false", "dstnat": "true"}, // the port forward from outside
		{"dstnat": "true"},
	}
	o := connObservation(rows)
	if o.Count != 3 || o.DstNATed != 3 || o.SrcNATed != 1 || o.BothNATed != 1 || o.NAT != "both" {
		t.Errorf("observation %+v: want 3 entries, 3 dst-nat, 1 src-nat, 1 both, nat both", o)
	}
	if o := connObservation(nil); o.Count != 0 || o.NAT != "" {
		t.Errorf("no rows: %+v", o)
	}
}

func TestFromSource(t *testing.T) {
	rows := []map[string]string{
		{"src-address": "192.168.88.20:40001", "protocol": "tcp"},
		{"src-address": "192.168.88.21:40001", "protocol": "tcp"},
		{"src-address": "192.168.88.20", "protocol": "icmp"},
		{"src-address": "192.168.88.200:1", "protocol": "tcp"}, // a longer address with the same start
		{"protocol": "tcp"},
	}
	got := fromSource(rows, netip.MustParseAddr("192.168.88.20"))
	if len(got) != 2 || got[0]["protocol"] != "tcp" || got[1]["protocol"] != "icmp" {
		t.Errorf("rows from 192.168.88.20: %v, want the tcp and the icmp one", got)
	}
}
