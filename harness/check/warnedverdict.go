package check

import (
	"fmt"
	"io"
	"strings"
)

// Warned is a verdict's text once n warnings stand above it: "no problem
// found" under "the router's DNS would answer the internet" read as an
// all-clear to the user who asked (chk52 D1: an open resolver, WinBox and
// SSH open to the internet, each said so in a warning, and then "no
// problem found", exit 0; in the lab, a failover the lab saw fail, said
// in a warning, under "no problem found"). The verdict now counts them.
func Warned(text string, n int) string {
	if n == 0 {
		return text
	}
	return strings.Replace(text, "no problem found", fmt.Sprintf("%d warning(s) above; no other problem found", n), 1)
}

// PrintFindingsWarned is PrintFindings under n warnings: its diagnosis
// line says so (Warned).
func PrintFindingsWarned(w io.Writer, p *Plan, found []Finding, fx Fix, n int) {
	var b strings.Builder
	PrintFindings(&b, p, found, fx)
	warnDiagnosis(w, b.String(), n)
}

// PrintLabFindingsWarned is PrintLabFindings under n warnings, as
// PrintFindingsWarned is offline: a lab run's diagnosis line read "no
// problem found" under the lab's warnings (chk54).
func PrintLabFindingsWarned(w io.Writer, p *Plan, found []Finding, fx Fix, outs []Outcome, n int) {
	var b strings.Builder
	PrintLabFindings(&b, p, found, fx, outs)
	warnDiagnosis(w, b.String(), n)
}

// warnDiagnosis writes text with its first diagnosis line counting n
// warnings (Warned).
func warnDiagnosis(w io.Writer, text string, n int) {
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "diagnosis:") {
			lines[i] = Warned(l, n)
			break
		}
	}
	io.WriteString(w, strings.Join(lines, ""))
}
