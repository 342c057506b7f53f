package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

func steps() []scenario.StepResult {
	return []scenario.StepResult{
		{Index: 1, Probe: scenario.TCP, From: "client1", To: "router.wan:12566", OK: true, Seen: scenario.Observation{Result: "ok", ServerSaw: "192.168.88.1"}},
		{Index: 2, Probe: scenario.Iperf, ID: "direct", OK: true, Seen: scenario.Observation{Result: "ok", BitsPerSecond: 10e9}},
		{Index: 3, Probe: scenario.Iperf, ID: "hairpin", OK: true, Seen: scenario.Observation{Result: "ok", BitsPerSecond: 8e9}},
	}
}

func TestFinish(t *testing.T) {
	r := &Report{Scenario: "srcnat", Steps: steps()}
	r.Finish()
	if !r.Passed || r.Throughput == nil || r.Throughput.Ratio != 0.8 {
		t.Fatalf("passed %v, throughput %+v; want a pass with ratio 0.8", r.Passed, r.Throughput)
	}

	// One failed step fails the run, and the table says why.
	r = &Report{Scenario: "srcnat", Steps: steps()}
	r.Steps[0].OK, r.Steps[0].Why = false, "result timeout, expected ok"
	r.Finish()
	var out bytes.Buffer
	r.Table(&out)
	if r.Passed || !strings.Contains(out.String(), "result timeout, expected ok") || !strings.Contains(out.String(), "VERDICT: FAIL") {
		t.Fatalf("a failed step: passed %v, table:\n%s", r.Passed, out.String())
	}

	// A run that could not finish fails whatever its steps say.
	r = &Report{Scenario: "srcnat", Steps: steps(), Error: "router rejected the configuration"}
	r.Finish()
	if r.Passed {
		t.Fatal("a run with an error passed")
	}
}

// TestHeadingAndCount (forum32 D8): a case without title: has no dangling
// dash in the table, report.md or report.html, and one step is "the 1
// expectation"; the controls: a title keeps "name — title", and three
// steps say "all 3 expectations".
func TestHeadingAndCount(t *testing.T) {
	one := &Report{Scenario: "solo", Run: "r1", Router: "rosemu", Steps: steps()[:1]}
	one.Finish()
	var out bytes.Buffer
	one.Table(&out)
	md := string(one.Markdown())
	page, err := one.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "—") || strings.Contains(md, "—") || strings.Contains(string(page), "solo —") {
		t.Errorf("a case without a title has a dangling dash:\n%s\n%s", out.String(), md)
	}
	if !strings.Contains(out.String(), "\nsolo (router: rosemu)\n") || !strings.Contains(out.String(), "VERDICT: PASS solo: the 1 expectation held") {
		t.Errorf("table:\n%s", out.String())
	}
	three := &Report{Scenario: "srcnat", Title: "hairpin NAT", Run: "r1", Router: "rosemu", Steps: steps()}
	three.Finish()
	out.Reset()
	three.Table(&out)
	if !strings.Contains(out.String(), "srcnat — hairpin NAT (router: rosemu)") || !strings.Contains(out.String(), "all 3 expectations held") ||
		!strings.Contains(string(three.Markdown()), "srcnat — hairpin NAT") {
		t.Errorf("with a title and three steps:\n%s", out.String())
	}
}

// A hairpin measured again beside direct reports the pair it was judged
// on: the summary's direct figure and ratio are the second direct run's,
// and the TIME column says so.
func TestFinishRatioMeasuredAgain(t *testing.T) {
	r := &Report{Scenario: "srcnat", Steps: steps()}
	h := &r.Steps[2]
	h.Expect = scenario.Expect{RatioTo: "direct", Min: 0.25}
	h.Seen.Measured, h.RatioRef = 2, &scenario.Observation{Result: "ok", BitsPerSecond: 16e9}
	r.Finish()
	if tp := r.Throughput; tp == nil || tp.DirectBps != 16e9 || tp.Ratio != 0.5 || !tp.DirectAgain {
		t.Fatalf("throughput %+v, want direct 16e9 measured again and ratio 0.5", r.Throughput)
	}
	var out bytes.Buffer
	r.Table(&out)
	for _, want := range []string{"[measured 2 times; direct measured again before the last: 16.00 Gbit/s]", "direct LAN 16.00 Gbit/s (measured again right before hairpin's last run), hairpin/direct 50%"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
	// Measured once: the direct step's own figure.
	r = &Report{Scenario: "srcnat", Steps: steps()}
	r.Finish()
	if r.Throughput.DirectAgain || r.Throughput.DirectBps != 10e9 {
		t.Fatalf("throughput %+v, want the direct step's own figure", r.Throughput)
	}
}

func TestFinishLicenceBound(t *testing.T) {
	r := &Report{Scenario: "srcnat", Steps: steps(), Licence: "licence-bound: CHR free licence, 1 Mbit/s per interface"}
	r.Steps[2].OK, r.Steps[2].Why = false, "result timeout, expected ok"
	r.Finish()
	if !r.Passed {
		t.Fatal("a licence-bound throughput step failed the run")
	}
	if r.Throughput.Ratio != 0 {
		t.Fatalf("ratio %v computed from licence-capped figures", r.Throughput.Ratio)
	}
	// An iperf whose traffic did not get through is a connectivity
	// failure, whatever caps the router's rate.
	r = &Report{Scenario: "srcnat", Steps: steps(), Licence: "emulator-bound"}
	r.Steps[2].OK, r.Steps[2].Why, r.Steps[2].Seen = false, "result timeout, expected ok", scenario.Observation{Result: "timeout"}
	r.Finish()
	if r.Passed {
		t.Fatal("a hairpin iperf that timed out passed on a rate-bound router")
	}
	// A rate above the step's ceiling is no emulator's doing: judged
	// (forum57 D6), where one below its floor is not.
	for _, tc := range []struct {
		bps    float64
		passed bool
	}{{2.57e9, false}, {0.5e6, true}} {
		r = &Report{Scenario: "srcnat", Steps: steps(), Licence: "emulator-bound"}
		h := &r.Steps[2]
		h.Expect = scenario.Expect{Result: "ok", MaxGbps: 0.003, MinGbps: 0.001}
		h.OK, h.Seen.Result, h.Seen.BitsPerSecond = false, "ok", tc.bps
		r.Finish()
		if r.Passed != tc.passed {
			t.Errorf("emulator-bound iperf of %g bit/s against 0.001..0.003 Gbit/s: passed %v, want %v", tc.bps, r.Passed, tc.passed)
		}
	}
	// Connectivity still counts.
	r = &Report{Scenario: "srcnat", Steps: steps(), Licence: "licence-bound"}
	r.Steps[0].OK = false
	r.Finish()
	if r.Passed {
		t.Fatal("a failed connectivity step passed on a licence-bound router")
	}
}

func TestFinishProberBound(t *testing.T) {
	cps := func(bound bool, result string) *Report {
		st := append(steps(), scenario.StepResult{Index: 4, Line: 47, Probe: scenario.CPS, From: "client1", To: "router.wan:12566",
			Expect: scenario.Expect{Result: "ok"}, OK: false, Why: "223 connections/s, expected at least 450",
			Seen: scenario.Observation{Result: result, Mode: "open", Rate: 500, PerSecond: 223, ProberBound: bound, Measured: 3}})
		return &Report{Scenario: "srcnat", Run: "r1", Steps: st}
	}
	// The prober could not keep its schedule: the figures are the
	// machine's, so the step is labelled and the run passes, saying so.
	r := cps(true, "ok")
	r.Finish()
	var out bytes.Buffer
	r.Table(&out)
	if !r.Passed || r.Steps[3].NotJudged == "" {
		t.Fatalf("a prober-bound cps step: passed %v, not judged %q; want a pass with the step not judged", r.Passed, r.Steps[3].NotJudged)
	}
	for _, want := range []string{"VERDICT: PASS srcnat: 3 of 4 expectations held, 1 not judged", "– not judged", "step 4 (line 47): not judged, prober-bound", "223 connections/s, expected at least 450", "measured 3 times"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
	if x, err := JUnit("t", r); err != nil || !strings.Contains(string(x), "<skipped message=\"not judged, prober-bound") || strings.Contains(string(x), "<failure") {
		t.Errorf("JUnit of a not judged step (err %v): want it skipped, not failed:\n%s", err, x)
	}
	// The control: the same figures from a prober that kept up fail.
	r = cps(false, "ok")
	r.Finish()
	if r.Passed || r.Steps[3].NotJudged != "" {
		t.Fatal("a cps step below its bound passed although its prober kept its schedule")
	}
	// Connections that did not get through fail, however busy the prober.
	r = cps(true, "timeout")
	r.Finish()
	if r.Passed {
		t.Fatal("a prober-bound cps step whose connections timed out passed")
	}
}

// A conntrack-rate step whose prober fell behind is not judged on its
// insert rate and failures, but still on what it counted in the table.
func TestFinishFlowRateProberBound(t *testing.T) {
	fr := func(bound bool, perFlow float64) *Report {
		st := append(steps(), scenario.StepResult{Index: 4, Line: 43, Probe: scenario.ConntrackRate, From: "client1", To: "server:12566",
			Expect: scenario.Expect{Result: "ok", EntriesPerFlow: "== 1", MinInsertsPerS: 1000}, OK: false, Why: "412 conntrack inserts/s, expected at least 1000",
			Seen: scenario.Observation{Result: "ok", PerSecond: 412, InsertsPerS: 412, EntriesPerFlow: perFlow, ProberBound: bound, CPUPercent: 35, Measured: 3}})
		return &Report{Scenario: "conntrack-rate", Run: "r1", Steps: st}
	}
	r := fr(true, 1)
	r.Finish()
	var out bytes.Buffer
	r.Table(&out)
	if !r.Passed || r.Steps[3].NotJudged == "" || !strings.Contains(out.String(), "412 inserts/s [prober-bound: 35% CPU, measured 3 times]") {
		t.Fatalf("a prober-bound conntrack-rate step: passed %v, not judged %q:\n%s", r.Passed, r.Steps[3].NotJudged, out.String())
	}
	// The controls: a prober that kept up fails, and so does a table that
	// did not make one entry per flow, however busy the prober.
	for name, r := range map[string]*Report{"kept up": fr(false, 1), "entries per flow": fr(true, 0.9)} {
		r.Finish()
		if r.Passed || r.Steps[3].NotJudged != "" {
			t.Errorf("%s: passed %v, not judged %q; want a failure", name, r.Passed, r.Steps[3].NotJudged)
		}
	}
}

func TestOutages(t *testing.T) {
	zero, none, held := 0.4, -1.0, 1.3
	r := &Report{Scenario: "ip-cloud", Steps: []scenario.StepResult{
		{Index: 1, Probe: scenario.TCP, OK: true, Outage: &zero}, // before the renumbering: not an outage
		{Index: 2, Action: scenario.RenumberWAN, OK: true, Renumber: &scenario.Renumbered{Old: "203.0.113.2", New: "203.0.113.3"}},
		{Index: 3, Probe: scenario.TCP, From: "client1", To: "router.wan:12566", OK: true, Outage: &zero},
		{Index: 4, Probe: scenario.TCP, From: "peer", To: "router.wan:12566", OK: false, Outage: &none},
		// review44 #3: a within step whose first try after the renumbering held has
		// held_after_s and no outage_s; it is still an outage (the old address is gone).
		{Index: 5, Probe: scenario.TCP, From: "client2", To: "router.wan:12566", OK: true, HeldAfter: &held},
		// Control: a step without within has neither and is no outage.
		{Index: 6, Probe: scenario.TCP, From: "client3", To: "router.wan:12566", OK: true},
	}}
	r.Finish()
	if len(r.Outages) != 3 || r.Outages[0].Step != 3 || r.Outages[1].Seconds != -1 || r.Outages[2].Step != 5 || r.Outages[2].Seconds != held {
		t.Fatalf("outages = %+v", r.Outages)
	}
	var out bytes.Buffer
	r.Table(&out)
	for _, want := range []string{"WAN 203.0.113.2 → 203.0.113.3", "recovered 0.4s after the new lease (step 3)", "peer → router.wan:12566 did not recover (step 4)", "client2 → router.wan:12566 recovered 1.3s after the new lease (step 5)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

// A PPPoE WAN's renumbering is a new session, not a lease (f69 N1): the
// lines under the table say the new address.
func TestOutagesPPPoE(t *testing.T) {
	zero := 0.1
	r := &Report{Scenario: "pppoe-renumber", Steps: []scenario.StepResult{
		{Index: 1, Action: scenario.RenumberWAN, OK: true, Renumber: &scenario.Renumbered{Old: "203.0.113.2", New: "203.0.113.3", LeaseAfter: 2.1, PPPoE: true}},
		{Index: 2, Probe: scenario.TCP, From: "peer", To: "router.wan:12566", OK: true, Outage: &zero},
	}}
	r.Finish()
	var out bytes.Buffer
	r.Table(&out)
	for _, want := range []string{"the router held the new address (its PPPoE client dialled again) after 2.1s", "recovered 0.1s after the new address (step 2)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "lease") {
		t.Errorf("a PPPoE renumbering is called a lease:\n%s", out.String())
	}
}

// A connection-table probe that also read a rule's counter keeps its own
// summary in the SEEN column, the counter after it (forum43 D5: the
// column showed only the counter, hiding that 80 of 100 flows failed).
func TestSawTextKeepsFlowsBesideCounter(t *testing.T) {
	for _, c := range []struct {
		probe scenario.Kind
		seen  scenario.Observation
		want  string
	}{
		{scenario.ConntrackRate, scenario.Observation{Result: "ok", Sent: 100, Received: 20, Failures: 80}, "100 flows, 20 answered"},
		{scenario.Conntrack, scenario.Observation{Result: "ok", Count: 2, NAT: "dst"}, "2 entries, nat dst"},
		{scenario.ConntrackFill, scenario.Observation{Result: "ok", Sent: 50, Received: 50, PeakEntries: 64, MaxEntries: 64, Full: true}, "table peak 64, max-entries 64 (full)"},
	} {
		s := scenario.StepResult{Probe: c.probe, Seen: c.seen}
		if got := sawText(s); !strings.Contains(got, c.want) {
			t.Errorf("%s without a counter: %q, want %q in it", c.probe, got, c.want)
		}
		s.Seen.Counter = &scenario.Counter{Packets: 80}
		got := sawText(s)
		if !strings.Contains(got, c.want) || !strings.Contains(got, "counter 80 packets") {
			t.Errorf("%s with a counter: %q, want %q and the counter", c.probe, got, c.want)
		}
	}
}
