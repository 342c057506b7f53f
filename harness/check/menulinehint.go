package check

import (
	"fmt"
	"slices"
	"strings"
)

// menuLineHint points a refusal of a menu word at the menu line above the
// command, where chrlab validate reports it: check reads the commands
// with their paths, so it cited the command's line, validate the menu's
// ("14:2: refused: bad command name iot" beside check's "line 15 /iot
// wiliot servers", rc31 C3). "" when the command writes its own path or
// the refusal is of something else.
func (p *Plan) menuLineHint(line int, msg string) string {
	word, ok := strings.CutPrefix(msg, "bad command name ")
	if !ok {
		return ""
	}
	for _, c := range p.export.Commands {
		if c.Line != line {
			continue
		}
		if c.MenuLine == 0 || c.MenuLine == c.Line || !slices.Contains(c.Menu, word) {
			return ""
		}
		return fmt.Sprintf(" (the menu line %d, /%s, where chrlab validate reports it)", c.MenuLine, c.MenuPath())
	}
	return ""
}
