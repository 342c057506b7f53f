package scenario

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// docTableNames returns the backquoted names in the first column of the
// table under heading (up to the next heading of that level or above)
// whose header row starts with first.
func docTableNames(t *testing.T, doc, heading, first string) []string {
	t.Helper()
	in, table := false, false
	var names []string
	name := regexp.MustCompile("`([a-z0-9_-]+)`")
	for _, l := range strings.Split(doc, "\n") {
		switch {
		case l == heading:
			in = true
			continue
		case in && strings.HasPrefix(l, "## "):
			return names
		case in && strings.HasPrefix(l, "| "+first+" |"):
			table = true
			continue
		case table && !strings.HasPrefix(l, "|"):
			return names
		}
		if table && !strings.HasPrefix(l, "| ---") {
			cell := strings.Split(l, "|")[1]
			for _, m := range name.FindAllStringSubmatch(cell, -1) {
				names = append(names, m[1])
			}
		}
	}
	if !table {
		t.Fatalf("docs/scenarios.md: no table starting %q under %q", first, heading)
	}
	return names
}

// docs/scenarios.md's tables of probes, actions and expectations name what
// the loader accepts, no more and no less: a kind added to the loader
// without a row, or a row left behind by a rename, fails here.
func TestGrammarTablesMatchLoader(t *testing.T) {
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "docs", "scenarios.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	var kinds, actions, expects []string
	for _, k := range knownKinds {
		kinds = append(kinds, string(k))
	}
	for _, a := range knownActions {
		actions = append(actions, string(a))
	}
	for _, f := range expectFields {
		expects = append(expects, f.name)
	}
	for _, tc := range []struct {
		what, heading, first string
		loader               []string
	}{
		{"probe", "## Steps", "probe", kinds},
		{"action", "## Actions", "action", actions},
		{"expectation", "## Expectations", "expectation", expects},
	} {
		documented := docTableNames(t, doc, tc.heading, tc.first)
		for _, n := range tc.loader {
			if !slices.Contains(documented, n) {
				t.Errorf("docs/scenarios.md, %s: the loader takes %s %q, which has no row", tc.heading, tc.what, n)
			}
		}
		for _, n := range documented {
			if !slices.Contains(tc.loader, n) {
				t.Errorf("docs/scenarios.md, %s: a row names %s %q, which the loader does not take", tc.heading, tc.what, n)
			}
		}
	}
}
