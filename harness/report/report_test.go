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
	// Connectivity still counts.
	r = &Report{Scenario: "srcnat", Steps: steps(), Licence: "licence-bound"}
	r.Steps[0].OK = false
	r.Finish()
	if r.Passed {
		t.Fatal("a failed connectivity step passed on a licence-bound router")
	}
}

func TestOutages(t *testing.T) {
	zero, none := 0.4, -1.0
	r := &Report{Scenario: "ip-cloud", Steps: []scenario.StepResult{
		{Index: 1, Probe: scenario.TCP, OK: true, Outage: &zero}, // before the renumbering: not an outage
		{Index: 2, Action: scenario.RenumberWAN, OK: true, Renumber: &scenario.Renumbered{Old: "203.0.113.2", New: "203.0.113.3"}},
		{Index: 3, Probe: scenario.TCP, From: "client1", To: "router.wan:12566", OK: true, Outage: &zero},
		{Index: 4, Probe: scenario.TCP, From: "peer", To: "router.wan:12566", OK: false, Outage: &none},
	}}
	r.Finish()
	if len(r.Outages) != 2 || r.Outages[0].Step != 3 || r.Outages[1].Seconds != -1 {
		t.Fatalf("outages = %+v", r.Outages)
	}
	var out bytes.Buffer
	r.Table(&out)
	for _, want := range []string{"WAN 203.0.113.2 → 203.0.113.3", "recovered 0.4s after the new lease (step 3)", "peer → router.wan:12566 did not recover (step 4)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}
