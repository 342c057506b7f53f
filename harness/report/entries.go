package report

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/chrlab/chrlab/harness/scenario"
)

// EntriesFile is the artifact that holds a step's connection-table series: beside the step's raw
// probe output in probes/.
func EntriesFile(s scenario.StepResult) string {
	return fmt.Sprintf("probes/%02d-%s.entries.csv", s.Index, s.Probe)
}

// entriesLine is the figure line of a step that sampled the router's table: start, peak and end,
// and the file with every reading. Empty for a step that did not sample it.
func entriesLine(s scenario.StepResult) string {
	o := s.Seen
	what := fmt.Sprintf("connection table during step %d (%s %s → %s)", s.Index, probeName(s), dash(s.From), s.To)
	if len(o.Entries) == 0 {
		if o.EntriesError == "" {
			return ""
		}
		return fmt.Sprintf("%s: not sampled, %d readings failed (first: %s)", what, o.EntriesMissed, o.EntriesError)
	}
	t := fmt.Sprintf("%s: %d entries at the start, peak %d, %d at the end", what, o.BaseEntries, o.PeakEntries, o.EndEntries)
	if o.MaxEntries > 0 {
		t += fmt.Sprintf(" (max-entries %d)", o.MaxEntries)
	}
	t += fmt.Sprintf("; %d readings over %.1fs in %s", len(o.Entries), o.Entries[len(o.Entries)-1][0], EntriesFile(s))
	if o.EntriesMissed > 0 {
		t += fmt.Sprintf("; %d readings failed (first: %s)", o.EntriesMissed, o.EntriesError)
	}
	return t
}

// The entries chart's plot area inside its SVG, in pixels.
const (
	chartW, chartH          = 560, 230
	plotL, plotR            = 70, 540
	plotT, plotB            = 15, 180
	chartTicksX, chartTicks = 5, 4
)

// niceStep is the tick spacing for span split into about n parts: 1, 2 or 5 times a power of ten,
// so that the tick labels read as round numbers.
func niceStep(span float64, n int) float64 {
	if span <= 0 {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw*(1-1e-9) {
			return m * mag
		}
	}
	return 10 * mag
}

// entriesAxes are the ranges an entries chart shows: seconds from 0 to the last reading, entries
// from 0 unless the series stays in the upper half of its range (a table that hardly moves
// beside its size), both rounded out to whole ticks.
func entriesAxes(pts [][2]float64) (xHi, xStep, yLo, yHi, yStep float64) {
	xHi = pts[len(pts)-1][0]
	if xHi <= 0 {
		xHi = 1
	}
	xStep = niceStep(xHi, chartTicksX)
	xHi = math.Ceil(xHi/xStep-1e-9) * xStep
	lo, hi := pts[0][1], pts[0][1]
	for _, p := range pts {
		lo, hi = math.Min(lo, p[1]), math.Max(hi, p[1])
	}
	if lo <= hi/2 {
		lo = 0
	}
	if hi == lo {
		hi = lo + 1
	}
	// Entries are whole: no tick between two counts.
	yStep = max(niceStep(hi-lo, chartTicks), 1)
	yLo = math.Floor(lo/yStep) * yStep
	yHi = math.Ceil(hi/yStep-1e-9) * yStep
	if yHi == yLo {
		yHi = yLo + yStep
	}
	return xHi, xStep, yLo, yHi, yStep
}

// entriesPoints is a series as SVG polyline points in the chart's plot area.
func entriesPoints(pts [][2]float64) string {
	if len(pts) == 0 {
		return ""
	}
	xHi, _, yLo, yHi, _ := entriesAxes(pts)
	out := make([]string, 0, len(pts))
	for _, p := range pts {
		x := plotL + (plotR-plotL)*p[0]/xHi
		y := plotB - (plotB-plotT)*(p[1]-yLo)/(yHi-yLo)
		out = append(out, fmt.Sprintf("%.1f,%.1f", x, y))
	}
	return strings.Join(out, " ")
}

// tickText prints a tick value without trailing zeros.
func tickText(v float64) string {
	return fmt.Sprintf("%g", math.Round(v*1000)/1000)
}

// entriesPlot draws the router's connection table over a step that sampled it: total-entries
// against the seconds since the first reading, as a line with labelled axes. Empty for a step
// without readings.
func entriesPlot(s scenario.StepResult) template.HTML {
	pts := s.Seen.Entries
	if len(pts) == 0 {
		return ""
	}
	xHi, xStep, yLo, yHi, yStep := entriesAxes(pts)
	var sb strings.Builder
	fmt.Fprintf(&sb, `<figure class="entries"><figcaption>Step %d %s %s: the router's connection table (start %d, peak %d, end %d entries)</figcaption>`,
		s.Index, svgText(probeName(s)), svgText(dash(s.From)+" → "+s.To), s.Seen.BaseEntries, s.Seen.PeakEntries, s.Seen.EndEntries)
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img">`, chartW, chartH)
	for i := 0; yLo+float64(i)*yStep <= yHi+yStep/2; i++ {
		v := yLo + float64(i)*yStep
		y := plotB - (plotB-plotT)*(v-yLo)/(yHi-yLo)
		fmt.Fprintf(&sb, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#e4e4e4"/><text x="%d" y="%.1f" text-anchor="end">%s</text>`,
			plotL, y, plotR, y, plotL-6, y+4, tickText(v))
	}
	for i := 0; float64(i)*xStep <= xHi+xStep/2; i++ {
		v := float64(i) * xStep
		x := plotL + (plotR-plotL)*v/xHi
		fmt.Fprintf(&sb, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#888"/><text x="%.1f" y="%d" text-anchor="middle">%s</text>`,
			x, plotB, x, plotB+5, x, plotB+19, tickText(v))
	}
	fmt.Fprintf(&sb, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#888"/><line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#888"/>`,
		plotL, plotB, plotR, plotB, plotL, plotT, plotL, plotB)
	fmt.Fprintf(&sb, `<text class="axis" x="%d" y="%d" text-anchor="middle">seconds</text>`, (plotL+plotR)/2, chartH-8)
	fmt.Fprintf(&sb, `<text class="axis" x="16" y="%d" text-anchor="middle" transform="rotate(-90 16 %d)">entries</text>`, (plotT+plotB)/2, (plotT+plotB)/2)
	fmt.Fprintf(&sb, `<polyline class="entries" fill="none" stroke="#2f7d6d" stroke-width="2" points="%s"/></svg></figure>`, entriesPoints(pts))
	return template.HTML(sb.String())
}
