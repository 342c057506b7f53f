package check

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/report"
)

// TestFixLeftOutNotTried: when the lab router refuses every line of the
// fix, the lab has no phase "with the fix" (it showed the export again
// under that heading, realcheck17 D3), the case records the lines it left
// out, and the note says the line names what the lab set aside only when
// it does.
func TestFixLeftOutNotTried(t *testing.T) {
	// The hairpin fix names a bridge whose line the lab router refuses.
	p := loadText(t, `# by RouterOS 7.16.2
/interface bridge
add name=bridge colour=blue
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge
add address=203.0.113.2/24 interface=ether1
`+wanRouteMasq+`add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=443 protocol=tcp to-addresses=192.168.88.10
`)
	p.Refusals(context.Background())
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	c, err := p.Case(fx)
	if err != nil {
		t.Fatal(err)
	}
	caseLoads(t, c)
	if len(fx.Lines) == 0 || len(c.FixUntried) != len(fx.Lines) {
		t.Fatalf("fix %q, left out %v", fx.Lines, c.FixUntried)
	}
	if slices.ContainsFunc(c.Probes, func(pr Probe) bool { return pr.Phase == "fixed" }) {
		t.Errorf("a phase with the fix that the lab did not apply:\n%s", c.YAML)
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "as it names bridge, which the lab set aside") }) {
		t.Errorf("no note naming the bridge: %q", p.Notes)
	}
	fx.Untried = c.FixUntried
	outs := []Outcome{{Probe: Probe{Forward: 0, Path: "hairpin:bridge", Phase: "before"}, Result: "timeout"}}
	word, text, code := p.LabVerdict(found, fx, outs)
	if word != "broken" || code != 1 || !strings.Contains(text, "the fix was not tried in the lab") || strings.Contains(text, "makes every forward work") {
		t.Errorf("verdict %s %d %q", word, code, text)
	}
	// Negative control: the same fix tried makes the forward work.
	fx.Untried = nil
	outs = append(outs, Outcome{Probe: Probe{Forward: 0, Path: "hairpin:bridge", Phase: "fixed"}, Result: "ok"})
	if _, text, _ := p.LabVerdict(found, fx, outs); strings.Contains(text, "not tried") || !strings.Contains(text, "the fix makes every forward work") {
		t.Errorf("verdict with the fix tried: %q", text)
	}

	// A fix line the lab router refuses for its own sake (a
	// place-before that finds two rules) names nothing set aside.
	q := importText(t, placeBefore)
	q.Refusals(context.Background())
	lines, untried := q.labFix(Fix{Lines: []string{"/ip firewall filter add chain=forward action=accept place-before=[ find where action=drop and chain=forward ]"}})
	if len(lines) != 0 || !slices.Equal(untried, []int{0}) {
		t.Errorf("lines %q, left out %v", lines, untried)
	}
	if len(q.Notes) == 0 || strings.Contains(q.Notes[len(q.Notes)-1], "set aside") || !strings.Contains(q.Notes[len(q.Notes)-1], "the lab does not try it") {
		t.Errorf("notes %q", q.Notes)
	}
}

// TestVerdictSpeaksOfProbedForwards: "every forward works, but ..." only
// of forwards the lab probed (realcheck17 D5): an export without a
// forward does not speak of forwards, and one whose forwards were not
// probed says how many and why.
func TestVerdictSpeaksOfProbedForwards(t *testing.T) {
	out := Outcome{Probe: Probe{Forward: -1, Path: lanInternetPrefix + "ether2", Phase: "before", To: "peer:12566"}, Result: "timeout"}
	fixed := out
	fixed.Probe.Phase, fixed.Result, fixed.By = "fixed", "ok", "peer"
	fx := Fix{Lines: []string{"/ip firewall filter add chain=forward action=accept connection-state=established,related"}}
	found := []Finding{{Forward: -1, Path: lanInternetPrefix + "ether2", Cause: ForwardDrops}}
	outs := []Outcome{out, fixed}

	_, text, code := verdictOf(nil, 0, found, fx, outs)
	if code != 1 || strings.Contains(text, "forward") || !strings.Contains(text, "the fix gives it back") {
		t.Errorf("no forward: %q", text)
	}
	// Five forwards, none probed (their server has no lab host).
	five := append([]Finding{}, found...)
	for i := range 5 {
		five = append(five, Finding{Forward: i, Path: "hairpin:bridge", Cause: NoHairpin})
	}
	_, text, _ = verdictOf(nil, 5, five, fx, outs)
	if strings.Contains(text, "every forward works") || !strings.Contains(text, "no forward was probed (5 not probed: the lab has no host at their server)") {
		t.Errorf("five unprobed: %q", text)
	}
	// One of two probed.
	probed := append(outs, Outcome{Probe: Probe{Forward: 0, Path: "internet", Phase: "before"}, Result: "ok"})
	_, text, _ = verdictOf(nil, 2, found, fx, probed)
	if !strings.Contains(text, "every forward the lab probed works (1 not probed") {
		t.Errorf("one of two: %q", text)
	}
	// Negative control: every forward probed and working.
	if _, text, _ = verdictOf(nil, 1, found, fx, probed); !strings.HasPrefix(text, "every forward works, but ") {
		t.Errorf("all probed: %q", text)
	}
}

// TestPartFixHeading: with a line of the fix left out of the lab, the
// phase's column reads "with part of the fix" in check.md and check.html;
// with every line tried, "with the fix".
func TestPartFixHeading(t *testing.T) {
	d := &Document{Schema: Schema, Verdict: "broken", Proven: true,
		Services: []PathDoc{{Path: "service:www@ether2", What: "the router's www", From: "client1", To: "192.168.12.1:80",
			Before: &Seen{Result: "timeout", Text: "timeout"}, Fixed: &Seen{Result: "ok", OK: true, Text: "router's page"}}},
		Fix: FixDoc{Lines: []FixLine{{Line: "/ip address set [ find ] interface=bridge"}, {Line: "/x", LeftOut: true}}}}
	h, err := d.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if md := string(d.Markdown()); !strings.Contains(md, "| with part of the fix |") || !strings.Contains(string(h), "with part of the fix") {
		t.Errorf("check.md:\n%s", md)
	}
	d.Fix.Lines[1].LeftOut = false
	if md := string(d.Markdown()); strings.Contains(md, "part of the fix") || !strings.Contains(md, "| with the fix |") {
		t.Errorf("check.md with every line tried:\n%s", md)
	}
}

// TestResultVerdictNotEnforced (forum32 D5, as chrlab lab's FAIL): a lab
// verdict that is not ok names what the lab router stored without
// enforcing, in the terminal's line and check.json's summary alike; an ok
// verdict and a run with nothing not enforced keep their words (controls).
func TestResultVerdictNotEnforced(t *testing.T) {
	p := loadText(t, "# by RouterOS 7.16.2\n/ip address\nadd address=192.168.88.1/24 interface=ether2\nadd address=203.0.113.2/24 interface=ether1\n"+wanRouteMasq+
		"add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=443 protocol=tcp to-addresses=192.168.88.10\n")
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	outs := []Outcome{{Probe: Probe{Forward: 0, Path: "hairpin:ether2", Phase: "before"}, Result: "timeout"}}
	res := &Result{Found: found, Fix: fx, Outcomes: outs, Report: &report.Report{NotEnforced: []string{"/ip proxy: 1 (rosemu runs no web proxy)"}}}
	_, plain, code := p.LabVerdict(found, fx, outs)
	_, text, rcode := p.ResultVerdict(res)
	if code == 0 {
		t.Fatalf("the case's verdict is ok (%q): it must fail for this test", plain)
	}
	if want := plain + "; rosemu does not enforce 1 setting this export uses (/ip proxy: rosemu runs no web proxy), which may explain it"; text != want || rcode != code {
		t.Errorf("verdict %d %q\nwant     %d %q", rcode, text, code, want)
	}
	if d := p.Document(res, "rosemu"); d.Summary != text {
		t.Errorf("check.json summary %q, want %q", d.Summary, text)
	}
	res.Report.NotEnforced = nil
	if _, text, _ := p.ResultVerdict(res); text != plain {
		t.Errorf("nothing not enforced: %q, want %q", text, plain)
	}
	res.Report.NotEnforced = []string{"/ip proxy: 1 (rosemu runs no web proxy)"}
	res.Outcomes = nil
	_, okText, okCode := p.LabVerdict(found, fx, nil)
	if _, text, _ := p.ResultVerdict(res); okCode == 0 && text != okText {
		t.Errorf("ok verdict changed: %q, want %q", text, okText)
	}
}
