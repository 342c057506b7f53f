package check

import (
	"fmt"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// A rule that names an interface list the export does not make is refused
// by RouterOS on import ("input does not match any value of
// in-interface-list"), and the lab sets it aside with that message. When
// the export makes a list whose name is one slip away (WAn for WAN, LAN2
// for LAN), the set-aside line says so: the message alone names no list,
// and the forum's answer to such a rule is the typo.

// listNameHint returns "; the export makes the interface list X" for a
// line refused because a list it names does not exist, when the export
// makes a list of a name one slip from it; "" otherwise.
func (p *Plan) listNameHint(line int, msg string) string {
	param, ok := strings.CutPrefix(msg, "input does not match any value of ")
	if !ok || !strings.HasSuffix(param, "list") {
		return ""
	}
	c := p.commandAt(line)
	if c == nil {
		return ""
	}
	name := strings.TrimPrefix(c.Value(param), "!")
	if name == "" {
		return ""
	}
	for _, l := range p.export.Commands {
		if l.Verb != "add" || l.MenuPath() != "interface list" {
			continue
		}
		if made := l.Value("name"); made != name && oneSlip(made, name) {
			return fmt.Sprintf("; the export makes the interface list %s, one slip from %s=%s", export.Quote(made), param, export.Quote(name))
		}
	}
	return ""
}

// oneSlip reports whether a and b differ only in letter case, or by one
// letter added, dropped or changed (names of three letters or more: two
// short names that differ by one letter are as likely two lists).
func oneSlip(a, b string) bool {
	if strings.EqualFold(a, b) {
		return true
	}
	if len(a) < 3 || len(b) < 3 {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return a[i+1:] == b[i+1:]
	}
	return a[i:] == b[i+1:]
}
