package check

import (
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/report"
)

// TestResultVerdictProvenFix (realcheck21 D7 a): a lab verdict whose
// failure the fix answered in the same lab names no not-enforced setting
// as what "may explain it"; the proof stands. The control: the same run
// where the fix left the probe unanswered keeps the clause, the lab not
// having shown the cause.
func TestResultVerdictProvenFix(t *testing.T) {
	p, found, fx, probe := bridgePortRun(t)
	ne := []string{"/routing igmp-proxy interface: 1 (rosemu runs no IGMP proxy)", "/ip upnp: 1 (rosemu runs no UPnP gateway)"}
	res := &Result{Found: found, Fix: fx, Outcomes: []Outcome{probe("before", "timeout"), probe("fixed", "ok")}, Report: &report.Report{NotEnforced: ne}}
	_, plain, code := p.LabVerdict(found, fx, res.Outcomes)
	_, text, rcode := p.ResultVerdict(res)
	if code != 1 || !strings.Contains(plain, "with the fix (the addresses on the bridge) the router answers them") {
		t.Fatalf("verdict %d %q: want the proven bridge-port finding", code, plain)
	}
	if text != plain || rcode != code {
		t.Errorf("proven by the fix: %d %q\nwant %d %q", rcode, text, code, plain)
	}
	// Control: the fix did not help, so what rosemu does not enforce may
	// be why.
	res.Outcomes = []Outcome{probe("before", "timeout"), probe("fixed", "timeout")}
	if _, text, _ := p.ResultVerdict(res); !strings.Contains(text, "which may explain it") || !strings.Contains(text, "IGMP proxy") {
		t.Errorf("fix failed: %q, want the not-enforced clause", text)
	}
}

// bridgePortRun is realcheck21's RB941 (6.45.7): the LAN address on
// ether2, a port of the bridge; IGMP proxy, UPnP and the MAC server are
// stored only. It gives the plan, its findings and fix, and an outcome of
// the probe of the router's page from the LAN in a phase.
func bridgePortRun(t *testing.T) (*Plan, []Finding, Fix, func(phase, result string) Outcome) {
	t.Helper()
	p := load(t, "testdata/rb941-pppoe-addr-on-port.rsc")
	found, _ := p.Diagnose()
	if bridgeAddrs(found) != 1 {
		t.Fatalf("findings %v: want the address on the bridge port", found)
	}
	probe := func(phase, result string) Outcome {
		return Outcome{Probe: Probe{Forward: -1, Path: "service:www@bridge", Phase: phase, From: "client1", To: "172.16.0.1:80", Kind: "http"},
			Result: result, By: map[bool]string{true: "router"}[result == "ok"]}
	}
	return p, found, p.Propose(found), probe
}

// TestResultVerdictOutcomeNeutral (f74 D1): the hw-offload=yes of RouterOS
// 7's defconf fasttrack rule, in the export of every 7.x RouterBOARD with a
// switch chip, is no cause a failed check can have: it offloads connections
// fasttrack already let through. The verdict of a failed check named it as
// what "may explain it" (a VLAN whose DNS queries the input chain dropped).
// The control: a stored-only setting that can change an outcome (a web
// proxy) is still named beside it.
func TestResultVerdictOutcomeNeutral(t *testing.T) {
	p, found, fx, probe := bridgePortRun(t)
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
