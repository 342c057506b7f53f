package check

import (
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// routerOrder is the export's commands with each add that carries
// place-before= moved to where RouterOS puts it: before the item it names,
// not at the end of its menu (Filter, https://help.mikrotik.com/docs/display/ROS/Filter,
// rules are processed in list order; the add command's place-before
// inserts the new item before the given one). Forum posts and scripts,
// and the check's own fixes, add rules this way; read in file order, an
// accept placed above the drop of everything from outside the LAN was
// "never reached" and got a move fix (forum45 D5). A number counts the
// menu's items in their order at that point, as rosemu does; "[ find
// ... ]" is resolved on its name=value pairs when exactly one item holds
// them all; anything else (an internal *id, an expression the reading
// cannot weigh) leaves the add where it is. The file's own order stays in
// f.Commands: the lab's configuration is written from it and rosemu
// places the rule itself.
func routerOrder(f *export.File) []*export.Command {
	var out []*export.Command
	for _, c := range f.Commands {
		ref, ok := c.Get("place-before")
		if c.Verb != "add" || !ok {
			out = append(out, c)
			continue
		}
		before := placeTarget(out, c.MenuPath(), ref)
		i := slices.Index(out, before)
		if before == nil || i < 0 {
			out = append(out, c)
			continue
		}
		out = append(out[:i], append([]*export.Command{c}, out[i:]...)...)
	}
	return out
}

// placeTarget is the item of menu, among the commands so far in order,
// that ref names, or nil. A "[ find ... ]" is read as an edit line's
// (parseFind): check's own fix lines place their rules with "[ find where
// a=b and c=d ]", which this reading, pairs only, had left at the end of
// the chain (chk57 D2).
func placeTarget(order []*export.Command, menu, ref string) *export.Command {
	var items []*export.Command
	for _, c := range order {
		if c.Verb == "add" && c.MenuPath() == menu {
			items = append(items, c)
		}
	}
	ref = strings.TrimSpace(ref)
	if n, err := strconv.Atoi(ref); err == nil {
		if n >= 0 && n < len(items) {
			return items[n]
		}
		return nil
	}
	terms, ok := parseFind(ref)
	if !ok || len(terms) == 0 {
		return nil // an expression left to the router
	}
	var hit *export.Command
	for _, c := range items {
		if itemHolds(c, terms) {
			if hit != nil {
				return nil // RouterOS refuses a place-before that finds two
			}
			hit = c
		}
	}
	return hit
}

// ruleOrder is the router's order of an export (routerOrder) with each
// command's place in it, for the readers that ask which of two rules comes
// first, or which rules stand above or below one: "the accept above the
// drop", "the first accept below it", "the later rule that takes the
// leftover". An export without place-before= keeps its file order, and
// then no map is built.
type ruleOrder struct {
	cmds   []*export.Command
	at     map[*export.Command]int // nil: file order
	byLine map[int]*export.Command
}

// orderOf is f's ruleOrder.
func orderOf(f *export.File) *ruleOrder {
	o := &ruleOrder{cmds: f.Commands}
	if !slices.ContainsFunc(f.Commands, func(c *export.Command) bool { _, ok := c.Get("place-before"); return ok && c.Verb == "add" }) {
		return o
	}
	o.cmds = routerOrder(f)
	o.at = make(map[*export.Command]int, len(o.cmds))
	o.byLine = make(map[int]*export.Command, len(o.cmds))
	for i, c := range o.cmds {
		o.at[c] = i
		o.byLine[c.Line] = c
	}
	return o
}

// before reports whether the router meets a before b. A command the
// export does not hold (a changed copy) is weighed by its line.
func (o *ruleOrder) before(a, b *export.Command) bool {
	ia, oka := o.at[a]
	ib, okb := o.at[b]
	if o.at == nil || !oka || !okb {
		return a.Line < b.Line
	}
	return ia < ib
}

// beforeLine reports whether c comes before the command at line; 0 (or a
// line no command starts on) is weighed as a line.
func (o *ruleOrder) beforeLine(c *export.Command, line int) bool {
	if b := o.byLine[line]; b != nil {
		return o.before(c, b)
	}
	return c.Line < line
}

// order is the matcher's ruleOrder of f, made once per export: the
// diagnosis asks for it for every forward's every path.
func (m *matcher) order(f *export.File) *ruleOrder {
	if m.orderFor != f || m.ord == nil {
		m.ord, m.orderFor = orderOf(f), f
	}
	return m.ord
}

// afterLine reports whether c comes after the command at line.
func (o *ruleOrder) afterLine(c *export.Command, line int) bool {
	if b := o.byLine[line]; b != nil {
		return b != c && o.before(b, c)
	}
	return c.Line > line
}
