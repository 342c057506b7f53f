package report

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/scenario"
)

// snmpRun is forum32's snmp-lan case as rosemu ran it: the probe that
// expects a listening agent's silence sees a closed port, since rosemu
// stores /snmp and runs no agent; the runner tied the step to it.
func snmpRun(tie string, notEnforced ...string) *Report {
	r := &Report{
		Run: "20261205-snmp", Scenario: "f32-snmp-lan", Lab: "hairpin", Router: "rosemu",
		Started: time.Date(2026, 12, 5, 20, 0, 0, 0, time.UTC),
		Steps: []scenario.StepResult{
			{Index: 1, Line: 13, Probe: scenario.UDP, From: "client1", To: "router.lan:161", Target: "192.168.88.1:161",
				Expect: scenario.Expect{Result: "timeout"}, Why: "result refused, expected timeout", NotEnforced: tie,
				Seen: scenario.Observation{Result: "refused"}},
			{Index: 2, Line: 17, Action: scenario.Configure, OK: true, Seen: scenario.Observation{Result: "ok"}},
			{Index: 3, Line: 20, Probe: scenario.UDP, From: "client1", To: "router.lan:161", Target: "192.168.88.1:161",
				Expect: scenario.Expect{Result: "refused"}, OK: true, Seen: scenario.Observation{Result: "refused"}},
		},
		NotEnforced: notEnforced,
	}
	r.Finish()
	return r
}

// TestVerdictNamesNotEnforced (forum32 D5): a failed run whose
// configuration holds what rosemu does not enforce says so beside the
// FAIL in every view (terminal, report.md, report.html, report.json,
// junit), and the step the runner tied to it says so on its line. The
// run still fails.
func TestVerdictNamesNotEnforced(t *testing.T) {
	tie := "router.lan:161 udp/161 is the port of /snmp, which rosemu does not enforce (rosemu runs no SNMP agent)"
	r := snmpRun(tie, "/snmp: 1 (rosemu runs no SNMP agent)", "/snmp community: 1 (rosemu runs no SNMP agent)")
	if r.Passed {
		t.Fatal("a failed step passed the run")
	}
	wantVerdict := "VERDICT: FAIL f32-snmp-lan: 1 of 3 expectations did not hold; rosemu does not enforce 2 settings this case uses " +
		"(/snmp: rosemu runs no SNMP agent; /snmp community: rosemu runs no SNMP agent), which may explain it; step 1 depends on it (results/20261205-snmp)"
	if got := r.Verdict(); got != wantVerdict {
		t.Errorf("verdict\n got %s\nwant %s", got, wantVerdict)
	}
	stepLine := "step 1 (line 13): result refused, expected timeout; " + tie + ", which may explain it"
	var term strings.Builder
	r.Table(&term)
	if !strings.Contains(term.String(), stepLine) || !strings.Contains(term.String(), wantVerdict) {
		t.Errorf("terminal report lacks the step's tie or the verdict:\n%s", term.String())
	}
	if md := string(r.Markdown()); !strings.Contains(md, "rosemu does not enforce 2 settings") || !strings.Contains(md, "is the port of /snmp") {
		t.Errorf("report.md:\n%s", md)
	}
	h, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(h), "rosemu does not enforce 2 settings") || !strings.Contains(string(h), "is the port of /snmp") {
		t.Errorf("report.html lacks the wording")
	}
	x, err := JUnit("chrlab", r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(x), `message="result refused, expected timeout; router.lan:161 udp/161 is the port of /snmp`) {
		t.Errorf("junit failure lacks the tie:\n%s", x)
	}
	data, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Verdict, Summary string
		Steps            []struct {
			NotEnforced string `json:"not_enforced"`
		}
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	if d.Verdict != "fail" || d.Summary != wantVerdict || d.Steps[0].NotEnforced != tie {
		t.Errorf("report.json: verdict %q summary %q step 1 not_enforced %q", d.Verdict, d.Summary, d.Steps[0].NotEnforced)
	}

	// Without a tie the verdict still names the setting, and names no step.
	r = snmpRun("", "/ip proxy: 1 (rosemu runs no web proxy)")
	if got, want := r.Verdict(), "did not hold; rosemu does not enforce 1 setting this case uses (/ip proxy: rosemu runs no web proxy), which may explain it (results/"; !strings.Contains(got, want) {
		t.Errorf("verdict without a tie: %s", got)
	}
}

// TestVerdictPlainWithoutNotEnforced is the control: a failed run with
// nothing not enforced (a real RouterOS) and a passed one with something
// keep their verdicts.
func TestVerdictPlainWithoutNotEnforced(t *testing.T) {
	if got, want := snmpRun("").Verdict(), "VERDICT: FAIL f32-snmp-lan: 1 of 3 expectations did not hold (results/20261205-snmp)"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	r := snmpRun("", "/snmp: 1 (rosemu runs no SNMP agent)")
	r.Steps[0].OK, r.Steps[0].Why = true, ""
	r.Finish()
	if got, want := r.Verdict(), "VERDICT: PASS f32-snmp-lan: all 3 expectations held (results/20261205-snmp)"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	// A router log entry (not "path: N (reason)") is kept whole.
	if got := briefNotEnforced("14:20:01 connection-rate sampler failed: x (y)"); got != "14:20:01 connection-rate sampler failed: x (y)" {
		t.Errorf("log entry shortened to %q", got)
	}
}

// TestVerdictPassCaveat (forum34 D6): a passed run whose step 1 rests on
// a stored-only IPsec policy covering its addresses says so after PASS,
// under the table, in report.md and report.json; the run's not-enforced
// list without a step caveat leaves the PASS plain (the control above).
func TestVerdictPassCaveat(t *testing.T) {
	r := snmpRun("", "/ip ipsec policy: 1 (rosemu has no IPsec)")
	r.Steps[0].OK, r.Steps[0].Why = true, ""
	r.Steps[0].Caveat = "/ip ipsec policy *1 (src-address=192.168.88.0/24 dst-address=10.77.0.0/24 action=encrypt) covers client1 -> 10.77.0.1"
	r.Finish()
	want := "VERDICT: PASS f32-snmp-lan: all 3 expectations held; caveat: step 1 could end otherwise on RouterOS (/ip ipsec policy *1 (src-address=192.168.88.0/24 dst-address=10.77.0.0/24 action=encrypt) covers client1 -> 10.77.0.1) (results/20261205-snmp)"
	if got := r.Verdict(); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	var b strings.Builder
	r.Table(&b)
	if !strings.Contains(b.String(), "step 1 (line 13): passed, but rosemu stores without enforcing what could change it on RouterOS: /ip ipsec policy *1") {
		t.Errorf("console lacks the step's caveat:\n%s", b.String())
	}
	if md := string(r.Markdown()); !strings.Contains(md, "caveat: step 1 could end otherwise") || !strings.Contains(md, "- step 1 (line 13): passed, but rosemu stores") {
		t.Errorf("report.md lacks the caveat:\n%s", md)
	}
	js, err := json.Marshal(r.Document())
	if err != nil || !strings.Contains(string(js), `"caveat":"/ip ipsec policy *1`) {
		t.Errorf("report.json lacks the caveat (%v): %s", err, js)
	}
}

// TestVerdictNotEnforcedOffPath (forum46 N10): a failed ping step whose
// path the runner found none of the case's stored-only settings on (a
// tarpit rule for TCP) is not told they "may explain it"; with the step
// not judged so, or with a setting of a kind the runner does not judge
// per step (/snmp), the verdict stays as it was (controls).
func TestVerdictNotEnforcedOffPath(t *testing.T) {
	tarpit := "/ip firewall filter action: 1 (action=tarpit: rosemu drops the packet)"
	mk := func(off bool, lines ...string) *Report {
		r := &Report{Run: "r", Scenario: "c32", Lab: "hairpin", Router: "rosemu",
			Steps: []scenario.StepResult{{Index: 1, Line: 6, Probe: scenario.Ping, From: "client1", To: "192.168.88.1", Why: "loss 0%, expected >= 0.5",
				NotEnforcedOffPath: off, Seen: scenario.Observation{Result: "ok"}}},
			NotEnforced: lines}
		r.Finish()
		return r
	}
	if got := mk(true, tarpit).Verdict(); !strings.Contains(got, "(/ip firewall filter action: action=tarpit: rosemu drops the packet), none of them on the path of a failed step") || strings.Contains(got, "may explain it") {
		t.Errorf("off the path: %s", got)
	}
	if got := mk(false, tarpit).Verdict(); !strings.Contains(got, "which may explain it") {
		t.Errorf("not judged off the path: %s", got)
	}
	if got := mk(true, tarpit, "/snmp: 1 (rosemu runs no SNMP agent)").Verdict(); !strings.Contains(got, "which may explain it") {
		t.Errorf("with /snmp: %s", got)
	}
}
