package check

import (
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// A fix line names a rule of the export with [ find where ... ]. RouterOS
// runs the line on every rule the find returns, and a place-before= or
// move destination= that gets two refuses the line ("item referred by
// place-before does not exist"). A rule's own matchers are not enough:
// a plain "add action=drop chain=forward" has matchers that are a subset
// of the "drop invalid" rule above it (connection-state=invalid), so
// "find where action=drop and chain=forward" finds both (realcheck17 D3,
// RATUL Firewall_Setting). selectWhere adds, for each other rule of the
// menu the matchers find, a value of that rule the wanted one does not
// share (connection-state!=invalid), and checks the result against the
// export's rules of that menu: exactly the one rule.

// cond is one condition of a where clause: name=value, name!=value, or a
// bare boolean (disabled, !disabled) when raw is set.
type cond struct {
	name, value string
	not         bool
	raw         string
}

func (c cond) String() string {
	if c.raw != "" {
		return c.raw
	}
	op := "="
	if c.not {
		op = "!="
	}
	return c.name + op + export.Quote(c.value)
}

// holds says whether rule r meets the condition, as RouterOS compares a
// property with a value in a where clause: an unset property is empty.
func (c cond) holds(r *export.Command) bool {
	switch c.raw {
	case "disabled":
		return r.Value("disabled") == "yes"
	case "!disabled":
		return r.Value("disabled") != "yes"
	}
	return (r.Value(c.name) == c.value) != c.not
}

// selectorSkip are the arguments that are no property to find a rule by
// (place-before) or that a where clause of the rule's matchers leaves out
// (the log settings; disabled is its own condition).
var selectorSkip = map[string]bool{"log": true, "log-prefix": true, "disabled": true, "place-before": true}

// selectWhere returns the where clause that finds the rule added on line,
// and -1; or, when no property sets it apart from another rule of its
// menu (the same rule twice), the clause that finds them all and the
// rule's position among them, for :pick.
func (p *Plan) selectWhere(line int) (string, int) {
	var rule *export.Command
	for _, c := range p.export.Commands {
		if c.Line == line {
			rule = c
		}
	}
	if rule == nil {
		return "where false", -1
	}
	var menu []*export.Command // the rules find searches, in order
	for _, c := range p.export.Commands {
		if c.MenuPath() == rule.MenuPath() && c.Verb == "add" {
			menu = append(menu, c)
		}
	}
	// The fix's own rules added above this line are in the menu by the
	// time it runs: a move's destination=[ find where action=masquerade
	// and chain=srcnat ] found the export's masquerade and the fix's
	// hairpin masquerade, and RouterOS refused the move (rc35 C2).
	for _, c := range p.fixAdds {
		if c.MenuPath() == rule.MenuPath() {
			menu = append(menu, c)
		}
	}
	matching := func(conds []cond) []*export.Command {
		var out []*export.Command
		for _, c := range menu {
			if meetsAll(conds, c) {
				out = append(out, c)
			}
		}
		return out
	}
	clause := func(conds []cond) string {
		s := make([]string, len(conds))
		for i, k := range conds {
			s[i] = k.String()
		}
		return "where " + strings.Join(s, " and ")
	}
	if cm := rule.Value("comment"); cm != "" {
		if one := []cond{{name: "comment", value: cm}}; len(matching(one)) == 1 {
			return clause(one), -1
		}
	}
	// Every parameter, the comment too when other rules share it (defconf's
	// "drop all else" in input and in forward: without it the selector
	// found both drops, and place-before refused the two).
	var conds []cond
	for _, a := range rule.Args {
		if !selectorSkip[a.Name] {
			conds = append(conds, cond{name: a.Name, value: a.Value})
		}
	}
	base := len(conds)
	for _, o := range matching(conds) {
		if o == rule || !meetsAll(conds[base:], o) {
			continue // the rule itself, or one already set apart
		}
		if k, ok := apart(rule, o); ok {
			conds = append(conds, k)
		}
	}
	found := matching(conds)
	if len(found) == 1 && found[0] == rule {
		return clause(conds), -1
	}
	// Nothing tells them apart (the same rule twice): the rule's place
	// among the look-alikes, which find returns in the menu's order.
	for i, c := range found {
		if c == rule {
			return clause(conds), i
		}
	}
	return clause(conds), -1
}

// meetsAll says whether rule r meets every condition.
func meetsAll(conds []cond, r *export.Command) bool {
	for _, k := range conds {
		if !k.holds(r) {
			return false
		}
	}
	return true
}

// apart returns a condition rule meets and other does not: a value other
// has that rule does not (connection-state!=invalid), a log prefix of the
// rule's own, or the disabled flag.
func apart(rule, other *export.Command) (cond, bool) {
	for _, a := range other.Args {
		if a.Name == "place-before" || a.Name == "disabled" || a.Name == "log" {
			continue
		}
		if rule.Value(a.Name) != a.Value {
			return cond{name: a.Name, value: a.Value, not: true}, true
		}
	}
	for _, a := range rule.Args {
		if a.Name == "log-prefix" && other.Value(a.Name) != a.Value {
			return cond{name: a.Name, value: a.Value}, true
		}
	}
	if d := rule.Value("disabled") == "yes"; d != (other.Value("disabled") == "yes") {
		if d {
			return cond{raw: "disabled"}, true
		}
		return cond{raw: "!disabled"}, true
	}
	return cond{}, false
}

// noteFixAdd records a fix line that adds a rule (one command, "/menu add
// ..."), so that later fix lines' selectors tell the export's rules from
// it. A line that does not read as one add is not a rule the fix adds.
func (p *Plan) noteFixAdd(line string) {
	if !strings.Contains(line, " add ") {
		return
	}
	f, err := export.Read("fix", []byte(line+"\n"))
	if err != nil || len(f.Commands) != 1 || f.Commands[0].Verb != "add" {
		return
	}
	p.fixAdds = append(p.fixAdds, f.Commands[0])
}
