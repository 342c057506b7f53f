package config

import (
	"regexp"
	"slices"

	"github.com/chrlab/chrlab/rosemu/script"
)

// fetchReason says why a script's /tool fetch is reported: rosemu's fetch
// fails as one whose server cannot be reached, also toward a lab host that
// would answer (tool_commands.go).
const fetchReason = "a script runs /tool fetch, which rosemu does not do (it fails as when no server answers), also toward a lab host"

// fetchCall finds /tool fetch in a script's source, in the console's and
// the API-like spellings: "/tool fetch", "/tool/fetch", "tool fetch".
var fetchCall = regexp.MustCompile(`tool[ /]+fetch\b`)

// scriptProps are the properties that hold script source.
var scriptProps = []string{"source", "on-event", "up-script", "down-script", "test-script", "script", "lease-script", "on-up", "on-down"}

// fetchUse reports, for NotEnforced, the scripts that fetch: a run whose
// script fails at the fetch must say that rosemu left it out, since
// RouterOS would have fetched from a lab host that answers.
func fetchUse(m *model) []NotEnforcedItem {
	var out []NotEnforcedItem
	for _, mn := range menus {
		if mn.readOnly {
			continue
		}
		for _, p := range scriptProps {
			if mn.prop(p) == nil {
				continue
			}
			n := 0
			for _, it := range m.tables[mn.tableName()] {
				if fetchCall.MatchString(it.props[p]) {
					n++
				}
			}
			if n > 0 {
				out = append(out, NotEnforcedItem{Path: "/" + mn.path, Property: p, Reason: fetchReason, Count: n})
			}
		}
	}
	return out
}

// fetchArg is the script property of a command whose source fetches, for
// validate's line ("" when none does).
func fetchArg(args []script.Arg) string {
	for _, a := range args {
		if !slices.Contains(scriptProps, a.Name) {
			continue
		}
		if v, ok := literalText(a.Value); ok && fetchCall.MatchString(v) {
			return a.Name
		}
	}
	return ""
}
