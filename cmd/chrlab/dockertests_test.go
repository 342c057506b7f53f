package main

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestSuiteRunsEachDockerTest: make suite's Docker step runs only the tests
// of DOCKER_PKGS that make unit's -short run skips (DOCKER_TESTS), so that
// the unit tests of those packages do not run a second time (cmd/chrlab's
// two builds of chrlab among them). A test is a Docker test when it calls
// testing.Short, itself or through a function of its package's test files
// (found by name: a heuristic, which a skip helper in another package
// would escape; none has one today); DOCKER_TESTS must match those, so
// that a new Docker test is not left out of both runs and a unit test
// does not run twice.
func TestSuiteRunsEachDockerTest(t *testing.T) {
	// NETNS_PKGS and NETNS_TESTS are the same bargain for the tests that
	// -short skips because they make namespaces and run servers over them:
	// make unit runs exactly those after its -short run.
	vars := makeVars(t, filepath.Join("..", "..", "Makefile"), "DOCKER_PKGS", "DOCKER_TESTS", "NETNS_PKGS", "NETNS_TESTS")
	listed := map[string]bool{}
	for _, set := range []struct{ pkgs, tests, runs string }{
		{"DOCKER_PKGS", "DOCKER_TESTS", "make suite"},
		{"NETNS_PKGS", "NETNS_TESTS", "make unit's second run"},
	} {
		pattern, err := regexp.Compile(strings.ReplaceAll(vars[set.tests], "$$", "$")) // make's $$ is a $
		if err != nil {
			t.Fatalf("Makefile: %s is no regular expression: %v", set.tests, err)
		}
		pkgs := strings.Fields(vars[set.pkgs])
		if len(pkgs) == 0 {
			t.Fatalf("Makefile: %s is empty", set.pkgs)
		}
		var want []string
		for _, pkg := range pkgs {
			listed[filepath.Clean(pkg)] = true
			short, all := dockerTests(t, filepath.Join("..", "..", pkg))
			if len(all) == 0 {
				t.Errorf("%s: no test found", pkg)
			}
			for _, name := range all {
				isShort := slices.Contains(short, name)
				if isShort {
					want = append(want, name)
				}
				switch matched := pattern.MatchString(name); {
				case isShort && !matched:
					t.Errorf("%s: %s skips with -short but %s does not select it: it would run in neither make unit's -short run nor %s", pkg, name, set.tests, set.runs)
				case !isShort && matched:
					t.Errorf("%s: %s runs with -short (make unit runs it) but %s selects it: it would run twice", pkg, name, set.tests)
				}
			}
		}
		if t.Failed() {
			slices.Sort(want)
			t.Logf("%s := ^(%s)$", set.tests, strings.Join(want, "|"))
		}
	}
	// Every package whose tests skip with -short is in one of the lists,
	// but the suite's (scenarios: the ginkgo suite and the benchmarks run
	// by make suite and make bench) and rosemu/kernel's, whose one such
	// test, TestConnectionRateScale, times 30,000 conntrack entries and is
	// run by hand, and rosemu/config's two that load every configuration
	// of the repository and some thousand made ones into namespaces (many
	// minutes on the shared machine; docs/robustness.md, "Accepted
	// configurations load": their regressions are TestAcceptedEdgesLoad,
	// which make unit runs): a new package of skipped tests would otherwise
	// run in no step of make test.
	// nil: every test of the package may skip; else the tests that may.
	exempt := map[string][]string{"scenarios": nil, filepath.Join("rosemu", "kernel"): {"TestConnectionRateScale"},
		filepath.Join("rosemu", "config"): {"TestAcceptedSeedsLoad", "TestAcceptedVariantsLoad"}}
	root := filepath.Join("..", "..")
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if strings.HasPrefix(d.Name(), ".") && rel != "." || d.Name() == "testdata" || d.Name() == "results" || d.Name() == "bin" {
			return filepath.SkipDir
		}
		short, _ := dockerTests(t, path)
		if allowed, ok := exempt[rel]; ok {
			if allowed == nil {
				return nil
			}
			short = slices.DeleteFunc(short, func(n string) bool { return slices.Contains(allowed, n) })
		}
		if len(short) > 0 && !listed[rel] {
			t.Errorf("%s: %v skip with -short, and its package is in neither DOCKER_PKGS nor NETNS_PKGS: no step of make test runs them", rel, short)
		}
		return nil
	})

	// The control: a package's Docker tests as found from its sources.
	docker, _ := dockerTests(t, ".")
	if !slices.Contains(docker, "TestInstalledLab") || slices.Contains(docker, "TestInstalledRunsWithoutCheckout") {
		t.Errorf("cmd/chrlab's Docker tests found as %v: want TestInstalledLab and not TestInstalledRunsWithoutCheckout", docker)
	}
}

// makeVars reads the simple ":=" assignments of names from a Makefile,
// joining continued lines.
func makeVars(t *testing.T, path string, names ...string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vars := map[string]string{}
	sc := bufio.NewScanner(f)
	var cur string
	for sc.Scan() {
		line := sc.Text()
		if cur != "" {
			vars[cur] += " " + strings.TrimSuffix(strings.TrimSpace(line), "\\")
			if !strings.HasSuffix(line, "\\") {
				cur = ""
			}
			continue
		}
		name, value, ok := strings.Cut(line, ":=")
		name = strings.TrimSpace(name)
		if !ok || !slices.Contains(names, name) {
			continue
		}
		vars[name] = strings.TrimSuffix(strings.TrimSpace(value), "\\")
		if strings.HasSuffix(line, "\\") {
			cur = name
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		vars[n] = strings.TrimSpace(vars[n])
		if vars[n] == "" {
			t.Fatalf("%s: no %s := line", path, n)
		}
	}
	return vars
}

// dockerTests parses dir's test files and returns the names of its tests,
// fuzz targets and examples (all) and of those that reach testing.Short
// (docker): directly, or by naming a function or method of the same test
// package that does (called, deferred or passed as a value, as to t.Run).
func dockerTests(t *testing.T, dir string) (docker, all []string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ pkg, name string }
	refs := map[key][]string{} // a function's body: the names it refers to
	short := map[key]bool{}    // the function calls testing.Short itself
	fset := token.NewFileSet()
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			k := key{f.Name.Name, fn.Name.Name}
			if fn.Recv == nil && (strings.HasPrefix(k.name, "Test") || strings.HasPrefix(k.name, "Fuzz") || strings.HasPrefix(k.name, "Example")) && k.name != "TestMain" {
				all = append(all, k.name)
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if x, ok := n.X.(*ast.Ident); ok && x.Name == "testing" && n.Sel.Name == "Short" {
						short[k] = true
					}
					refs[k] = append(refs[k], n.Sel.Name)
				case *ast.Ident:
					refs[k] = append(refs[k], n.Name)
				}
				return true
			})
		}
	}
	// Spread "reaches testing.Short" to the functions naming one that does,
	// until nothing changes.
	for changed := true; changed; {
		changed = false
		for k, names := range refs {
			if short[k] {
				continue
			}
			for _, n := range names {
				if n != k.name && short[key{k.pkg, n}] {
					short[k], changed = true, true
					break
				}
			}
		}
	}
	for k := range short {
		if slices.Contains(all, k.name) {
			docker = append(docker, k.name)
		}
	}
	slices.Sort(docker)
	slices.Sort(all)
	return slices.Compact(docker), slices.Compact(all)
}
