package report

import (
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

func TestNiceStep(t *testing.T) {
	for _, c := range []struct {
		span float64
		n    int
		want float64
	}{{100, 4, 50}, {10, 4, 5}, {1, 5, 0.2}, {2, 5, 0.5}, {4100, 4, 2000}, {0, 4, 1}, {3, 4, 1}} {
		if got := niceStep(c.span, c.n); got != c.want {
			t.Errorf("niceStep(%g, %d) = %g, want %g", c.span, c.n, got, c.want)
		}
	}
}

// TestEntriesPoints pins the chart's geometry: the plot area runs from x 70 to 540 and from y 180
// (the axis' low end) up to 15.
func TestEntriesPoints(t *testing.T) {
	for _, c := range []struct {
		name string
		pts  [][2]float64
		want string
	}{
		// A table that grows from empty: the y axis starts at 0.
		{"from zero", [][2]float64{{0, 0}, {0.5, 50}, {1, 100}}, "70.0,180.0 305.0,97.5 540.0,15.0"},
		// A large table that hardly moves: the y axis spans 5000..5010, not 0..5010, so the
		// change shows.
		{"hardly moves", [][2]float64{{0, 5000}, {1, 5010}, {2, 5005}}, "70.0,180.0 305.0,15.0 540.0,97.5"},
		// One reading: a flat series still gets an axis of its own and a point.
		{"one reading", [][2]float64{{0, 7}}, "70.0,180.0"},
		// A table of one or two entries: ticks are whole entries, so 0..2 by 1.
		{"small", [][2]float64{{0, 2}, {2, 1}}, "70.0,15.0 540.0,97.5"},
		{"empty", nil, ""},
	} {
		if got := entriesPoints(c.pts); got != c.want {
			t.Errorf("%s: points %q, want %q", c.name, got, c.want)
		}
	}
}

func TestEntriesPlot(t *testing.T) {
	s := scenario.StepResult{Index: 5, Probe: scenario.CPS, From: "client2", To: "router.wan:12566",
		Seen: scenario.Observation{Result: "ok", BaseEntries: 0, PeakEntries: 100, EndEntries: 100, Entries: [][2]float64{{0, 0}, {0.5, 50}, {1, 100}}}}
	svg := string(entriesPlot(s))
	for _, want := range []string{
		`<figure class="entries">`, "Step 5 cps client2 → router.wan:12566", "start 0, peak 100, end 100 entries",
		`points="70.0,180.0 305.0,97.5 540.0,15.0"`, `>seconds</text>`, `>entries</text>`,
		// y ticks 0, 50, 100 and x ticks 0 to 1 by 0.2, each labelled
		`text-anchor="end">0</text>`, `text-anchor="end">50</text>`, `text-anchor="end">100</text>`,
		`text-anchor="middle">0.2</text>`, `text-anchor="middle">1</text>`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "<script") {
		t.Error("the chart has a script")
	}
	s.Seen.Entries = nil
	if got := entriesPlot(s); got != "" {
		t.Errorf("a step without readings got a chart: %s", got)
	}
}

func TestEntriesLine(t *testing.T) {
	s := scenario.StepResult{Index: 3, Probe: scenario.Flow, From: "client2", To: "router.wan:12566",
		Seen: scenario.Observation{BaseEntries: 4, PeakEntries: 6, EndEntries: 5, Entries: [][2]float64{{0, 4}, {1.5, 6}, {3.2, 5}}}}
	want := "connection table during step 3 (flow client2 → router.wan:12566): 4 entries at the start, peak 6, 5 at the end; 3 readings over 3.2s in probes/03-flow.entries.csv"
	if got := entriesLine(s); got != want {
		t.Errorf("line %q, want %q", got, want)
	}
	s.Seen = scenario.Observation{EntriesMissed: 15, EntriesError: "print /ip/firewall/connection/tracking: EOF"}
	if got := entriesLine(s); !strings.Contains(got, "not sampled, 15 readings failed (first: print") {
		t.Errorf("line %q: want the failure", got)
	}
	if got := entriesLine(scenario.StepResult{Index: 1, Probe: scenario.TCP}); got != "" {
		t.Errorf("a tcp step got a line: %q", got)
	}
}
