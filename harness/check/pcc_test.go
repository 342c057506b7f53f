package check

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// PCC that classifies every unmarked LAN connection also classifies the
// server's answers to forwarded connections: found for each WAN's
// forward, fixed by marking the connections at each WAN's door with the
// mark whose routing mark leads back through it. With such a rule in the
// export there is no finding.
func TestPCCClassifiesAnswers(t *testing.T) {
	data, err := os.ReadFile("testdata/pcc-forwards-own.rsc")
	if err != nil {
		t.Fatal(err)
	}
	p := importText(t, string(data))
	found, _ := p.Diagnose()
	var paths []string
	for _, f := range found {
		if f.Cause == PCCAnswers {
			paths = append(paths, f.Path)
		}
	}
	if !slices.Contains(paths, "internet via ether1") || !slices.Contains(paths, "internet via ether2") {
		t.Fatalf("PCC findings: %q", paths)
	}
	all := strings.Join(p.Propose(found).Lines, "\n")
	if !strings.Contains(all, "in-interface=ether2 new-connection-mark=ISP2_conn") || !strings.Contains(all, "in-interface=ether1 new-connection-mark=ISP1_conn") {
		t.Errorf("fix:\n%s", all)
	}
	fixed := strings.Replace(string(data), "/ip firewall mangle\n",
		"/ip firewall mangle\nadd action=mark-connection chain=prerouting connection-state=new in-interface=ether2 new-connection-mark=ISP2_conn\n", 1)
	p = importText(t, fixed)
	found, _ = p.Diagnose()
	for _, f := range found {
		if f.Cause == PCCAnswers && f.Path == "internet via ether2" {
			t.Errorf("finding with the WAN's connections marked at the door: %+v", f)
		}
	}
}

// proposedCase diagnoses p, proposes the fix and builds the lab case of
// both.
func proposedCase(t *testing.T, p *Plan) ([]Finding, Fix, *Case) {
	t.Helper()
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	c, err := p.Case(fx)
	if err != nil {
		t.Fatal(err)
	}
	return found, fx, c
}

// TestPCCVerdictNotClearedByOneConnection: with a PCC finding, a lab where
// each path's one connection worked does not clear the export (the hash
// picked the right WAN for that connection; a hEX's forward on WAN2
// worked for 9 connections of 20); without a hash-decided finding such a
// lab has the last word (the control).
func TestPCCVerdictNotClearedByOneConnection(t *testing.T) {
	data, err := os.ReadFile("testdata/pcc-forwards-own.rsc")
	if err != nil {
		t.Fatal(err)
	}
	p := importText(t, string(data))
	found, fx, c := proposedCase(t, p)
	var outs []Outcome
	for _, pr := range c.Probes {
		if pr.Phase == "before" && pr.Forward >= 0 {
			outs = append(outs, Outcome{Probe: pr, Result: "ok", By: "server1"})
		}
	}
	word, text, code := Verdict(found, fx, outs)
	if word != "broken" || code != 1 || !strings.Contains(text, "decided per connection by a hash") {
		t.Errorf("PCC, every path ok once: %s %q %d; want broken by the hash", word, text, code)
	}
	var other []Finding
	for _, f := range found {
		if f.Cause != PCCAnswers {
			other = append(other, f)
		}
	}
	if _, text, _ := Verdict(other, fx, outs); strings.Contains(text, "hash") {
		t.Errorf("without the PCC finding: %q mentions a hash", text)
	}
}
