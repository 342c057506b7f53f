package report

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"

	"github.com/chrlab/chrlab/harness/scenario"
)

// HTML renders report.html: one self-contained file (no script, no
// external style or font) with the table and the plots a person wants to
// see: throughput bars with the hairpin/direct ratio, the latency
// percentiles of every cps step, the router's connection table over every
// step that sampled it, and the recovery timeline of every step that
// waited for one.
func (r *Report) HTML() ([]byte, error) {
	data := struct {
		R       *Report
		Verdict string
		Word    string
		Columns []string
		Rows    []row
		Figures []string
		Plots   []template.HTML
	}{R: r, Verdict: r.Verdict(), Word: r.verdictWord(), Columns: columns, Rows: rowsOf(r.Steps), Figures: r.figures()}
	if p := throughputPlot(r); p != "" {
		data.Plots = append(data.Plots, p)
	}
	for _, s := range r.Steps {
		if p := latencyPlot(s); p != "" {
			data.Plots = append(data.Plots, p)
		}
		if p := entriesPlot(s); p != "" {
			data.Plots = append(data.Plots, p)
		}
	}
	if p := timelinePlot(r.Steps); p != "" {
		data.Plots = append(data.Plots, p)
	}
	var b bytes.Buffer
	if err := page.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("render report.html: %w", err)
	}
	return b.Bytes(), nil
}

var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>chrlab {{.R.Scenario}}: {{.Word}}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}.pass{color:#11772d}.fail,.error{color:#b00020}.skip{color:#666}
tr.bad td{background:#fdecee}figure{margin:1em 0}figcaption{font-weight:600}
svg text{font:12px system-ui,sans-serif}
</style></head><body>
<h1>{{.R.Scenario}}{{if .R.Title}} — {{.R.Title}}{{end}}</h1>
<p class="{{.Word}}" id="verdict"><strong>{{.Verdict}}</strong></p>
<p>router: {{.R.Router}}{{if .R.Version}}, RouterOS {{.R.Version}}{{end}}{{if .R.Note}} ({{.R.Note}}){{end}}; run {{.R.Run}}</p>
{{if .Rows}}<table id="steps"><tr>{{range .Columns}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr{{if not .Held}} class="bad"{{end}}>{{range .Cells}}<td>{{.}}</td>{{end}}</tr>
{{if not .Held}}<tr class="bad"><td></td><td colspan="8">line {{.Line}}: {{.Why}}</td></tr>{{else if .NotJudged}}<tr><td></td><td colspan="8">line {{.Line}}: {{.NotJudgedText}}</td></tr>{{else if .Caveat}}<tr><td></td><td colspan="8">line {{.Line}}: {{.CaveatText}}</td></tr>{{end}}{{end}}</table>{{end}}
{{if .Figures}}<ul>{{range .Figures}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{range .Plots}}{{.}}{{end}}
{{if .R.Artifacts}}<h2>Artifacts</h2><ul>{{range .R.Artifacts}}<li><a href="{{.}}">{{.}}</a></li>{{end}}</ul>{{end}}
</body></html>
`))

// Cells is row.cells for the template.
func (w row) Cells() []string { return w.cells() }

// svgText escapes text for an SVG element built by hand.
func svgText(s string) string { return html.EscapeString(s) }

// throughputPlot draws one bar per throughput step, scaled to the fastest,
// with the hairpin/direct ratio in the caption.
func throughputPlot(r *Report) template.HTML {
	type bar struct {
		label string
		v     float64
	}
	var bars []bar
	for _, s := range r.Steps {
		if s.Probe == scenario.Iperf && s.Seen.BitsPerSecond > 0 {
			bars = append(bars, bar{probeName(s) + " " + s.From + " → " + s.To, s.Seen.BitsPerSecond})
		}
	}
	if len(bars) == 0 {
		return ""
	}
	max := 0.0
	for _, b := range bars {
		max = math.Max(max, b.v)
	}
	const left, width, h = 260, 420, 26
	var sb strings.Builder
	caption := "Throughput"
	if t := r.Throughput; t != nil && t.Ratio > 0 {
		caption += fmt.Sprintf(": hairpin/direct %.0f%%", 100*t.Ratio)
	}
	fmt.Fprintf(&sb, `<figure id="throughput"><figcaption>%s</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img">`,
		svgText(caption), left+width+120, len(bars)*h+10)
	for i, b := range bars {
		y := 5 + i*h
		w := int(float64(width) * b.v / max)
		fmt.Fprintf(&sb, `<text x="0" y="%d">%s</text><rect class="bar" x="%d" y="%d" width="%d" height="%d" fill="#3b6fb6"/><text x="%d" y="%d">%s</text>`,
			y+16, svgText(b.label), left, y+2, w, h-8, left+w+6, y+16, svgText(bps(b.v)))
	}
	sb.WriteString(`</svg></figure>`)
	return template.HTML(sb.String())
}

// latencyPlot draws a cps step's connection-setup latency against the
// percentile, from the percentiles the probe measured.
func latencyPlot(s scenario.StepResult) template.HTML {
	if s.Probe != scenario.CPS || s.Seen.PerSecond == 0 {
		return ""
	}
	pts := []struct{ p, ms float64 }{{50, s.Seen.P50}, {99, s.Seen.P99}}
	var kept []struct{ p, ms float64 }
	for _, pt := range pts {
		if pt.ms > 0 {
			kept = append(kept, pt)
		}
	}
	if len(kept) == 0 {
		return ""
	}
	max := 0.0
	for _, pt := range kept {
		max = math.Max(max, pt.ms)
	}
	// The x axis is the percentile on a log scale of 1/(1-p), as latency
	// tools draw it, so the tail gets the room it deserves.
	x := func(p float64) float64 { return 40 + 380*math.Log10(1/(1-p/100))/3 }
	y := func(ms float64) float64 { return 170 - 150*ms/max }
	var sb strings.Builder
	fmt.Fprintf(&sb, `<figure class="latency"><figcaption>Step %d %s: connection setup latency by percentile (%.0f conn/s)</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="480" height="200" role="img">`,
		s.Index, svgText(s.From+" → "+s.To), s.Seen.PerSecond)
	fmt.Fprintf(&sb, `<line x1="40" y1="170" x2="440" y2="170" stroke="#888"/><line x1="40" y1="20" x2="40" y2="170" stroke="#888"/><text x="0" y="24">%.2fms</text>`, max)
	var path []string
	for _, pt := range kept {
		path = append(path, fmt.Sprintf("%.1f,%.1f", x(pt.p), y(pt.ms)))
		fmt.Fprintf(&sb, `<circle class="point" cx="%.1f" cy="%.1f" r="4" fill="#b65f3b"/><text x="%.1f" y="190">p%g %.2fms</text>`, x(pt.p), y(pt.ms), x(pt.p)-20, pt.p, pt.ms)
	}
	fmt.Fprintf(&sb, `<polyline fill="none" stroke="#b65f3b" points="%s"/></svg></figure>`, strings.Join(path, " "))
	return template.HTML(sb.String())
}

// timelinePlot draws every try of every step that waited for a recovery:
// a red dot for a failed try, a green one for the try that held.
func timelinePlot(steps []scenario.StepResult) template.HTML {
	var lanes []scenario.StepResult
	end := 0.0
	for _, s := range steps {
		if len(s.Tries) > 0 {
			lanes = append(lanes, s)
			end = math.Max(end, s.Tries[len(s.Tries)-1].At)
		}
	}
	if len(lanes) == 0 {
		return ""
	}
	if end == 0 {
		end = 1
	}
	const left, width, h = 260, 420, 24
	var sb strings.Builder
	fmt.Fprintf(&sb, `<figure id="timeline"><figcaption>Recovery: every try, seconds from the step's start (%.1fs shown)</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img">`,
		end, left+width+20, len(lanes)*h+10)
	for i, s := range lanes {
		y := 5 + i*h
		fmt.Fprintf(&sb, `<text x="0" y="%d">step %d %s</text><line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#ccc"/>`,
			y+15, s.Index, svgText(s.From+" → "+s.To), left, y+11, left+width, y+11)
		for _, t := range s.Tries {
			colour := "#b00020"
			if t.OK {
				colour = "#11772d"
			}
			fmt.Fprintf(&sb, `<circle class="try" cx="%.1f" cy="%d" r="4" fill="%s"><title>%.2fs %s</title></circle>`,
				float64(left)+float64(width)*t.At/end, y+11, colour, t.At, svgText(t.Result))
		}
	}
	sb.WriteString(`</svg></figure>`)
	return template.HTML(sb.String())
}

// CaveatText is row.caveatText for the template.
func (w row) CaveatText() string { return w.caveatText() }

// NotJudgedText is row.notJudgedText for the template.
func (w row) NotJudgedText() string { return w.notJudgedText() }
