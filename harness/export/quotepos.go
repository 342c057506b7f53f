package export

import (
	"errors"
	"strings"
)

// quoteError is an unterminated quoted string with the offset of its
// opening quote in the logical line tokens read (rc30 C5: check said
// 22:1 where validate said 22:60, the stray quote).
type quoteError struct{ at int }

func (e *quoteError) Error() string { return "unterminated quoted string" }

// errCol is the column on the line's first physical line (1-based) of
// the position err names in trimmed, the logical line without its
// indentation: col when err names none, or the position lies on a later
// physical line (the line number stays the command's). first is that
// first physical line as the file has it.
func errCol(err error, first string, col int) int {
	var qe *quoteError
	if !errors.As(err, &qe) {
		return col
	}
	own := strings.TrimRight(first, " \t")
	if continues(first) {
		own = strings.TrimSuffix(own, `\`)
	}
	if at := col - 1 + qe.at; at < len(own) {
		return at + 1
	}
	return col
}
