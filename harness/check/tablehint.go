package check

import (
	"fmt"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// A RouterOS 6 policy routing pasted into RouterOS 7 (a PCC dual WAN's
// new-routing-mark=to_ISP2, its routes' routing-mark=to_ISP2, renamed
// routing-table) names a routing table no line makes: RouterOS 7 refuses
// it on import ("input does not match any value of new-routing-mark"), as
// a custom table "should be defined in this menu prior to using it
// anywhere in the configuration" (Policy Routing,
// https://help.mikrotik.com/docs/x/RACTAw), where RouterOS 6 made a table
// for any mark. The refusal names no table and no remedy, and the
// forum's symptom is "the second WAN is never used": the set-aside line
// says which table is missing and the line that makes it.

// tableHint returns "; RouterOS 7 ..." for a line refused because the
// routing table it names does not exist, "" otherwise.
func (p *Plan) tableHint(line int, msg string) string {
	param, ok := strings.CutPrefix(msg, "input does not match any value of ")
	if !ok || (param != "new-routing-mark" && param != "routing-table" && param != "routing-mark") {
		return ""
	}
	c := p.commandAt(line)
	if c == nil {
		return ""
	}
	name := c.Value(param)
	if name == "" || name == "main" {
		return ""
	}
	made := 0
	for _, t := range p.export.Commands {
		if t.Verb == "add" && t.MenuPath() == "routing table" && t.Value("name") == name {
			made = t.Line
			break
		}
	}
	if made != 0 && made < line {
		return ""
	}
	add := fmt.Sprintf("/routing table add name=%s fib", export.Quote(name))
	if made != 0 {
		return fmt.Sprintf("; RouterOS 7 takes a routing table only once /routing table has made it, and line %d makes %s after this line: move it (%s) above", made, export.Quote(name), add)
	}
	return fmt.Sprintf("; RouterOS 7 takes a routing table only once /routing table has made it, and the export makes no table %s (RouterOS 6 made one for any mark): %s before this line", export.Quote(name), add)
}
