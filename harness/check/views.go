package check

import (
	"bytes"
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/report"
)

// phaseNames are the columns of a path table, in order, with the
// terminal table's headings.
var phaseNames = []struct{ key, head string }{
	{"before", "your config"}, {"renumbered", "after renumbering"}, {"fixed", "with the fix"},
}

// phases lists the phases any path of the document has.
func (d *Document) phases() []string {
	has := map[string]bool{}
	visit := func(ps []PathDoc) {
		for _, p := range ps {
			has["before"] = has["before"] || p.Before != nil
			has["renumbered"] = has["renumbered"] || p.Renumbered != nil
			has["fixed"] = has["fixed"] || p.Fixed != nil
		}
	}
	for _, f := range d.Forwards {
		visit(f.Paths)
	}
	visit(d.Services)
	var out []string
	for _, ph := range phaseNames {
		if has[ph.key] {
			out = append(out, ph.key)
		}
	}
	return out
}

// heading is a phase's column heading; the phase with the fix says when
// the lab left part of the fix out (its router refuses those lines).
func (d *Document) heading(ph string) string {
	if ph == "fixed" && slices.ContainsFunc(d.Fix.Lines, func(l FixLine) bool { return l.LeftOut }) {
		return partFixHead
	}
	if ph == "fixed" && len(d.Fix.Lines) == 0 {
		// A fixed phase with no fix of the findings ran only the
		// hairpin lines of hairpin gaps (labCase).
		return hairpinOnlyHead
	}
	return heading(ph)
}

// partFixHead heads the phase with the fix when the lab tried only part
// of it.
const partFixHead = "with part of the fix"

// hairpinOnlyHead heads the phase with the fix when it ran only the
// hairpin lines of hairpin gaps: the findings have no fix.
const hairpinOnlyHead = "with the hairpin lines"

func heading(ph string) string {
	for _, x := range phaseNames {
		if x.key == ph {
			return x.head
		}
	}
	return ph
}

func (p PathDoc) seen(ph string) *Seen {
	switch ph {
	case "before":
		return p.Before
	case "renumbered":
		return p.Renumbered
	case "fixed":
		return p.Fixed
	}
	return nil
}

// cellText is a phase's cell: the outcome in words, with what the server
// saw.
func (s *Seen) cellText() string {
	if s == nil {
		return "-"
	}
	return s.Text
}

// Title is the report's heading.
func (d *Document) Title() string {
	t := "chrlab check: " + d.Export
	var about []string
	if d.Model != "" {
		about = append(about, d.Model)
	}
	if d.Version != "" {
		about = append(about, "RouterOS "+d.Version)
	}
	if len(about) > 0 {
		t += " (" + strings.Join(about, ", ") + ")"
	}
	return t
}

// Provenance says how the outcomes were found.
func (d *Document) Provenance() string {
	if !d.Proven {
		return "not proven with packets: the diagnosis is read from the export's rules alone (chrlab check without --offline proves it in a lab)"
	}
	s := "proven with packets in a lab shaped like the router's network, router " + d.Router
	if d.Run != "" {
		s += "; run " + d.Run
	}
	return s
}

// Words is what a forward is, on one line.
func (f ForwardDoc) Words() string {
	proto := f.Protocol
	if proto == "" {
		proto = "any protocol"
	}
	s := fmt.Sprintf("forward %d: %s/%d → %s:%d", f.Number, proto, f.DstPort, f.ToAddr, f.ToPort)
	if f.Comment != "" {
		s += " (" + f.Comment + ")"
	}
	return s
}

// Text is a finding in the forum's terms, without its rule.
func (f FindingDoc) Text() string {
	s := f.Cause
	if s == "" {
		s = f.Detail
	} else if f.Detail != "" {
		s += " (" + f.Detail + ")"
	}
	return s
}

var icons = map[string]string{"ok": "✅", "broken": "❌", "fix-fails": "❌", "unfixable": "⚠️"}

// Markdown renders check.md: per forward, its rule, its paths before and
// after the fix, the diagnosis with the rule behind it and the lines to
// paste; then the router's services, the whole fix and what was set aside.
func (d *Document) Markdown() []byte {
	var b bytes.Buffer
	md := report.MDText
	fmt.Fprintf(&b, "### %s %s\n\n", icons[d.Verdict], md(d.Title()))
	fmt.Fprintf(&b, "**%s**  \n%s\n\n", md(d.Summary), md(d.Provenance()))
	for _, w := range d.WANs {
		fmt.Fprintf(&b, "- WAN: %s\n", md(w))
	}
	for _, s := range d.Segments {
		fmt.Fprintf(&b, "- LAN: %s\n", md(s))
	}
	phases := d.phases()
	table := func(paths []PathDoc) {
		head := []string{"path", "from → to"}
		for _, ph := range phases {
			head = append(head, d.heading(ph))
		}
		b.WriteString("| " + strings.Join(head, " | ") + " |\n")
		b.WriteString(strings.Repeat("| --- ", len(head)) + "|\n")
		for _, p := range paths {
			cells := []string{report.MDCell(p.What), report.MDCell(p.From + " → " + p.To)}
			for _, ph := range phases {
				cells = append(cells, report.MDCell(p.seen(ph).cellText()))
			}
			b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
		}
		b.WriteString("\n")
	}
	if len(d.Forwards) == 0 {
		b.WriteString("\nThe export forwards nothing; the router's own services were still checked.\n")
	}
	for _, f := range d.Forwards {
		fmt.Fprintf(&b, "\n#### %s\n\n", md(f.Words()))
		fmt.Fprintf(&b, "line %d: %s\n\n", f.Line, report.MDCode(f.Rule))
		if len(f.Paths) > 0 {
			table(f.Paths)
		}
		if len(f.Findings) == 0 {
			b.WriteString("Diagnosis: " + md(f.NoFinding()) + ".\n")
		} else {
			if f.Unexplained != "" {
				b.WriteString("Diagnosis: " + md(f.Unexplained) + ".\n\n")
			}
			b.WriteString("Diagnosis:\n\n")
			for _, x := range f.Findings {
				fmt.Fprintf(&b, "- %s: %s", md(x.Path), md(x.Text()))
				if x.Line > 0 {
					fmt.Fprintf(&b, "; line %d: %s", x.Line, report.MDCode(x.Rule))
				}
				b.WriteString("\n")
			}
		}
		if len(f.Fix) > 0 {
			b.WriteString("\nFix for this forward:\n\n")
			b.WriteString(report.MDBlock("routeros", f.Fix))
		}
	}
	if len(d.RouterFindings) > 0 {
		b.WriteString("\n#### The router\n\n")
		for _, x := range d.RouterFindings {
			fmt.Fprintf(&b, "- %s: %s\n", md(x.Path), md(x.Text()))
		}
	}
	if len(d.Services) > 0 {
		b.WriteString("\n#### The router's own services\n\n")
		table(d.Services)
	}
	for _, w := range d.Warnings {
		fmt.Fprintf(&b, "- ⚠️ %s\n", md(w))
	}
	if d.Fix.None != "" {
		fmt.Fprintf(&b, "\n#### No fix on this router\n\n%s\n", md(d.Fix.None))
	}
	if len(d.Fix.Lines) > 0 {
		fmt.Fprintf(&b, "\n#### The fix to paste (%s)\n\n", md(methodLabel(d.Fix.Method)))
		var lines []string
		for _, l := range d.Fix.Lines {
			lines = append(lines, l.Line)
		}
		b.WriteString(report.MDBlock("routeros", lines))
		b.WriteString("\n")
		for i, l := range d.Fix.Lines {
			fmt.Fprintf(&b, "%d. %s\n", i+1, md(l.Why))
		}
	}
	if len(d.Logged) > 0 {
		b.WriteString("\n#### What the rules with log=yes logged during the check\n\n| rule | packets | first entry |\n| --- | --- | --- |\n")
		for _, l := range d.Logged {
			fmt.Fprintf(&b, "| %s | %d | %s |\n", report.MDCell(l.Rule), l.Count, report.MDCell(l.First))
		}
	}
	hw, refused := splitAside(d.Aside)
	if len(hw) > 0 {
		fmt.Fprintf(&b, "\n#### Set aside (%s a lab router cannot have)\n\n", countLines(len(hw)))
		for _, a := range hw {
			fmt.Fprintf(&b, "- line %d %s: %s\n", a.Line, report.MDCode("/"+a.Menu), md(a.Reason))
		}
	}
	if len(refused) > 0 {
		fmt.Fprintf(&b, "\n#### Refused, left out (%s the lab router refuses)\n\n", countLines(len(refused)))
		for _, a := range refused {
			if a.Menu == "" { // a line that cannot be read has no menu of its own
				fmt.Fprintf(&b, "- line %d: %s\n", a.Line, md(a.Reason))
				continue
			}
			fmt.Fprintf(&b, "- line %d %s: %s\n", a.Line, report.MDCode("/"+a.Menu), md(a.Reason))
		}
	}
	if len(d.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range d.Notes {
			fmt.Fprintf(&b, "- note: %s\n", md(n))
		}
	}
	return b.Bytes()
}

// HTML renders check.html: one self-contained page (no script, nothing
// loaded from elsewhere), everything escaped by html/template.
func (d *Document) HTML() ([]byte, error) {
	type cell struct {
		Text string
		Bad  bool
	}
	type prow struct {
		What, FromTo string
		Cells        []cell
		Bad          bool
	}
	rows := func(ps []PathDoc) []prow {
		var out []prow
		for _, p := range ps {
			r := prow{What: p.What, FromTo: p.From + " → " + p.To}
			for _, ph := range d.phases() {
				s := p.seen(ph)
				c := cell{Text: s.cellText(), Bad: s != nil && !s.OK}
				r.Bad = r.Bad || c.Bad
				r.Cells = append(r.Cells, c)
			}
			out = append(out, r)
		}
		return out
	}
	type fwView struct {
		F    ForwardDoc
		Rows []prow
	}
	var heads []string
	for _, ph := range d.phases() {
		heads = append(heads, d.heading(ph))
	}
	data := struct {
		D        *Document
		Heads    []string
		Forwards []fwView
		Services []prow
	}{D: d, Heads: heads, Services: rows(d.Services)}
	for _, f := range d.Forwards {
		data.Forwards = append(data.Forwards, fwView{F: f, Rows: rows(f.Paths)})
	}
	var b bytes.Buffer
	if err := checkPage.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("render check.html: %w", err)
	}
	return b.Bytes(), nil
}

var checkPage = template.Must(template.New("check").Funcs(template.FuncMap{"methodLabel": methodLabel}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{{.D.Title}}: {{.D.Verdict}}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}.ok{color:#11772d}.broken,.fix-fails,.unfixable,.bad{color:#b00020}
tr.bad td{background:#fdecee}td.bad{font-weight:600}pre,code{background:#f6f6f6;font:13px ui-monospace,monospace}
pre{padding:.5em;overflow-x:auto}section.forward{border-top:2px solid #ddd;margin-top:1.5em}.proof{color:#555}
</style></head><body>
<h1>{{.D.Title}}</h1>
<p class="{{.D.Verdict}}" id="verdict"><strong>{{.D.Summary}}</strong></p>
<p class="proof" id="provenance">{{.D.Provenance}}</p>
<ul>{{range .D.WANs}}<li>WAN: {{.}}</li>{{end}}{{range .D.Segments}}<li>LAN: {{.}}</li>{{end}}</ul>
{{if not .D.Forwards}}<p>The export forwards nothing; the router's own services were still checked.</p>{{end}}
{{range .Forwards}}<section class="forward" id="forward-{{.F.Number}}">
<h2>{{.F.Words}}</h2>
<p>line {{.F.Line}}: <code>{{.F.Rule}}</code></p>
{{if .Rows}}<table class="paths"><tr><th>path</th><th>from → to</th>{{range $.Heads}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr{{if .Bad}} class="bad"{{end}}><td>{{.What}}</td><td>{{.FromTo}}</td>{{range .Cells}}<td{{if .Bad}} class="bad"{{end}}>{{.Text}}</td>{{end}}</tr>
{{end}}</table>{{end}}
{{if and .F.Findings .F.Unexplained}}<p class="bad">Diagnosis: {{.F.Unexplained}}.</p>{{end}}{{if .F.Findings}}<h3>Diagnosis</h3><ul class="findings">{{range .F.Findings}}<li class="finding">{{.Path}}: {{.Text}}{{if .Line}}; line {{.Line}}: <code>{{.Rule}}</code>{{end}}</li>{{end}}</ul>
{{else if .F.Unexplained}}<p class="bad">Diagnosis: {{.F.Unexplained}}.</p>{{else}}<p class="ok">Diagnosis: no problem found.</p>{{end}}
{{if .F.Fix}}<h3>Fix for this forward</h3><pre class="fix">{{range .F.Fix}}{{.}}
{{end}}</pre>{{end}}
</section>
{{end}}
{{if .D.RouterFindings}}<h2>The router</h2><ul>{{range .D.RouterFindings}}<li class="finding">{{.Path}}: {{.Text}}</li>{{end}}</ul>{{end}}
{{if .Services}}<h2>The router's own services</h2><table class="paths" id="services"><tr><th>path</th><th>from → to</th>{{range .Heads}}<th>{{.}}</th>{{end}}</tr>
{{range .Services}}<tr{{if .Bad}} class="bad"{{end}}><td>{{.What}}</td><td>{{.FromTo}}</td>{{range .Cells}}<td{{if .Bad}} class="bad"{{end}}>{{.Text}}</td>{{end}}</tr>
{{end}}</table>{{end}}
{{if .D.Warnings}}<ul>{{range .D.Warnings}}<li class="bad">{{.}}</li>{{end}}</ul>{{end}}
{{if .D.Fix.None}}<h2>No fix on this router</h2><p>{{.D.Fix.None}}</p>{{end}}
{{if .D.Fix.Lines}}<h2>The fix to paste ({{methodLabel .D.Fix.Method}})</h2>
<pre id="fix">{{range .D.Fix.Lines}}{{.Line}}
{{end}}</pre>
<ol>{{range .D.Fix.Lines}}<li>{{.Why}}</li>{{end}}</ol>{{end}}
{{if .D.Logged}}<h2>What the rules with log=yes logged during the check</h2><table id="logged"><tr><th>rule</th><th>packets</th><th>first entry</th></tr>
{{range .D.Logged}}<tr><td><code>{{.Rule}}</code></td><td>{{.Count}}</td><td>{{.First}}</td></tr>
{{end}}</table>
{{end}}{{if .D.Aside}}<h2>Set aside</h2><table id="aside"><tr><th>line</th><th>menu</th><th>why</th></tr>
{{range .D.Aside}}<tr><td>{{.Line}}</td><td><code>/{{.Menu}}</code></td><td>{{.Reason}}</td></tr>
{{end}}</table>{{end}}
{{if .D.Notes}}<ul>{{range .D.Notes}}<li>note: {{.}}</li>{{end}}</ul>{{end}}
</body></html>
`))
