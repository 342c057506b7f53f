package check

import (
	"regexp"
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
		i := slicesIndex(out, before)
		if before == nil || i < 0 {
			out = append(out, c)
			continue
		}
		out = append(out[:i], append([]*export.Command{c}, out[i:]...)...)
	}
	return out
}

func slicesIndex(cs []*export.Command, c *export.Command) int {
	for i, x := range cs {
		if x == c {
			return i
		}
	}
	return -1
}

// findPair reads the name=value pairs of a "[ find ... ]" place-before.
var findPair = regexp.MustCompile(`([a-z][a-z0-9-]*)=("(?:[^"\\]|\\.)*"|[^\s\]]+)`)

// placeTarget is the item of menu, among the commands so far in order,
// that ref names, or nil.
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
	body, ok := strings.CutPrefix(ref, "[")
	if !ok {
		return nil
	}
	body = strings.TrimSpace(strings.TrimSuffix(body, "]"))
	body, ok = strings.CutPrefix(body, "find")
	if !ok {
		return nil
	}
	body = strings.TrimSpace(body)
	body = strings.TrimSpace(strings.TrimPrefix(body, "where "))
	pairs := findPair.FindAllStringSubmatch(body, -1)
	// Every word must be a pair: "and", "!", "~" and the like are left
	// to the router.
	if len(pairs) == 0 || len(strings.Fields(findPair.ReplaceAllString(body, ""))) > 0 {
		return nil
	}
	var hit *export.Command
	for _, c := range items {
		all := true
		for _, kv := range pairs {
			want := kv[2]
			if uq, err := strconv.Unquote(want); err == nil {
				want = uq
			}
			all = all && c.Value(kv[1]) == want
		}
		if all {
			if hit != nil {
				return nil // RouterOS refuses a place-before that finds two
			}
			hit = c
		}
	}
	return hit
}
