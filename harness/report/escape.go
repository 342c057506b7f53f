package report

import "strings"

// MDText is the Markdown escaping of the run's report, for other reports
// (chrlab check's) that must render text the same way: no line breaks,
// nothing read as emphasis or HTML.
func MDText(s string) string { return mdText(s) }

// MDCell is MDText for a table cell: a pipe would split it.
func MDCell(s string) string { return mdCell(s) }

// MDCode puts s in a code span whose fence no backtick run in s can
// close, so that a RouterOS rule is shown as written.
func MDCode(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r", " "), "\n", " ")
	fence := "`" + strings.Repeat("`", longestRun(s, '`'))
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + s + pad + fence
}

// MDBlock is a fenced code block of lines, its fence longer than any
// backtick run in them.
func MDBlock(lang string, lines []string) string {
	n := 3
	for _, l := range lines {
		if r := longestRun(l, '`') + 1; r > n {
			n = r
		}
	}
	fence := strings.Repeat("`", n)
	var b strings.Builder
	b.WriteString(fence + lang + "\n")
	for _, l := range lines {
		b.WriteString(strings.ReplaceAll(l, "\n", " ") + "\n")
	}
	b.WriteString(fence + "\n")
	return b.String()
}

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			if run > best {
				best = run
			}
		} else {
			run = 0
		}
	}
	return best
}
