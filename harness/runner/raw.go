package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/harness/report"
	"github.com/chrlab/chrlab/harness/scenario"
)

// rawOutputs holds the raw output of each step's last probe (a step with
// within tries until it holds: its last try is the one reported), by the
// step's line, until the step's result is saved.
type rawOutputs struct {
	mu   sync.Mutex
	last map[int]rawOutput
}

type rawOutput struct {
	ext  string // file extension: json for labagent's line, txt for the router's rows
	data []byte
}

func newRawOutputs() *rawOutputs { return &rawOutputs{last: map[int]rawOutput{}} }

func (r *rawOutputs) keep(st scenario.Step, ext string, data []byte) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.last[st.Line] = rawOutput{ext: ext, data: bytes.Clone(data)}
}

func (r *rawOutputs) take(line int) (rawOutput, bool) {
	if r == nil {
		return rawOutput{}, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	o, ok := r.last[line]
	delete(r.last, line)
	return o, ok
}

// recorder is ex with every labagent answer kept as st's raw output.
func (r *rawOutputs) recorder(ex probe.Execer, st scenario.Step) probe.Execer {
	if r == nil {
		return ex
	}
	return recordingExec{ex: ex, raw: r, st: st}
}

type recordingExec struct {
	ex  probe.Execer
	raw *rawOutputs
	st  scenario.Step
}

func (x recordingExec) Exec(ctx context.Context, node string, cmd []string) ([]byte, int, error) {
	out, code, err := x.ex.Exec(ctx, node, cmd)
	if err == nil {
		x.raw.keep(x.st, "json", out)
	}
	return out, code, err
}

// save writes a finished step's raw output into probes/: the agent's
// answer as it printed it (probes/<step>-<probe>.json) and, where the
// agent carried a tool's own output, that too: iperf3's -J report
// (.iperf3.json) and the DNS response as dig prints it (.dig.txt). The
// router's connection-table rows go to .txt.
//
// A step measured again beside its ratio_to reference (s.RatioRef) also
// writes the reference's second run, as probes/<step>-<probe>.ratio-ref.*:
// it is the one output still kept for an earlier step's line, as the
// earlier step's own was taken when it finished.
func (r *rawOutputs) save(rep *report.Report, s scenario.StepResult) {
	o, ok := r.take(s.Line)
	if !ok || s.Probe == "" {
		return
	}
	base := fmt.Sprintf("probes/%02d-%s", s.Index, s.Probe)
	writeRaw(rep, base, o)
	if s.RatioRef != nil {
		for _, line := range r.linesBefore(s.Line) {
			if ref, ok := r.take(line); ok {
				writeRaw(rep, base+".ratio-ref", ref)
			}
		}
	}
}

// linesBefore lists the lines with an output kept that come before line.
func (r *rawOutputs) linesBefore(line int) []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []int
	for l := range r.last {
		if l < line {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out
}

// writeRaw writes one raw output under base (probes/<step>-<probe>) with
// its extension, and the tool's own output it carried beside it.
func writeRaw(rep *report.Report, base string, o rawOutput) {
	_ = rep.Save(base+"."+o.ext, o.data)
	if o.ext != "json" {
		return
	}
	var res probe.Result
	if json.Unmarshal(o.data, &res) != nil {
		return
	}
	if len(res.Iperf3) > 0 {
		var pretty bytes.Buffer
		if json.Indent(&pretty, res.Iperf3, "", "  ") == nil {
			_ = rep.Save(base+".iperf3.json", append(pretty.Bytes(), '\n'))
		}
	}
	if res.Message != "" {
		_ = rep.Save(base+".dig.txt", []byte(res.Message))
	}
}

// printRows prints RouterOS API rows as the terse print would: one row a
// line, its properties sorted.
func printRows(rows []map[string]string) []byte {
	var b strings.Builder
	for i, row := range rows {
		fmt.Fprintf(&b, "%d", i)
		for _, k := range slices.Sorted(maps.Keys(row)) {
			fmt.Fprintf(&b, " %s=%s", k, row[k])
		}
		b.WriteByte('\n')
	}
	if len(rows) == 0 {
		b.WriteString("(no entries)\n")
	}
	return []byte(b.String())
}
