package check

import (
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

// gapRun runs c's probes as if the lab answered each with ok, but those
// failing says fail (by path prefix and phase): the outcomes a lab run
// would give.
func gapRun(p *Plan, c *Case, fail func(pr Probe) string) []Outcome {
	steps := make([]scenario.StepResult, len(c.Steps))
	for i, k := range c.Steps {
		if k < 0 {
			continue
		}
		pr := c.Probes[k]
		steps[i].OK, steps[i].Seen = true, scenario.Observation{Result: "ok"}
		if pr.Forward >= 0 {
			steps[i].Seen.ServerName = c.Servers[p.Forwards[pr.Forward].ToAddr]
		} else {
			steps[i].Seen.ServerName = "peer"
		}
		if r := fail(pr); r != "" {
			steps[i].OK, steps[i].Seen = false, scenario.Observation{Result: r}
		}
	}
	return c.Outcomes(steps)
}

// TestHairpinGapInTheLab (chk54): a forward bound to the WAN with no
// hairpin was a warning offline (exit 4) and, in a lab run, two broken
// paths (exit 1). The lab now carries the same verdict: its LAN probes
// are marked, a failed one confirms the warning (and the fixed phase
// tries the hairpin lines it gives), one that worked clears it. The
// control: a forward whose internet path fails too keeps its findings
// and its broken paths.
func TestHairpinGapInTheLab(t *testing.T) {
	base := readTestdata(t, "testdata/pppoe-forward-nohairpin.rsc")
	for _, tc := range []struct {
		name, text string
		lan        string // the hairpin probe's result before the fix
		gap        bool
		code       int
		warn, note string
	}{
		{"gap confirmed", base, "refused", true, 0, "the lab confirmed it (hairpin:bridge refused), and with the hairpin lines its LAN path(s) worked", ""},
		{"gap cleared", base, "", true, 0, "", "the rules read forward 1 (line 71) as a hairpin gap, and the lab's LAN probe(s) hairpin:bridge"},
		{"bound to the port under PPPoE (control)", strings.Replace(base, "in-interface=pppoe-out1 protocol=tcp", "in-interface=ether1 protocol=tcp", 1), "refused", false, 1, "", ""},
	} {
		p := loadText(t, tc.text)
		found, _ := p.Diagnose()
		kept, gaps := p.SplitHairpinGaps(found)
		fx := p.Propose(kept)
		c, err := p.labCase(kept, gaps, &fx)
		if err != nil {
			t.Fatal(err)
		}
		marked := 0
		outs := gapRun(p, c, func(pr Probe) string {
			if pr.Gap {
				marked++
			}
			if pr.Forward == 0 && strings.HasPrefix(pr.Path, "hairpin:") && pr.Phase == "before" {
				return tc.lan
			}
			if !tc.gap && pr.Forward == 0 && pr.Phase == "before" {
				return "timeout"
			}
			return ""
		})
		var mine []Outcome
		for _, o := range outs {
			if o.Probe.Forward == 0 {
				mine = append(mine, o)
			}
		}
		res := &Result{Found: kept, HairpinGaps: gaps, Fix: fx, Case: c, Outcomes: mine}
		_, text, code := p.ResultVerdict(res)
		warns := strings.Join(p.LabWarnings(res), "\n")
		notes := strings.Join(p.LabCleared(res), "\n")
		if code != tc.code || (marked > 0) != tc.gap {
			t.Errorf("%s: code %d, want %d; %d probe(s) marked: %s", tc.name, code, tc.code, marked, text)
		}
		if tc.warn != "" && (!strings.Contains(warns, "hairpin gap: forward 1") || !strings.Contains(warns, tc.warn) || !strings.Contains(text, "but 1 LAN path(s) of forwards bound to the WAN")) {
			t.Errorf("%s: warnings %q, verdict %q", tc.name, warns, text)
		}
		if tc.warn == "" && strings.Contains(warns, "hairpin gap") {
			t.Errorf("%s: a gap warning: %q", tc.name, warns)
		}
		if tc.note != "" && !strings.Contains(notes, tc.note) || tc.note == "" && notes != "" {
			t.Errorf("%s: cleared %q, want %q", tc.name, notes, tc.note)
		}
		if !tc.gap && len(Broken(mine, "before")) == 0 {
			t.Errorf("%s: no broken path", tc.name)
		}
		// The table and check.md head the fixed phase by what ran in it:
		// the hairpin lines alone when the findings have no fix.
		var tb strings.Builder
		p.Table(&tb, c, mine, p.PeerAddr())
		md := string(p.Document(res, "rosemu").Markdown())
		if only := strings.Contains(tb.String(), "WITH THE HAIRPIN LINES") && strings.Contains(md, "with the hairpin lines"); only != tc.gap {
			t.Errorf("%s: fixed phase headed by the hairpin lines: %v, want %v:\n%s", tc.name, only, tc.gap, tb.String())
		}
	}
}

// TestFailoverGapsInTheLab (chk54): offline, a failover gap (nothing
// watches the main gateway; the backup WAN without a masquerade) is a
// warning, exit 4; in a lab run it stayed a note, exit 0, when the lab
// ran no probe of it. Now a lab without the probe keeps it a warning, a
// failed probe confirms it (the probe's own warning), and a probe that
// worked clears it, said in a note. Control: a watched gateway has no gap
// at all.
func TestFailoverGapsInTheLab(t *testing.T) {
	base := readTestdata(t, "testdata/dualwan-no-checkgw.rsc")
	const r1 = "add distance=1 dst-address=0.0.0.0/0 gateway=203.0.113.1\n"
	const r2 = "add distance=2 dst-address=0.0.0.0/0 gateway=198.51.100.1\n"
	watched := strings.NewReplacer(r1, strings.TrimSuffix(r1, "\n")+" check-gateway=ping\n", r2, strings.TrimSuffix(r2, "\n")+" check-gateway=ping\n").Replace(base)
	silent := func(r string) []Outcome {
		return []Outcome{{Probe: Probe{Forward: -1, Path: "silent:bridge", Phase: "before", From: "client1", To: "peer:80", Kind: "tcp"}, Result: r, By: map[bool]string{true: "peer"}[r == "ok"]}}
	}
	for _, tc := range []struct {
		name, text string
		outs       []Outcome
		warn, note string
	}{
		{"no probe ran", base, nil, "does not watch its gateway", ""},
		{"probe failed", base, silent("timeout"), "works on a dead link only", ""},
		{"probe worked", base, silent("ok"), "", "cleared in the lab"},
		{"watched (control)", watched, nil, "", ""},
	} {
		p := loadText(t, tc.text)
		res := &Result{Outcomes: tc.outs}
		warns := p.LabWarnings(res)
		notes := strings.Join(p.LabCleared(res), "\n")
		all := strings.Join(warns, "\n")
		switch {
		case tc.warn == "" && len(warns) > 0:
			t.Errorf("%s: warnings %q", tc.name, warns)
		case tc.warn != "" && (len(warns) != 1 || !strings.Contains(all, tc.warn)):
			t.Errorf("%s: warnings %q, want one saying %q", tc.name, warns, tc.warn)
		case tc.note == "" && notes != "" || tc.note != "" && !strings.Contains(notes, tc.note):
			t.Errorf("%s: cleared %q, want %q", tc.name, notes, tc.note)
		}
	}
}
