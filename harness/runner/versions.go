package runner

import (
	"errors"
	"fmt"
	"strings"

	"github.com/chrlab/chrlab/harness/chr"

	"github.com/chrlab/chrlab/harness/report"
	"github.com/chrlab/chrlab/harness/scenario"
)

// EmulatedRange is the RouterOS versions rosemu emulates (scenario.EmulatedRange).
const EmulatedRange = scenario.EmulatedRange

// LastV6 is the RouterOS 6 version that stands in for an older 6 on the emulator.
const LastV6 = scenario.LastV6

// NearestEmulated maps an export header's version to the one the emulator runs for it.
func NearestEmulated(header string) (string, bool) { return scenario.NearestEmulated(header) }

// ErrVersion marks a RouterOS version that cannot run: unreadable, or not emulated.
var ErrVersion = errors.New("bad RouterOS version")

// checkVersion refuses a version that does not parse, and on rosemu and vm one it does not
// emulate.
func checkVersion(emulated bool, version string) error {
	v, err := scenario.ParseVersion(version)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrVersion, err)
	}
	if !emulated {
		return nil
	}
	r, err := scenario.ParseRange(EmulatedRange)
	if err != nil {
		return fmt.Errorf("parse rosemu's emulated range: %w", err)
	}
	if !r.Contains(v) {
		return fmt.Errorf("%w: rosemu emulates RouterOS %s, not %s; use ROUTER=chr for that version", ErrVersion, EmulatedRange, v)
	}
	return nil
}

// Versions splits ROUTEROS: one version, or several separated by commas. Each must parse or
// name a release channel (stable, long-term, testing, development), which the CHR kind
// resolves through MikroTik's upgrade feed.
func Versions(s string) ([]string, error) {
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if _, err := scenario.ParseVersion(f); err != nil && !chr.IsChannel(f) {
			// The list came from --routeros or from make's ROUTEROS=; the
			// parse error names the value (it said ROUTEROS= for the flag too).
			return nil, fmt.Errorf("%w: %w", ErrVersion, err)
		}
		out = append(out, f)
	}
	return out, nil
}

// saveDistributions writes each cps step's latency distribution as an artifact: one line per
// percentile, "percentile milliseconds", as HdrHistogram's percentile output reads.
func saveDistributions(rep *report.Report, steps []scenario.StepResult) {
	for _, st := range steps {
		if len(st.Seen.Distribution) == 0 {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "# cps step %d (line %d) %s -> %s, %s loop", st.Index, st.Line, st.From, st.Target, st.Seen.Mode)
		if st.Seen.Rate > 0 {
			fmt.Fprintf(&b, " at %g/s", st.Seen.Rate)
		}
		fmt.Fprintf(&b, "\n# percentile latency_ms\n")
		for _, p := range st.Seen.Distribution {
			fmt.Fprintf(&b, "%.6f %.3f\n", p[0], p[1])
		}
		_ = rep.Save(fmt.Sprintf("cps-step%d-latency.txt", st.Index), []byte(b.String()))
	}
}

// saveEntries writes the router's table size over each step that sampled it (conntrack-rate, cps,
// flow) as an artifact, report.EntriesFile names it: "seconds,entries", one line per reading.
func saveEntries(rep *report.Report, steps []scenario.StepResult) {
	for _, st := range steps {
		if len(st.Seen.Entries) == 0 {
			continue
		}
		_ = rep.Save(report.EntriesFile(st), entriesCSV(st.Seen.Entries))
	}
}
