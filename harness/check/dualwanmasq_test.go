package check

import (
	"os"
	"strings"
	"testing"
)

// TestNarrowMasqueradeKeepsEveryWAN (realcheck27 D1): a masquerade that
// names no out-interface on a dual-WAN router was narrowed to the first
// WAN alone, which left the second WAN's connections (and all of them on
// failover) with private sources. The fix and the offline note keep a
// masquerade for each WAN. Controls: with one WAN the one set line stays;
// with a list holding both WANs the set names the list.
func TestNarrowMasqueradeKeepsEveryWAN(t *testing.T) {
	const set = `/ip firewall nat set [ find where action=masquerade and chain=srcnat ] out-interface=ether6-WAN1`
	const second = `/ip firewall nat add action=masquerade chain=srcnat out-interface=ether7-WAN2`
	for _, tc := range []struct {
		file       string
		want, lack []string
	}{
		{"testdata/dualwan-catchall-masq.rsc", []string{set, second}, nil},
		{"testdata/onewan-catchall-masq.rsc", []string{set}, []string{"out-interface=ether7-WAN2", "/ip firewall nat add action=masquerade"}},
	} {
		p := load(t, tc.file)
		found, _ := p.Diagnose()
		fx := p.Propose(found)
		text := strings.Join(fx.Lines, "\n")
		notes := strings.Join(p.Notes, "\n")
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the fix lacks\n  %s\nit is:\n%s", tc.file, w, text)
			}
			if !strings.Contains(notes, w) {
				t.Errorf("%s: the masquerade note lacks %q:\n%s", tc.file, w, notes)
			}
		}
		for _, l := range tc.lack {
			if strings.Contains(text, l) {
				t.Errorf("%s: the fix has %q:\n%s", tc.file, l, text)
			}
		}
		// The set comes before every added masquerade: its find would
		// bind them to the first WAN too.
		if i := strings.Index(text, set); i < 0 || strings.Contains(text[:i], "/ip firewall nat add") {
			t.Errorf("%s: the set is not the fix's first nat line:\n%s", tc.file, text)
		}
	}
	text := strings.Replace(readTestdata(t, "testdata/dualwan-catchall-masq.rsc"), "/ip address\n", "/interface list\nadd name=uplinks\n/interface list member\nadd interface=ether6-WAN1 list=uplinks\nadd interface=ether7-WAN2 list=uplinks\n/ip address\n", 1)
	p := loadText(t, text)
	found, _ := p.Diagnose()
	fx := strings.Join(p.Propose(found).Lines, "\n")
	if !strings.Contains(fx, `/ip firewall nat set [ find where action=masquerade and chain=srcnat ] out-interface-list=uplinks`) || strings.Contains(fx, "out-interface=ether") {
		t.Errorf("with a list of both WANs the fix is:\n%s", fx)
	}
}

// TestFixBreaksFailover: a failover probe that fails only with the fix is
// a warning and turns the verdict; one that fails either way is not
// blamed on the fix.
func TestFixBreaksFailover(t *testing.T) {
	p := load(t, "testdata/dualwan-catchall-masq.rsc")
	pr := func(phase, path, result, by string) Outcome {
		return Outcome{Probe: Probe{Forward: -1, Path: path, Phase: phase, From: "client1", To: "peer:80", Kind: "tcp"}, Result: result, By: by}
	}
	outs := []Outcome{
		pr("before", failoverPrefix+"bridge2-DMZ", "ok", "peer"),
		pr("fixed", failoverPrefix+"bridge2-DMZ", "timeout", ""),
		pr("before", silentPrefix+"bridge2-DMZ", "timeout", ""),
		pr("fixed", silentPrefix+"bridge2-DMZ", "timeout", ""),
	}
	w := strings.Join(p.LabServiceWarnings(outs, ""), "\n")
	if !strings.Contains(w, "the fix breaks what works as the export has it: "+failoverPrefix+"bridge2-DMZ") || strings.Contains(w, "breaks what works as the export has it: "+silentPrefix) {
		t.Errorf("warnings:\n%s", w)
	}
	fx := Fix{Lines: []string{"/ip firewall nat set [ find ] out-interface=ether6-WAN1"}}
	word, text, code := verdictOf(nil, 0, nil, fx, outs)
	if code != 1 || word != "fix-fails" || !strings.Contains(text, "the fix breaks 1 failover path(s)") {
		t.Errorf("verdict %s %d %q", word, code, text)
	}
	if fixProven(fx, outs) {
		t.Error("a fix that breaks failover is called proven")
	}
}

func readTestdata(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
