// Package report turns a run into what a person reads: a terminal table
// with a one-line verdict, and report.json beside the run's other
// artifacts in results/<run>/.
package report

import (
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
	Run      string `json:"run"`
	LabRun   string `json:"lab_run"` // the chrlab.run label of the lab's containers
	Scenario string `json:"scenario"`
	Title    string `json:"title"`
	Lab      string `json:"lab"`
	Router   string `json:"router"`                // backend that ran: rosemu, vm, chr
	Note     string `json:"router_note,omitempty"` // why that backend
	Version  string `json:"routeros_version,omitempty"`
	// Provisioned says how the router got its management address (static,
	// autorun, console); Boot how long the lab took to come up with it and
	// ReadyChecks the router's own readiness checks after that, in seconds.
	Provisioned string                `json:"provisioned,omitempty"`
	Boot        float64               `json:"boot_s,omitempty"`
	ReadyChecks float64               `json:"ready_checks_s,omitempty"`
	Started     time.Time             `json:"started"`
	Phases      []Phase               `json:"phases"`
	Steps       []scenario.StepResult `json:"steps"`
	Throughput  *Throughput           `json:"throughput,omitempty"`
	// Outages lists, for scenarios that renumber the WAN, how long each
	// recovering step took after the router held its new address.
	Outages []Outage `json:"outages,omitempty"`
	// Settings are the lab's flags that shape the numbers (IP Cloud
	// interval, DHCP lease time), so the report says which values ran.
	Settings map[string][]string `json:"settings,omitempty"`
	// NotEnforced lists what the emulated router accepted and stores but
	// does not enforce, one line per menu or property ("/ip firewall
	// filter action: 1 (action=tarpit: ...)"); empty on real RouterOS.
	NotEnforced []string `json:"not_enforced,omitempty"`
	// Notes say what of the router's configuration meets the lab in a way
	// a real network would not (an address list that covers the lab's
	// internet), so that the run is read with it in mind.
	Notes []string `json:"notes,omitempty"`
	// SetAside lists the lines of the router's configuration set aside as
	// hardware a lab router does not have (a RouterBOARD's radios).
	SetAside []string `json:"set_aside,omitempty"`
	Passed   bool     `json:"passed"`
	// Skipped runs proved nothing (SkipReason says why): the scenario's
	// RouterOS version range excludes the router's version
	// (OutOfRange), or the router cannot run it (a kernel without a
	// feature the configuration needs, a CHR for an emulated limit).
	Skipped    bool   `json:"skipped,omitempty"`
	SkipReason string `json:"skip_reason,omitempty"`
	OutOfRange bool   `json:"out_of_range,omitempty"`
	// Licence labels throughput figures that say nothing about the
	// configuration: a CHR whose licence caps them, or a QEMU router under
	// TCG. Such thresholds are labelled, not judged.
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
	// DirectAgain: the hairpin step's ratio fell short at first, so direct
	// was measured again right before hairpin's last run, and DirectBps
	// is that measurement (the one the ratio was judged against).
	DirectAgain bool `json:"direct_measured_again,omitempty"`
}

// Outage is one step's recovery time after a WAN renumbering.
type Outage struct {
	Step    int     `json:"step"`
	What    string  `json:"what"`    // "tcp client1 -> router.wan:12566"
	Seconds float64 `json:"seconds"` // -1: did not recover within the limit
}

// RateOnly says whether a failed step failed on its rate figures only: a
// throughput or connection-rate probe whose traffic got through, as its
// expectation asked.
func RateOnly(s scenario.StepResult) bool {
	switch s.Probe {
	case scenario.Iperf, scenario.CPS, scenario.ConntrackRate:
		return s.Seen.Result == "ok" && (s.Expect.Result == "" || s.Expect.Result == "ok")
	}
	return false
}

// NotJudged says why a failed step is not failed for its rate figures, or
// "" when it fails. On a licence-capped or TCG-emulated router (licence) a
// rate figure says nothing about the configuration, nor does a cps figure
// the prober could not keep its own schedule for: the machine starved it
// (it is measured again first, runner's proberTries). The same holds for
// a conntrack-rate step's insert rate and failures, but not for what it
// counted in the table (entries per flow, the peak): a starved prober
// sends fewer flows, each of which still makes its one entry, so those
// stay judged. Connectivity still counts: a step whose traffic did not
// get through fails, and so does one that went faster than its max_gbps,
// which no cap or emulator explains.
func NotJudged(licence string, s scenario.StepResult) string {
	if s.OK || !RateOnly(s) {
		return ""
	}
	switch {
	case licence != "" && aboveCeiling(s):
		// A capped or emulated router only ever makes a rate lower: an
		// iperf above its max_gbps went through something that should
		// have held it (forum57 D6: 2.57 Gbit/s through a 2M queue tree
		// on the vm router read "not judged" and the run passed).
		return ""
	case licence != "":
		return strings.SplitN(licence, ":", 2)[0]
	case s.Probe == scenario.CPS && s.Seen.ProberBound, s.Probe == scenario.ConntrackRate && s.Seen.ProberBound && tableHeld(s):
		return "prober-bound: the prober fell behind its own schedule, so the machine was too busy for these figures to say anything about the path"
	}
	return ""
}

// aboveCeiling says whether an iperf step measured more than its
// max_gbps.
func aboveCeiling(s scenario.StepResult) bool {
	return s.Probe == scenario.Iperf && s.Expect.MaxGbps > 0 && s.Seen.BitsPerSecond/1e9 > s.Expect.MaxGbps
}

// tableHeld says whether a conntrack-rate step's expectations on the
// table's counts held: entries per flow, the peak, the table's limit.
func tableHeld(s scenario.StepResult) bool {
	e, o := s.Expect, s.Seen
	return (e.EntriesPerFlow == "" || e.EntriesPerFlow.Holds(o.EntriesPerFlow)) &&
		(e.PeakEntries == "" || e.PeakEntries.Holds(float64(o.PeakEntries))) &&
		(e.MaxEntries == nil || o.PeakEntries <= *e.MaxEntries)
}

// RenumberOutage is, for a within step after a WAN renumbering, the
// seconds from the new lease until the step held (-1: it never did), or
// nil for a step without within. The connection to the old address is
// lost by the renumbering itself, so the time to hold is the outage even
// when the first try after it already held; outage_s is set only when a
// try failed on the way (review44 #3), so held_after_s is read first and
// outage_s only for a report written before held_after_s existed.
func RenumberOutage(s scenario.StepResult) *float64 {
	if s.HeldAfter != nil {
		return s.HeldAfter
	}
	return s.Outage
}

// Finish computes the verdict and the summaries from the steps.
func (r *Report) Finish() {
	r.Outages = nil
	renumbered := false
	for _, s := range r.Steps {
		renumbered = renumbered || s.Action == scenario.RenumberWAN
		if sec := RenumberOutage(s); renumbered && sec != nil {
			r.Outages = append(r.Outages, Outage{Step: s.Index, What: fmt.Sprintf("%s %s → %s", s.Probe, s.From, s.To), Seconds: *sec})
		}
	}
	r.Passed = r.Error == "" && len(r.Steps) > 0
	var t Throughput
	for i := range r.Steps {
		s := &r.Steps[i]
		if why := NotJudged(r.Licence, *s); why != "" {
			s.OK, s.NotJudged = true, why
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
			if s.RatioRef != nil && s.Expect.RatioTo == "direct" {
				t.DirectBps, t.DirectAgain = s.RatioRef.BitsPerSecond, true
			}
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
	data, err := r.JSON()
	if err != nil {
		return err
	}
	return r.Save("report.json", data)
}

// Save writes an artifact into the run's folder and lists it.
func (r *Report) Save(name string, data []byte) error {
	// A name may hold a folder (pcap/lan.pcap, probes/3-tcp.json).
	if err := os.MkdirAll(filepath.Dir(filepath.Join(r.Dir, name)), 0o755); err != nil {
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
	fmt.Fprintf(w, "\n%s (router: %s)\n", r.heading(), router)
	if r.Provisioned != "" {
		fmt.Fprintf(w, "router provisioned by %s; boot %.1fs, ready checks %.1fs\n", r.Provisioned, r.Boot, r.ReadyChecks)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	rows := rowsOf(r.Steps)
	if len(rows) > 0 {
		fmt.Fprintln(tw, strings.Join(columns, "\t")+"\t")
		for _, x := range rows {
			fmt.Fprintln(tw, strings.Join(x.cells(), "\t")+"\t")
		}
	}
	tw.Flush()
	for _, x := range rows {
		switch {
		case !x.Held:
			fmt.Fprintf(w, "  step %d (line %d): %s\n", x.Index, x.Line, x.Why)
		case x.NotJudged != "":
			fmt.Fprintf(w, "  step %d (line %d): %s\n", x.Index, x.Line, x.notJudgedText())
		case x.Caveat != "":
			fmt.Fprintf(w, "  step %d (line %d): %s\n", x.Index, x.Line, x.caveatText())
		}
	}
	for _, f := range r.figures() {
		fmt.Fprintln(w, f)
	}
	fmt.Fprintln(w, r.Verdict())
}

// Verdict is the one-line summary.
func (r *Report) Verdict() string {
	failed, unjudged := 0, 0
	for _, s := range r.Steps {
		switch {
		case !s.OK:
			failed++
		case s.NotJudged != "":
			unjudged++
		}
	}
	switch {
	case r.Skipped:
		return fmt.Sprintf("VERDICT: SKIP %s: %s", r.Scenario, r.SkipReason)
	case r.Error != "":
		return fmt.Sprintf("VERDICT: ERROR %s: %s", r.Scenario, r.Error)
	case r.Passed && unjudged > 0:
		return fmt.Sprintf("VERDICT: PASS %s: %d of %d expectations held, %d not judged%s (results/%s)", r.Scenario, len(r.Steps)-unjudged, len(r.Steps), unjudged, r.caveatClause(), r.Run)
	case r.Passed:
		return fmt.Sprintf("VERDICT: PASS %s: %s held%s (results/%s)", r.Scenario, allExpectations(len(r.Steps)), r.caveatClause(), r.Run)
	default:
		return fmt.Sprintf("VERDICT: FAIL %s: %d of %d expectations did not hold%s (results/%s)", r.Scenario, failed, len(r.Steps), r.notEnforcedClause(), r.Run)
	}
}

// notEnforcedClause is what a failed run's verdict says beside the FAIL
// when the emulator stores part of the case's configuration without
// enforcing it (forum32 D5): without it, a step that failed for want of
// a web proxy reads as a broken configuration, the cause being only in
// a note below. The steps tied to such a setting with certainty
// (StepResult.NotEnforced) are named. A FAIL stays a FAIL (exit 1).
func (r *Report) notEnforcedClause() string {
	out := NotEnforcedClause(r.NotEnforced, "this case uses")
	if out == "" {
		return ""
	}
	if r.notEnforcedOffPath() {
		// None of them can reach a failed step (forum46 N10: a tarpit
		// rule for TCP offered as the cause of a ping step's FAIL).
		return strings.TrimSuffix(out, ", which may explain it") + ", none of them on the path of a failed step"
	}
	var tied []string
	for _, s := range r.Steps {
		if !s.OK && s.NotEnforced != "" {
			tied = append(tied, fmt.Sprint(s.Index))
		}
	}
	switch len(tied) {
	case 0:
	case 1:
		out += "; step " + tied[0] + " depends on it"
	default:
		out += "; steps " + strings.Join(tied, ", ") + " depend on it"
	}
	return out
}

// caveatClause is what a passed run's verdict says after PASS when steps
// rest on settings the emulator stores without enforcing that touch their
// path (StepResult.Caveat, forum34 D6): "; caveat: step 3 could end
// otherwise on RouterOS (/ip ipsec policy *1 ... covers ...)". Without it
// a PASS of an IPsec bypass read as tested where rosemu sent the packet
// in clear text. Not the run's whole not-enforced list: that stays below
// the table. A PASS stays a PASS (exit 0).
func (r *Report) caveatClause() string {
	var parts []string
	for _, s := range r.Steps {
		if s.OK && s.Caveat != "" {
			parts = append(parts, fmt.Sprintf("step %d could end otherwise on RouterOS (%s)", s.Index, s.Caveat))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "; caveat: " + strings.Join(parts, "; ")
}

// NotEnforcedClause is what a failed verdict says of the not-enforced
// lines of a run (Report.NotEnforced), "" when there are none:
// "; rosemu does not enforce 2 settings <whose> (/snmp: rosemu runs no
// SNMP agent; ...), which may explain it". chrlab check's lab verdict says
// it too (check.ResultVerdict).
func NotEnforcedClause(lines []string, whose string) string {
	what := make([]string, 0, len(lines))
	for _, n := range lines {
		if !outcomeNeutralLine(n) {
			what = append(what, briefNotEnforced(n))
		}
	}
	if len(what) == 0 {
		return ""
	}
	noun := "setting"
	if len(what) > 1 {
		noun = "settings"
	}
	return fmt.Sprintf("; rosemu does not enforce %d %s %s (%s), which may explain it", len(what), noun, whose, strings.Join(what, "; "))
}

// pathKinds are the menus of not-enforced lines whose reach the runner
// judges per step (its caveat): firewall rules, IPsec policies, tunnels
// and the DNS settings.
var pathKinds = []string{"/ip firewall ", "/ipv6 firewall ", "/ip ipsec policy", "/interface gre", "/interface ipip", "/interface eoip", "/ip dns"}

// notEnforcedOffPath reports whether every not-enforced line is of a kind
// the runner judges per step and every failed step is a probe the runner
// found none of them on the path of.
func (r *Report) notEnforcedOffPath() bool {
	for _, n := range r.NotEnforced {
		if !slices.ContainsFunc(pathKinds, func(k string) bool { return strings.HasPrefix(n, k) }) {
			return false
		}
	}
	failed := 0
	for _, s := range r.Steps {
		if s.OK {
			continue
		}
		if s.Probe == "" || !s.NotEnforcedOffPath {
			return false
		}
		failed++
	}
	return failed > 0
}

// OutcomeNeutral are the firewall properties rosemu stores without
// enforcing that change no probe's outcome: no failure is offered their
// doubt, in a step's caveat (forum45 D1) or in a failed verdict (f74 D1:
// chrlab check's verdict on a VLAN whose DNS queries an input rule
// dropped named the defconf fasttrack rule's hw-offload as what "may
// explain it"). hw-offload=yes of a fasttrack-connection rule only asks
// that the connections fasttrack already lets through be switched by the
// switch chip: on CHR it does nothing, on hardware it changes which
// counters and queues see the packets, not whether the connection passes
// (Filter, https://help.mikrotik.com/docs/display/ROS/Filter, action
// fasttrack-connection; https://help.mikrotik.com/docs/display/ROS/L3+Hardware+Offloading).
var OutcomeNeutral = map[string]bool{"hw-offload": true}

// outcomeNeutralLine says whether a not-enforced line, "/ip firewall
// filter hw-offload: 1 (...)", is of an OutcomeNeutral firewall property.
func outcomeNeutralLine(n string) bool {
	head, _, ok := strings.Cut(n, ": ")
	if !ok || !(strings.HasPrefix(head, "/ip firewall ") || strings.HasPrefix(head, "/ipv6 firewall ")) {
		return false
	}
	fields := strings.Fields(head)
	return OutcomeNeutral[fields[len(fields)-1]]
}

// briefNotEnforced shortens a not-enforced line, "/ip proxy: 1 (rosemu
// runs no web proxy)", to "/ip proxy: rosemu runs no web proxy" for the
// verdict; a line of another shape (a router log entry) stays whole.
func briefNotEnforced(n string) string {
	head, rest, ok := strings.Cut(n, ": ")
	if !ok {
		return n
	}
	count, why, ok := strings.Cut(rest, " (")
	if !ok || !strings.HasSuffix(why, ")") || strings.Trim(count, "0123456789") != "" || count == "" {
		return n
	}
	return head + ": " + strings.TrimSuffix(why, ")")
}

// heading is the case's name and, when it has one, its title: a case
// without title: printed "name — " with a dangling dash (forum32 D8).
func (r *Report) heading() string {
	if r.Title == "" {
		return r.Scenario
	}
	return r.Scenario + " — " + r.Title
}

// allExpectations counts them in words: "the 1 expectation", "all 3
// expectations" (it printed "all 1 expectations", forum32 D8).
func allExpectations(n int) string {
	if n == 1 {
		return "the 1 expectation"
	}
	return fmt.Sprintf("all %d expectations", n)
}

func sortedKeys(m map[string][]string) []string {
	return slices.Sorted(maps.Keys(m))
}

// WriteAll writes every view of the report into r.Dir: report.json,
// report.md, junit.xml and report.html. It writes what it can and returns
// the first error.
func (r *Report) WriteAll() error {
	var first error
	keep := func(err error) {
		if first == nil {
			first = err
		}
	}
	if err := r.WriteJSON(); err != nil {
		keep(err)
	}
	if err := r.Save("report.md", r.Markdown()); err != nil {
		keep(err)
	}
	if x, err := JUnit("chrlab", r); err != nil {
		keep(err)
	} else if err := r.Save("junit.xml", x); err != nil {
		keep(err)
	}
	if h, err := r.HTML(); err != nil {
		keep(err)
	} else if err := r.Save("report.html", h); err != nil {
		keep(err)
	}
	return first
}
