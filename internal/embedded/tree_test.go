package embedded

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/chrlab/chrlab"
)

func TestTreeIn(t *testing.T) {
	parent := t.TempDir()
	files := fstest.MapFS{
		"labs/hairpin.yaml":         {Data: []byte("router: {}\n")},
		"scenarios/x/scenario.yaml": {Data: []byte("name: x\n")},
	}
	dir, err := TreeIn(parent, files)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "scenarios", "x", "scenario.yaml"))
	if err != nil || string(got) != "name: x\n" {
		t.Fatalf("the written tree holds %q, %v", got, err)
	}
	// Present: the same folder, not written again (a marker file survives).
	os.WriteFile(filepath.Join(dir, "marker"), nil, 0o644)
	again, err := TreeIn(parent, files)
	if err != nil || again != dir {
		t.Fatalf("second TreeIn = %s, %v; want %s", again, err, dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "marker")); err != nil {
		t.Errorf("the present tree was rewritten: %v", err)
	}
	// Changed content gets a folder of its own.
	files["labs/hairpin.yaml"] = &fstest.MapFile{Data: []byte("router: {ports: 3}\n")}
	other, err := TreeIn(parent, files)
	if err != nil || other == dir {
		t.Fatalf("changed files: TreeIn = %s, %v; want a folder other than %s", other, err, dir)
	}
	left, _ := filepath.Glob(filepath.Join(parent, ".tree-*"))
	if len(left) != 0 {
		t.Errorf("temporary folders left behind: %v", left)
	}
}

// TestEmbeddedFiles: the binary carries what a run reads, and not the
// scenarios folder's Go tests.
func TestEmbeddedFiles(t *testing.T) {
	for _, f := range []string{"labs/hairpin.yaml", "scenarios/srcnat/scenario.yaml", "scenarios/srcnat/router.rsc", "images/base/Dockerfile", "images/base/packages", "images/host/Dockerfile", "images/rosemu/Dockerfile", "images/chr/Dockerfile", "images/chr/modules"} {
		if _, err := chrlab.Files.Open(f); err != nil {
			t.Errorf("not embedded: %s: %v", f, err)
		}
	}
	if _, err := chrlab.Files.Open("scenarios/suite_test.go"); err == nil {
		t.Error("scenarios/suite_test.go is embedded; only the scenario folders should be")
	}
}
