package check

import (
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/report"
)

// TestResultVerdictOutcomeNeutral (f74 D1): the hw-offload=yes of RouterOS
// 7's defconf fasttrack rule, in the export of every 7.x RouterBOARD with a
// switch chip, is no cause a failed check can have: it offloads connections
// fasttrack already let through. The verdict of a failed check named it as
// what "may explain it" (a VLAN whose DNS queries the input chain dropped).
// The control: a stored-only setting that can change an outcome (a web
// proxy) is still named beside it.
func TestResultVerdictOutcomeNeutral(t *testing.T) {
	p := load(t, "testdata/rb941-pppoe-addr-on-port.rsc")
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	probe := func(phase, result string) Outcome {
		return Outcome{Probe: Probe{Forward: -1, Path: "service:www@bridge", Phase: phase, From: "client1", To: "172.16.0.1:80", Kind: "http"}, Result: result}
	}
	hw := "/ip firewall filter hw-offload: 1 (rosemu has no switch chip: fasttracked connections are handled by the kernel)"
	res := &Result{Found: found, Fix: fx, Outcomes: []Outcome{probe("before", "timeout"), probe("fixed", "timeout")}, Report: &report.Report{NotEnforced: []string{hw}}}
	_, plain, code := p.LabVerdict(found, fx, res.Outcomes)
	if code == 0 {
		t.Fatalf("verdict %d %q: want a failed check", code, plain)
	}
	if _, text, _ := p.ResultVerdict(res); text != plain {
		t.Errorf("hw-offload alone: %q\nwant %q", text, plain)
	}
	res.Report.NotEnforced = []string{hw, "/ip proxy: 1 (rosemu runs no web proxy)"}
	_, text, _ := p.ResultVerdict(res)
	if !strings.Contains(text, "rosemu does not enforce 1 setting this export uses (/ip proxy: rosemu runs no web proxy), which may explain it") || strings.Contains(text, "hw-offload") {
		t.Errorf("hw-offload beside a web proxy: %q", text)
	}
}
