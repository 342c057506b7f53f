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
	// realcheck21's RB941 (6.45.7): the LAN address on ether2, a port of
	// the bridge; IGMP proxy, UPnP and the MAC server are stored only.
	p := load(t, "testdata/rb941-pppoe-addr-on-port.rsc")
	found, _ := p.Diagnose()
	if bridgeAddrs(found) != 1 {
		t.Fatalf("findings %v: want the address on the bridge port", found)
	}
	fx := p.Propose(found)
	probe := func(phase, result string) Outcome {
		return Outcome{Probe: Probe{Forward: -1, Path: "service:www@bridge", Phase: phase, From: "client1", To: "172.16.0.1:80", Kind: "http"},
			Result: result, By: map[bool]string{true: "router"}[result == "ok"]}
	}
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
