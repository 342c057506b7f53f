package check

import (
	"strings"
	"testing"
)

func TestVerdictCases(t *testing.T) {
	fw := func(path, phase, result string) Outcome {
		return Outcome{Probe: Probe{Forward: 0, Path: path, Phase: phase}, Result: result}
	}
	www := func(phase, by string) Outcome {
		return Outcome{Probe: Probe{Forward: -1, Path: "service:www@bridge", Phase: phase, Kind: "http"}, Result: "ok", By: by}
	}
	finding := []Finding{{Forward: 0, Path: "internet", Cause: EarlierRule, Line: 9}}
	fix := Fix{Lines: []string{"/ip firewall nat set [ find ] dst-address-list=!hairpin-lan"}}
	for _, tt := range []struct {
		name  string
		found []Finding
		fx    Fix
		outs  []Outcome
		word  string
		code  int
		text  string
	}{
		// The rules predicted trouble; every probe passed: the lab decides.
		{"prediction not confirmed", finding, Fix{}, []Outcome{fw("internet", "before", "ok"), www("before", "router")}, "ok", 0, "which the lab did not confirm"},
		// Only after the ISP renumbers does the forward break: it counts.
		{"breaks after renumbering", finding, fix, []Outcome{fw("internet", "before", "ok"), fw("internet", "renumbered", "timeout"), fw("internet", "fixed", "ok")}, "broken", 1, "1 path(s) broken as the export has it"},
		// Broken both before and after the renumbering: one path.
		{"one path in two phases", finding, fix, []Outcome{fw("internet", "before", "timeout"), fw("internet", "renumbered", "timeout"), fw("internet", "fixed", "ok")}, "broken", 1, "1 path(s) broken"},
		// Every forward works but WebFig answers from the NAS.
		{"hijack only", []Finding{{Forward: 0, Cause: TakesOwnAddress}}, fix, []Outcome{fw("internet", "before", "ok"), www("before", "server1"), www("fixed", "router")}, "broken", 1, "takes the router's own web page"},
	} {
		word, text, code := Verdict(tt.found, tt.fx, tt.outs)
		if word != tt.word || code != tt.code || !strings.Contains(text, tt.text) {
			t.Errorf("%s: Verdict = %s, %q, %d; want %s, %q, %d", tt.name, word, text, code, tt.word, tt.text, tt.code)
		}
	}
}
