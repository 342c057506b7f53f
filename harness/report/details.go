package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/chrlab/chrlab/harness/scenario"
)

// detailText is the SERVER SAW column of the probes added after the first five: what each
// observed in a few words.
func detailText(s scenario.StepResult) string {
	o := s.Seen
	var parts []string
	if s.Action == scenario.Netem || s.Action == scenario.LinkDown || s.Action == scenario.LinkUp {
		return o.Detail
	}
	switch s.Probe {
	case scenario.HTTP:
		if o.Status != 0 {
			parts = append(parts, fmt.Sprintf("%d from %s", o.Status, dash(o.ServerName)))
		}
	case scenario.Ping:
		parts = append(parts, fmt.Sprintf("%d/%d replies", o.Received, o.Sent))
		if o.Received > 0 {
			parts = append(parts, fmt.Sprintf("rtt %.2fms", o.RTTAvg))
		}
	case scenario.Flow:
		parts = append(parts, fmt.Sprintf("%d/%d replies", o.Received, o.Sent), "first "+when(o.FirstReply))
		if o.Stopped >= 0 && o.Stopped != 0 {
			parts = append(parts, "stopped "+when(o.Stopped), "resumed "+when(o.Resumed))
		}
	case scenario.Connections:
		var by []string
		for _, k := range slices.Sorted(maps.Keys(o.AnsweredBy)) {
			by = append(by, fmt.Sprintf("%s %d", k, o.AnsweredBy[k]))
		}
		parts = append(parts, fmt.Sprintf("%d/%d ok", o.Connections, o.Attempted))
		if len(by) > 0 {
			parts = append(parts, strings.Join(by, ", "))
		}
	// The connection-table probes' own summary stays in front of a
	// counter or log read beside them (forum43 D5: with a counter the
	// column showed only "counter 80 packets", not the 100 flows of
	// which 20 were answered).
	case scenario.Conntrack:
		parts = append(parts, conntrackText(o))
	case scenario.ConntrackRate:
		parts = append(parts, conntrackRateText(o))
	case scenario.ConntrackFill:
		parts = append(parts, conntrackFillText(o))
	case scenario.UPnP:
		// What the gateway answered: the UPnP error of a refusal, the
		// mapping made (and deleted), the external address; a search
		// that found nothing says so.
		switch {
		case o.UPnPError != 0:
			// "AddPortMapping: UPnP error 606 Action not authorized"
			first, _, _ := strings.Cut(o.Detail, "; ")
			parts = append(parts, first)
		case len(o.Answers) > 0:
			parts = append(parts, "external "+strings.Join(o.Answers, ","))
		case o.Result == "timeout":
			parts = append(parts, "no gateway answered SSDP")
		}
	case scenario.ResolveConnect:
		if len(o.Answers) > 0 {
			parts = append(parts, "answer "+strings.Join(o.Answers, ","))
		}
		if o.ServerName != "" {
			parts = append(parts, o.ServerName+" saw "+o.ServerSaw)
		}
	}
	// A tcp or udp step's address the server saw stays in front of its
	// counter and log: the column is the server's view first.
	if (o.Counter != nil || o.Log != nil) && len(parts) == 0 && o.ServerSaw != "" && (s.Probe == scenario.TCP || s.Probe == scenario.UDP) {
		parts = append(parts, serverSawText(s))
	}
	if o.Counter != nil {
		parts = append(parts, fmt.Sprintf("counter %d packets", o.Counter.Packets))
	}
	if o.Log != nil {
		// The first matching entry is the evidence; the rest are in
		// report.json.
		if len(o.Log.Matched) > 0 {
			parts = append(parts, "log: "+clip(o.Log.Matched[0]))
		} else {
			parts = append(parts, fmt.Sprintf("no log entry matched (of %d)", o.Log.Entries))
		}
	}
	return strings.Join(parts, "; ")
}

// expectMore lists the thresholds of an expectation, briefly.
func expectMore(e scenario.Expect) string {
	var p []string
	add := func(name string, set bool, v any) {
		if set {
			p = append(p, fmt.Sprintf("%s %v", name, v))
		}
	}
	add("status", e.Status != 0, e.Status)
	add("min", e.MinGbps > 0, fmt.Sprintf("%gGbit/s", e.MinGbps))
	add("max", e.MaxGbps > 0, fmt.Sprintf("%gGbit/s", e.MaxGbps))
	add("ratio to "+e.RatioTo, e.RatioTo != "", fmt.Sprintf(">= %g", e.Min))
	add("min", e.MinCPS > 0, fmt.Sprintf("%g/s", e.MinCPS))
	add("p99 <=", e.MaxP99 > 0, e.MaxP99)
	if e.MaxFailures != nil {
		p = append(p, fmt.Sprintf("failures <= %d", *e.MaxFailures))
	}
	add("min", e.MinInsertsPerS > 0, fmt.Sprintf("%g inserts/s", e.MinInsertsPerS))
	if e.MaxEntries != nil {
		p = append(p, fmt.Sprintf("table <= %d", *e.MaxEntries))
	}
	if e.Full != nil {
		p = append(p, fmt.Sprintf("full %v", *e.Full))
	}
	if e.Log != "" {
		p = append(p, "log "+clip(e.Log))
	}
	for _, c := range []struct {
		name string
		v    scenario.Compare
	}{{"share", e.Share}, {"loss", e.Loss}, {"rtt", e.RTTms}, {"first reply", e.FirstReply}, {"stopped", e.Stopped}, {"resumed", e.Resumed},
		{"entries", e.Entries}, {"entries/flow", e.EntriesPerFlow}, {"peak", e.PeakEntries}, {"new share", e.NewShare}, {"established share", e.EstablishedShare}, {"counter packets", e.Counter.Packets}, {"counter bytes", e.Counter.Bytes}} {
		add(c.name, c.v != "", strings.TrimSpace(string(c.v)))
	}
	if len(p) == 0 {
		return ""
	}
	return ", " + strings.Join(p, ", ")
}

// clip shortens a log entry or pattern for a table cell; the whole of it
// is in report.json and router-log.txt.
func clip(s string) string {
	const width = 60
	if r := []rune(s); len(r) > width {
		return string(r[:width-1]) + "…"
	}
	return s
}

// when prints a flow timeline point; -1 means never.
func when(v float64) string {
	if v < 0 {
		return "never"
	}
	return fmt.Sprintf("%.1fs", v)
}

// cpsText is the TIME column of a cps step: the rate, the percentiles, and a label when the prober
// and not the path was the limit.
func cpsText(o scenario.Observation) string {
	t := fmt.Sprintf("%.0f conn/s, p50 %.2fms p99 %.2fms", o.PerSecond, o.P50, o.P99)
	if o.Mode == "open" {
		t = fmt.Sprintf("open %g/s: ", o.Rate) + t + fmt.Sprintf(" p99.9 %.2fms", o.P999)
	}
	if o.Failures > 0 {
		t += fmt.Sprintf(", %d failed", o.Failures)
	}
	return t + boundLabel(o)
}

// boundLabel marks a cps or conntrack-rate figure the prober, not the
// path, was the limit of.
func boundLabel(o scenario.Observation) string {
	if !o.ProberBound {
		return ""
	}
	t := fmt.Sprintf(" [prober-bound: %.0f%% CPU", o.CPUPercent)
	if o.Measured > 1 {
		t += fmt.Sprintf(", measured %d times", o.Measured)
	}
	return t + "]"
}

// Matrix prints a version × step table of runs of one scenario on several RouterOS versions, in
// the order given, and names the first version where a step's outcome differs from the version
// before it.
func Matrix(w io.Writer, versions []string, reps []*Report) {
	if len(reps) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s across RouterOS versions\n", reps[0].Scenario)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "#\tSTEP\t" + strings.Join(versions, "\t") + "\tFIRST CHANGE\t"
	fmt.Fprintln(tw, head)
	rows := 0
	for _, r := range reps {
		rows = max(rows, len(r.Steps))
	}
	cell := func(r *Report, i int) string {
		switch {
		case r.Skipped:
			return "skip"
		case i >= len(r.Steps):
			if r.Error != "" {
				return "error"
			}
			return "-"
		}
		s := r.Steps[i]
		mark := s.Seen.Result
		if !s.OK {
			mark += " FAIL"
		}
		return mark
	}
	for i := range rows {
		var name string
		for _, r := range reps {
			if i < len(r.Steps) {
				name = probeName(r.Steps[i]) + " " + dash(r.Steps[i].From) + " -> " + r.Steps[i].To
				break
			}
		}
		var cells []string
		change := "-"
		for j, r := range reps {
			cells = append(cells, cell(r, i))
			if j > 0 && change == "-" && cells[j] != cells[j-1] {
				change = versions[j]
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t\n", i+1, name, strings.Join(cells, "\t"), change)
	}
	var verdicts []string
	for _, r := range reps {
		v := "PASS"
		switch {
		case r.Skipped:
			v = "SKIP"
		case r.Error != "":
			v = "ERROR"
		case !r.Passed:
			v = "FAIL"
		}
		verdicts = append(verdicts, v)
	}
	fmt.Fprintf(tw, "\tverdict\t%s\t\t\n", strings.Join(verdicts, "\t"))
	tw.Flush()
}

// conntrackRateText sums up a conntrack-rate step: flows, the entries they created, the table.
func conntrackRateText(o scenario.Observation) string {
	t := fmt.Sprintf("%d flows, %d answered, %d entries created (%.3f/flow), table %d → peak %d", o.Sent, o.Received, o.Created, o.EntriesPerFlow, o.BaseEntries, o.PeakEntries)
	if o.MaxEntries > 0 {
		t += fmt.Sprintf(" of %d", o.MaxEntries)
	}
	return t
}

// conntrackText sums up a conntrack step: the matching entries and their NAT.
func conntrackText(o scenario.Observation) string {
	t := fmt.Sprintf("%d entries, nat %s", o.Count, dash(o.NAT))
	if o.Count > 0 {
		t += fmt.Sprintf(" (dst-nat %d, src-nat %d, both %d)", o.DstNATed, o.SrcNATed, o.BothNATed)
	}
	return t
}

// conntrackFillText sums up a conntrack-fill step: the table at its fullest against its limit,
// the fill, the new flows after it and the established flows meanwhile.
func conntrackFillText(o scenario.Observation) string {
	state := "not full"
	if o.Full {
		state = "full"
	}
	limit := "no max-entries"
	if o.MaxEntries > 0 {
		limit = fmt.Sprintf("max-entries %d", o.MaxEntries)
	}
	return fmt.Sprintf("table peak %d, %s (%s); fill %d flows, %d answered, %d assured; new %d/%d answered (%.3f); established %d flows, %d/%d datagrams answered (%.3f)",
		o.PeakEntries, limit, state, o.Sent, o.Received, o.Assured, o.NewAnswered, o.NewFlows, o.NewShare,
		o.Established, o.EstablishedAnswered, o.EstablishedSent, o.EstablishedShare)
}
