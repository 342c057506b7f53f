package report

import (
	"bytes"
	"fmt"
	"strings"
)

// Markdown renders report.md: the verdict, the table, the figures and the
// artifacts, for a CI job summary or an issue comment.
func (r *Report) Markdown() []byte {
	var b bytes.Buffer
	icon := map[string]string{"pass": "✅", "fail": "❌", "error": "⚠️", "skip": "⏭️"}[r.verdictWord()]
	fmt.Fprintf(&b, "### %s %s\n\n", icon, mdText(r.heading()))
	router := r.Router
	if r.Version != "" {
		router += ", RouterOS " + r.Version
	}
	fmt.Fprintf(&b, "%s  \nrouter: %s", mdText(r.Verdict()), mdText(router))
	if r.Note != "" {
		fmt.Fprintf(&b, " (%s)", mdText(r.Note))
	}
	if r.Provisioned != "" {
		fmt.Fprintf(&b, "  \nprovisioned by %s; boot %.1f s, ready checks %.1f s", mdText(r.Provisioned), r.Boot, r.ReadyChecks)
	}
	b.WriteString("\n\n")
	if rows := rowsOf(r.Steps); len(rows) > 0 {
		b.WriteString("| " + strings.Join(columns, " | ") + " |\n")
		b.WriteString(strings.Repeat("| --- ", len(columns)) + "|\n")
		for _, x := range rows {
			cells := x.cells()
			for i := range cells {
				cells[i] = mdCell(cells[i])
			}
			b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
		}
		b.WriteString("\n")
		for _, x := range rows {
			switch {
			case !x.Held:
				fmt.Fprintf(&b, "- step %d (line %d): %s\n", x.Index, x.Line, mdText(x.Why))
			case x.NotJudged != "":
				fmt.Fprintf(&b, "- step %d (line %d): %s\n", x.Index, x.Line, mdText(x.notJudgedText()))
			case x.Caveat != "":
				fmt.Fprintf(&b, "- step %d (line %d): %s\n", x.Index, x.Line, mdText(x.caveatText()))
			}
		}
	}
	if f := r.figures(); len(f) > 0 {
		b.WriteString("\n")
		for _, l := range f {
			b.WriteString("- " + mdText(l) + "\n")
		}
	}
	if len(r.Artifacts) > 0 {
		b.WriteString("\nartifacts in `results/" + r.Run + "/`: ")
		for i, a := range r.Artifacts {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("`" + a + "`")
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

// mdCell makes text safe inside a table cell: a pipe would split it.
func mdCell(s string) string {
	return strings.ReplaceAll(mdText(s), "|", `\|`)
}

// mdText keeps text from being read as markup: no line breaks, and the
// characters that open emphasis or HTML escaped.
func mdText(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.NewReplacer("*", `\*`, "_", `\_`, "<", "&lt;", ">", "&gt;", "`", "'").Replace(s)
}
