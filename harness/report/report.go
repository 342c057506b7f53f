// Package report turns a run into what a person reads: a terminal table
// with a one-line verdict, and report.json beside the run's other
// artifacts in results/<run>/.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chrlab/chrlab/harness/scenario"
)

// Report is everything known about one run of one scenario.
type Report struct {
	Run        string                `json:"run"`
	LabRun     string                `json:"lab_run"` // the chrlab.run label of the lab's containers
	Scenario   string                `json:"scenario"`
	Title      string                `json:"title"`
	Lab        string                `json:"lab"`
	Router     string                `json:"router"`                // backend that ran: rosemu, vm, chr
	Note       string                `json:"router_note,omitempty"` // why that backend
	Version    string                `json:"routeros_version,omitempty"`
	Started    time.Time             `json:"started"`
	Phases     []Phase               `json:"phases"`
	Steps      []scenario.StepResult `json:"steps"`
	Throughput *Throughput           `json:"throughput,omitempty"`
	// Outages lists, for scenarios that renumber the WAN, how long each
	// recovering step took after the router held its new address.
	Outages []Outage `json:"outages,omitempty"`
	// Settings are the lab's flags that shape the numbers (IP Cloud
	// interval, DHCP lease time), so the report says which values ran.
	Settings map[string][]string `json:"settings,omitempty"`
	Passed   bool                `json:"passed"`
	// Skipped runs did not start: the scenario's RouterOS version range
	// excludes the router's version (SkipReason says how).
	Skipped    bool   `json:"skipped,omitempty"`
	SkipReason string `json:"skip_reason,omitempty"`
	// Licence labels throughput figures of a CHR whose licence caps them.
	Licence string `json:"licence,omitempty"`
	// Error is set when the run could not finish (bad configuration, lab
	// failure); then Passed is false whatever the steps say.
	Error     string   `json:"error,omitempty"`
	Artifacts []string `json:"artifacts,omitempty"` // file names inside Dir
	Dir       string   `json:"-"`
}

// Phase is one timed part of a run.
type Phase struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
}

// Throughput compares the hairpin path with the direct LAN path, both
// measured in the same run.
type Throughput struct {
	DirectBps  float64 `json:"direct_bps"`
	HairpinBps float64 `json:"hairpin_bps"`
	WANBps     float64 `json:"wan_bps,omitempty"`
	Ratio      float64 `json:"hairpin_direct_ratio"`
}

// Outage is one step's recovery time after a WAN renumbering.
type Outage struct {
	Step    int     `json:"step"`
	What    string  `json:"what"`    // "tcp client1 -> router.wan:12566"
	Seconds float64 `json:"seconds"` // -1: did not recover within the limit
}

// Finish computes the verdict and the summaries from the steps.
func (r *Report) Finish() {
	r.Outages = nil
	renumbered := false
	for _, s := range r.Steps {
		renumbered = renumbered || s.Action == scenario.RenumberWAN
		if renumbered && s.Outage != nil {
			r.Outages = append(r.Outages, Outage{Step: s.Index, What: fmt.Sprintf("%s %s -> %s", s.Probe, s.From, s.To), Seconds: *s.Outage})
		}
	}
	r.Passed = r.Error == "" && len(r.Steps) > 0
	var t Throughput
	for i := range r.Steps {
		s := &r.Steps[i]
		if r.Licence != "" && s.Probe == scenario.Iperf && !s.OK {
			// On a licence-capped router a throughput step says nothing
			// about the configuration; connectivity steps still count.
			s.OK, s.Why = true, "licence-bound: "+s.Why
		}
	}
	for _, s := range r.Steps {
		r.Passed = r.Passed && s.OK
		if s.Probe != scenario.Iperf || s.Seen.Result != "ok" {
			continue
		}
		switch s.ID {
		case "direct":
			t.DirectBps = s.Seen.BitsPerSecond
		case "hairpin":
			t.HairpinBps = s.Seen.BitsPerSecond
		case "wan":
			t.WANBps = s.Seen.BitsPerSecond
		}
	}
	if t.DirectBps > 0 && t.HairpinBps > 0 && r.Licence == "" {
		t.Ratio = t.HairpinBps / t.DirectBps
	}
	if t.DirectBps > 0 || t.HairpinBps > 0 || t.WANBps > 0 {
		r.Throughput = &t
	}
}

// Phase records how long a named part of the run took.
func (r *Report) Phase(name string, since time.Time) {
	r.Phases = append(r.Phases, Phase{Name: name, Seconds: time.Since(since).Seconds()})
}

// WriteJSON writes report.json into r.Dir.
func (r *Report) WriteJSON() error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	return r.Save("report.json", data)
}

// Save writes an artifact into the run's folder and lists it.
func (r *Report) Save(name string, data []byte) error {
	if err := os.MkdirAll(r.Dir, 0o755); err != nil {
		return fmt.Errorf("create results folder: %w", err)
	}
	if err := os.WriteFile(filepath.Join(r.Dir, name), data, 0o644); err != nil {
		return fmt.Errorf("write artifact %s: %w", name, err)
	}
	for _, a := range r.Artifacts {
		if a == name {
			return nil
		}
	}
	r.Artifacts = append(r.Artifacts, name)
	return nil
}

// Table prints one row per step and the verdict line.
func (r *Report) Table(w io.Writer) {
	router := r.Router
	if r.Version != "" {
		router += ", RouterOS " + r.Version
	}
	fmt.Fprintf(w, "\n%s — %s (router: %s)\n", r.Scenario, r.Title, router)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if len(r.Steps) > 0 {
		fmt.Fprintln(tw, "#\tSTEP\tFROM\tTO\tEXPECT\tRESULT\tSERVER SAW\tTIME\t")
		for _, s := range r.Steps {
			mark := "ok"
			if !s.OK {
				mark = "FAIL"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
				s.Index, probeName(s), dash(s.From), toText(s), expectText(s), s.Seen.Result, sawText(s), timeText(s), mark)
		}
	}
	tw.Flush()
	for _, s := range r.Steps {
		if !s.OK {
			fmt.Fprintf(w, "  step %d (line %d): %s\n", s.Index, s.Line, s.Why)
		}
	}
	if r.Licence != "" {
		fmt.Fprintf(w, "throughput: %s\n", r.Licence)
	}
	if t := r.Throughput; t != nil && t.Ratio > 0 {
		fmt.Fprintf(w, "throughput: hairpin %s, direct LAN %s, hairpin/direct %.0f%%\n", bps(t.HairpinBps), bps(t.DirectBps), 100*t.Ratio)
	}
	for _, s := range r.Steps {
		if s.Renumber != nil {
			fmt.Fprintf(w, "renumbered: WAN %s -> %s; the router held the new lease after %.1fs\n", s.Renumber.Old, s.Renumber.New, s.Renumber.LeaseAfter)
		}
	}
	for _, o := range r.Outages {
		if o.Seconds < 0 {
			fmt.Fprintf(w, "outage: %s did not recover (step %d)\n", o.What, o.Step)
		} else {
			fmt.Fprintf(w, "outage: %s recovered %.1fs after the new lease (step %d)\n", o.What, o.Seconds, o.Step)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(r.Settings)) {
		fmt.Fprintf(w, "settings: %s %s\n", k, strings.Join(r.Settings[k], " "))
	}
	var ph []string
	for _, p := range r.Phases {
		ph = append(ph, fmt.Sprintf("%s %.1fs", p.Name, p.Seconds))
	}
	if len(ph) > 0 {
		fmt.Fprintf(w, "timings: %s\n", strings.Join(ph, ", "))
	}
	fmt.Fprintln(w, r.Verdict())
}

// Verdict is the one-line summary.
func (r *Report) Verdict() string {
	failed := 0
	for _, s := range r.Steps {
		if !s.OK {
			failed++
		}
	}
	switch {
	case r.Skipped:
		return fmt.Sprintf("VERDICT: SKIP %s: %s", r.Scenario, r.SkipReason)
	case r.Error != "":
		return fmt.Sprintf("VERDICT: ERROR %s: %s", r.Scenario, r.Error)
	case r.Passed:
		return fmt.Sprintf("VERDICT: PASS %s: all %d expectations held (results/%s)", r.Scenario, len(r.Steps), r.Run)
	default:
		return fmt.Sprintf("VERDICT: FAIL %s: %d of %d expectations did not hold (results/%s)", r.Scenario, failed, len(r.Steps), r.Run)
	}
}

func probeName(s scenario.StepResult) string {
	if s.Action != "" {
		return string(s.Action)
	}
	if s.ID != "" {
		return string(s.Probe) + ":" + s.ID
	}
	return string(s.Probe)
}

func dash(v string) string {
	if v == "" {
		return "-"
	}
	return v
}

func toText(s scenario.StepResult) string {
	switch {
	case s.Renumber != nil:
		return "router.wan (" + s.Renumber.Old + " -> " + s.Renumber.New + ")"
	case s.Action == scenario.Netem:
		return "link of " + s.From
	case s.Action != "":
		return "router"
	case s.Probe == scenario.DNS:
		return s.To + " (" + s.Target + ") " + s.Query
	}
	return s.To + " (" + s.Target + ")"
}

func expectText(s scenario.StepResult) string {
	if s.Action != "" {
		return "-"
	}
	e := s.Expect.Result
	if e == "" {
		e = "any"
	}
	if s.Expect.ServerSaw != "" {
		e += ", saw " + s.Expect.ServerSaw
	}
	if s.Expect.Answer != "" {
		e += ", answer " + s.Expect.Answer
	}
	if s.Expect.NAT != "" {
		e += ", nat " + s.Expect.NAT
	}
	if s.Expect.Within > 0 {
		e += ", within " + s.Expect.Within.String()
	}
	return e + expectMore(s.Expect)
}

func sawText(s scenario.StepResult) string {
	if d := detailText(s); d != "" {
		return d
	}
	if s.Probe == scenario.Conntrack {
		return fmt.Sprintf("%d entries, nat %s", s.Seen.Count, dash(s.Seen.NAT))
	}
	if len(s.Seen.Answers) > 0 {
		return "answer " + strings.Join(s.Seen.Answers, ",")
	}
	if s.Seen.ServerSaw == "" {
		return "-"
	}
	return s.Seen.ServerSaw
}

func timeText(s scenario.StepResult) string {
	if s.Seen.PerSecond > 0 {
		return cpsText(s.Seen)
	}
	if s.Seen.BitsPerSecond > 0 {
		return bps(s.Seen.BitsPerSecond)
	}
	if s.Seen.Result == "ok" && s.Seen.Millis > 0 {
		return fmt.Sprintf("%.1fms", s.Seen.Millis)
	}
	return fmt.Sprintf("%.1fs", s.Duration)
}

func bps(v float64) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%.2f Gbit/s", v/1e9)
	case v >= 1e6:
		return fmt.Sprintf("%.1f Mbit/s", v/1e6)
	default:
		return fmt.Sprintf("%.0f kbit/s", v/1e3)
	}
}
