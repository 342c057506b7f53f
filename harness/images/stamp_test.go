package images

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSourceStamp(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stamp := func() []byte {
		t.Helper()
		s, err := sourceStamp(root)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	write("go.mod", "module x\n")
	write("cmd/a/main.go", "package main\nfunc main() {}\n")
	first := stamp()
	if !bytes.Equal(first, stamp()) {
		t.Fatal("the same tree gave two stamps")
	}
	// What is not source: make's binaries, the runs' results, the history.
	write("bin/chrlab", "binary")
	write("results/run/report.json", "{}")
	write(".git/HEAD", "ref")
	if !bytes.Equal(first, stamp()) {
		t.Fatal("bin/, results/ or .git/ changed the stamp")
	}
	// But a results directory deeper down is a package's own.
	write("cmd/a/results/x.go", "package results\n")
	second := stamp()
	if bytes.Equal(first, second) {
		t.Fatal("a new file in a package left the stamp unchanged")
	}
	// A file rewritten with the same size: its time tells.
	p := filepath.Join(root, "cmd/a/main.go")
	if err := os.Chtimes(p, time.Now(), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(second, stamp()) {
		t.Fatal("a file with a new modification time left the stamp unchanged")
	}
	third := stamp()
	t.Setenv("GOFLAGS", "-tags=x")
	if bytes.Equal(third, stamp()) {
		t.Fatal("GOFLAGS left the stamp unchanged")
	}
}
