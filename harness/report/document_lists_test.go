package report

import (
	"encoding/json"
	"testing"
)

// report.json carries not_enforced and set_aside, as docs/reports.md
// documents them and report.md prints them (forum35 D8: both were
// missing). Control: a run without either has neither key.
func TestDocumentListsNotEnforcedAndSetAside(t *testing.T) {
	r := &Report{Scenario: "x", Passed: true,
		NotEnforced: []string{"/tool e-mail: 1 (the lab has no mail server: rosemu sends no e-mail)"},
		SetAside:    []string{"case.yaml:6 /interface wireless: wireless: a lab router has no radio"}}
	out, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	ne, _ := m["not_enforced"].([]any)
	sa, _ := m["set_aside"].([]any)
	if len(ne) != 1 || ne[0] != r.NotEnforced[0] || len(sa) != 1 || sa[0] != r.SetAside[0] {
		t.Errorf("report.json not_enforced %v, set_aside %v; want the report's lists", m["not_enforced"], m["set_aside"])
	}
	out, err = (&Report{Scenario: "y", Passed: true}).JSON()
	if err != nil {
		t.Fatal(err)
	}
	m = nil
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["not_enforced"]; ok {
		t.Errorf("a run with nothing not enforced has not_enforced: %s", out)
	}
	if _, ok := m["set_aside"]; ok {
		t.Errorf("a run with nothing set aside has set_aside: %s", out)
	}
}
