package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/chrlab/chrlab/harness/scenario"
)

// Schema names the layout of report.json. It changes only when a field is
// renamed, removed or changes meaning; new fields keep the version.
// docs/reports.md describes every field.
const Schema = "chrlab.report/v1"

// Document is report.json: the report as a stable, documented structure in
// snake case with durations in seconds, apart from the Go types the run
// works with, so that refactoring the harness cannot change what CI reads.
type Document struct {
	Schema     string `json:"schema"`
	Run        string `json:"run"`
	LabRun     string `json:"lab_run"`
	Scenario   string `json:"scenario"`
	Title      string `json:"title,omitempty"`
	Lab        string `json:"lab,omitempty"`
	Router     string `json:"router,omitempty"`
	RouterNote string `json:"router_note,omitempty"`
	Version    string `json:"routeros_version,omitempty"`
	// Provisioned says how the router got its management address
	// (rosemu's command line, rw/autorun.scr, the console dialogue); Boot
	// is the seconds from lab start to the router's API, ReadyChecks the
	// seconds its readiness checks took after that.
	Provisioned string    `json:"provisioned,omitempty"`
	Boot        float64   `json:"boot_s,omitempty"`
	ReadyChecks float64   `json:"ready_checks_s,omitempty"`
	Started     time.Time `json:"started"`
	Verdict     string    `json:"verdict"` // pass, fail, error or skip
	// Summary is the verdict line as the terminal prints it, with what a
	// failed run's not-enforced settings may explain.
	Summary    string              `json:"summary"`
	Counts     Counts              `json:"counts"`
	Reason     string              `json:"reason,omitempty"` // the error or skip reason
	Licence    string              `json:"licence,omitempty"`
	Phases     []Phase             `json:"phases"`
	Steps      []StepDoc           `json:"steps"`
	Throughput *Throughput         `json:"throughput,omitempty"`
	Outages    []Outage            `json:"outages,omitempty"`
	Settings   map[string][]string `json:"settings,omitempty"`
	// SetAside and NotEnforced are Report's lists (docs/reports.md);
	// report.json lacked them before, while report.md and the terminal
	// printed them (forum35 D8).
	SetAside    []string `json:"set_aside,omitempty"`
	NotEnforced []string `json:"not_enforced,omitempty"`
	Artifacts   []string `json:"artifacts"`
}

// Counts sums up the steps: every step is passed or failed; NotJudged
// counts the passed ones whose rate figures were not judged.
type Counts struct {
	Steps     int `json:"steps"`
	Passed    int `json:"passed"`
	Failed    int `json:"failed"`
	NotJudged int `json:"not_judged,omitempty"`
}

// StepDoc is one step of report.json. A probe step has probe, from, to and
// expect; an action step has action and, where it has them, a target and
// what it did (renumber).
type StepDoc struct {
	Index  int                  `json:"index"`
	Line   int                  `json:"line,omitempty"`
	Kind   string               `json:"kind"` // probe or action
	Probe  string               `json:"probe,omitempty"`
	Action string               `json:"action,omitempty"`
	ID     string               `json:"id,omitempty"`
	From   string               `json:"from,omitempty"`
	To     string               `json:"to,omitempty"`
	Target string               `json:"target,omitempty"`
	Query  string               `json:"query,omitempty"`
	Expect map[string]any       `json:"expect,omitempty"`
	Want   string               `json:"want_server_saw,omitempty"`
	Seen   scenario.Observation `json:"seen"`
	OK     bool                 `json:"ok"`
	Why    string               `json:"why,omitempty"`
	// NotJudged: why the rate figures were not judged (report.NotJudged).
	NotJudged string `json:"not_judged,omitempty"`
	// NotEnforced: how a failed step depends on what the emulator does
	// not enforce (StepResult.NotEnforced).
	NotEnforced string `json:"not_enforced,omitempty"`
	// Caveat: what stored-only settings on a passed step's path could
	// change its outcome (StepResult.Caveat).
	Caveat    string               `json:"caveat,omitempty"`
	Seconds   float64              `json:"duration_s"`
	Attempts  int                  `json:"attempts,omitempty"`
	Tries     []scenario.Try       `json:"tries,omitempty"`
	HeldAfter *float64             `json:"held_after_s,omitempty"`
	Outage    *float64             `json:"outage_s,omitempty"`
	Renumber  *scenario.Renumbered `json:"renumber,omitempty"`
	// RatioRef: the reference measured again before this step's last
	// run, which its ratio_to was judged against.
	RatioRef *scenario.Observation `json:"ratio_ref,omitempty"`
}

// Document builds report.json's structure from the report.
func (r *Report) Document() Document {
	d := Document{
		Schema: Schema, Run: r.Run, LabRun: r.LabRun, Scenario: r.Scenario, Title: r.Title, Lab: r.Lab,
		Router: r.Router, RouterNote: r.Note, Version: r.Version, Started: r.Started,
		Provisioned: r.Provisioned, Boot: r.Boot, ReadyChecks: r.ReadyChecks,
		Verdict: r.verdictWord(), Summary: r.Verdict(), Licence: r.Licence, Phases: r.Phases, Throughput: r.Throughput,
		Outages: r.Outages, Settings: r.Settings, SetAside: r.SetAside, NotEnforced: r.NotEnforced, Artifacts: r.Artifacts,
		Steps: make([]StepDoc, 0, len(r.Steps)),
	}
	if d.Phases == nil {
		d.Phases = []Phase{}
	}
	if d.Artifacts == nil {
		d.Artifacts = []string{}
	}
	switch {
	case r.Error != "":
		d.Reason = r.Error
	case r.Skipped:
		d.Reason = r.SkipReason
	}
	for i := range r.Steps {
		s := &r.Steps[i]
		d.Counts.Steps++
		if s.OK {
			d.Counts.Passed++
			if s.NotJudged != "" {
				d.Counts.NotJudged++
			}
		} else {
			d.Counts.Failed++
		}
		d.Steps = append(d.Steps, stepDoc(s))
	}
	return d
}

func stepDoc(s *scenario.StepResult) StepDoc {
	sd := StepDoc{Index: s.Index, Line: s.Line, ID: s.ID, Target: s.Target, Seen: s.Seen, OK: s.OK, Why: s.Why, NotJudged: s.NotJudged, NotEnforced: s.NotEnforced, Caveat: s.Caveat,
		Seconds: s.Duration, Attempts: s.Attempts, Tries: s.Tries, HeldAfter: s.HeldAfter, Outage: s.Outage, Renumber: s.Renumber, RatioRef: s.RatioRef}
	if s.Action != "" {
		sd.Kind, sd.Action = "action", string(s.Action)
		return sd
	}
	sd.Kind, sd.Probe = "probe", string(s.Probe)
	sd.From, sd.To, sd.Query, sd.Want = s.From, s.To, s.Query, s.Want
	sd.Expect = fields(reflect.ValueOf(s.Expect))
	return sd
}

// fields turns an expectation into a map keyed by the names a scenario
// file uses for them (the yaml tags), leaving out what was not set, so
// that every expectation the grammar gains shows in the report without a
// second list to keep in step. Durations become seconds.
func fields(v reflect.Value) map[string]any {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	out := map[string]any{}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		fv := v.Field(i)
		if fv.IsZero() {
			continue
		}
		switch x := fv.Interface().(type) {
		case time.Duration:
			out[name] = x.Seconds()
		case fmt.Stringer:
			if fv.Kind() == reflect.Struct {
				out[name] = x.String()
				continue
			}
			out[name] = plain(fv)
		default:
			out[name] = plain(fv)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// plain returns v as JSON would naturally encode it: structs and pointers
// to structs become maps of their yaml names too.
func plain(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Struct:
		return fields(v)
	case reflect.Pointer:
		if v.Elem().Kind() == reflect.Struct {
			return fields(v)
		}
		return v.Elem().Interface()
	}
	return v.Interface()
}

// verdictWord is the run's outcome in one word.
func (r *Report) verdictWord() string {
	switch {
	case r.Skipped:
		return "skip"
	case r.Error != "":
		return "error"
	case r.Passed:
		return "pass"
	}
	return "fail"
}

// JSON encodes report.json: indented, and with "->" and "<" as they are
// rather than as \u escapes (nothing here is embedded in HTML).
func (r *Report) JSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r.Document()); err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	return b.Bytes(), nil
}
