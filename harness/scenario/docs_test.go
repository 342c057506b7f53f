package scenario_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/runner"
	"github.com/chrlab/chrlab/harness/scenario"
)

// docBlock is one fenced yaml block of a Markdown file.
type docBlock struct {
	file string // relative to the repository
	line int    // of the block's first line
	text []byte
}

// yamlBlocks returns the ```yaml blocks of a Markdown file.
func yamlBlocks(t *testing.T, root, rel string) []docBlock {
	t.Helper()
	f, err := os.Open(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []docBlock
	var cur *docBlock
	in := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		fence := strings.HasPrefix(strings.TrimSpace(l), "```")
		switch {
		case !in && fence:
			in = true
			if strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "```")) == "yaml" {
				cur = &docBlock{file: rel, line: n + 1}
			}
		case in && fence:
			in = false
			if cur != nil {
				out = append(out, *cur)
				cur = nil
			}
		case cur != nil:
			cur.text = append(cur.text, l+"\n"...)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// topKeys returns the keys of a YAML document's top-level mapping.
func topKeys(data []byte) map[string]bool {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	keys := map[string]bool{}
	for i := 0; i < len(doc.Content[0].Content); i += 2 {
		keys[doc.Content[0].Content[i].Value] = true
	}
	return keys
}

// The examples of README.md and docs/ are what a reader copies: every
// complete one (a yaml block with a top-level name:) must load as chrlab
// validate loads it, a case with its configuration checked and its nodes
// resolved against its lab, a lab with its addresses checked. Fragments
// (no name:) show one key in context and are not whole files.
func TestDocExamplesValidate(t *testing.T) {
	root, err := scenario.Root()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, rel := range docFiles(t, root) {
		for _, b := range yamlBlocks(t, root, rel) {
			keys := topKeys(b.text)
			if !keys["name"] {
				continue
			}
			checked++
			where := fmt.Sprintf("%s:%d", b.file, b.line)
			if err := validateDocBlock(t, root, keys, b.text); err != nil {
				t.Errorf("%s: the example does not load: %v (a block meant to show a refusal, or not a whole file: fence it as text, or leave out its name:)", where, err)
			}
		}
	}
	// Fewer would mean the blocks were not found, not that they load.
	if checked < 3 {
		t.Errorf("checked %d complete examples; want at least 3 (README.md's case, docs/scenarios.md's, docs/labs.md's lab)", checked)
	}
}

// validateDocBlock loads one complete example: a lab (networks or nodes at
// the top) as labs/ would hold it, otherwise a case, as
// chrlab validate case.yaml does.
func validateDocBlock(t *testing.T, root string, keys map[string]bool, text []byte) error {
	if keys["networks"] || keys["nodes"] {
		// Named as a file of labs/, so that a base .rsc it names resolves
		// where the labs' own do.
		spec, err := lab.Parse(filepath.Join(root, "labs", "doc-example.yaml"), text)
		if err != nil {
			return err
		}
		if p := spec.BasePath(); p != "" {
			if _, err := os.Stat(p); err != nil {
				return err
			}
		}
		return nil
	}
	file := filepath.Join(t.TempDir(), "case.yaml")
	if err := os.WriteFile(file, text, 0o644); err != nil {
		t.Fatal(err)
	}
	// An example may name its router's configuration as a file beside
	// the case (router: router.rsc, routers: {site-b: site-b.rsc}), as
	// scenarios/ do: the page shows the case, not that file, so an empty
	// one stands in for it and the rest of the case is still checked.
	if s, err := scenario.Parse(file, text); err == nil {
		var named []string
		if !s.RouterInline {
			named = append(named, s.Router)
		}
		for _, c := range s.Routers {
			if !c.Inline {
				named = append(named, c.File)
			}
		}
		for _, n := range named {
			if p := filepath.Join(filepath.Dir(file), n); filepath.Dir(p) == filepath.Dir(file) {
				if err := os.WriteFile(p, nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	// LoadFile refuses a configuration the router would refuse, as
	// chrlab validate reports it; CheckNames resolves the steps' nodes.
	s, err := scenario.LoadFile(file)
	if err != nil {
		return err
	}
	return runner.CheckNames(root, s)
}

// docFiles are README.md and docs/*.md, relative to root.
func docFiles(t *testing.T, root string) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"README.md"}
	for _, d := range docs {
		rel, _ := filepath.Rel(root, d)
		files = append(files, rel)
	}
	return files
}

// mdLink is a Markdown link's target; testName a test a page names.
var (
	mdLink   = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	testName = regexp.MustCompile("`((?:Test|Benchmark|Fuzz)[A-Z][A-Za-z0-9_]*)`")
	testFunc = regexp.MustCompile(`(?m)^func ((?:Test|Benchmark|Fuzz)[A-Z][A-Za-z0-9_]*)\(`)
)

// A page's relative links lead to files of the repository, and the tests
// it names as evidence exist: a renamed file or test otherwise leaves the
// page pointing at nothing (docs/check-report.md named
// TestCheckExitIPv6Fault, which no file defined).
func TestDocReferencesExist(t *testing.T) {
	root, err := scenario.Root()
	if err != nil {
		t.Fatal(err)
	}
	defined := map[string]bool{}
	err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "results" || strings.HasPrefix(d.Name(), ".")) && p != root {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, "_test.go") {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, m := range testFunc.FindAllSubmatch(data, -1) {
				defined[string(m[1])] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range docFiles(t, root) {
		data, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		for n, line := range strings.Split(string(data), "\n") {
			for _, m := range mdLink.FindAllStringSubmatch(line, -1) {
				target, _, _ := strings.Cut(m[1], "#")
				if target == "" || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				p := filepath.Join(root, filepath.Dir(rel), target)
				if r, err := filepath.Rel(root, p); err != nil || strings.HasPrefix(r, "..") {
					t.Errorf("%s:%d: link %s leads out of the repository", rel, n+1, m[1])
				} else if _, err := os.Stat(p); err != nil {
					t.Errorf("%s:%d: link %s leads to no file", rel, n+1, m[1])
				}
			}
			for _, m := range testName.FindAllStringSubmatch(line, -1) {
				if !defined[m[1]] {
					t.Errorf("%s:%d: %s is defined in no _test.go of the repository", rel, n+1, m[1])
				}
			}
		}
	}
	// The walk found the tests: this one among them.
	if !defined["TestDocReferencesExist"] {
		t.Errorf("found %d test functions, not this one", len(defined))
	}
}

// An example that names its routers' configurations as files beside the
// case, as scenarios/ do, is checked all the same: the files are not the
// page's to show, and the example failed with "open router.rsc: no such
// file or directory" however right it was. Control: the same example
// with a node the lab lacks still fails.
func TestDocExampleNamingItsFiles(t *testing.T) {
	root, err := scenario.Root()
	if err != nil {
		t.Fatal(err)
	}
	const example = "name: two-sites\nlab: two-site\nrouter: router.rsc\nrouters:\n  site-b: site-b.rsc\nsteps:\n  - probe: tcp\n    from: %s\n    to: server:12566\n    expect: {result: ok}\n"
	text := []byte(fmt.Sprintf(example, "client-b"))
	if err := validateDocBlock(t, root, topKeys(text), text); err != nil {
		t.Errorf("an example naming router.rsc and site-b.rsc: %v, want it to load", err)
	}
	text = []byte(fmt.Sprintf(example, "nosuch"))
	if err := validateDocBlock(t, root, topKeys(text), text); err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("the same example from node nosuch: %v, want it refused", err)
	}
}
