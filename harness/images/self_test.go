package images

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadSelf: a static executable goes into the images; a dynamically
// linked one (the test binary built with cgo, or /bin/sh) and a file that
// is no executable are refused with the reason.
func TestReadSelf(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\nfunc main() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	static := filepath.Join(dir, "static")
	cmd := exec.Command("go", "build", "-o", static, src)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GO111MODULE=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build a static program: %v\n%s", err, out)
	}
	data, err := ReadSelf(static)
	if err != nil {
		t.Fatalf("a static executable is refused: %v", err)
	}
	want, _ := os.ReadFile(static)
	if string(data) != string(want) {
		t.Errorf("ReadSelf returned %d bytes, the file has %d", len(data), len(want))
	}

	if _, err := os.Stat("/bin/sh"); err == nil {
		if _, err := ReadSelf("/bin/sh"); err == nil || !strings.Contains(err.Error(), "dynamically linked") {
			t.Errorf("/bin/sh (dynamically linked): err = %v, want it refused as dynamically linked", err)
		}
	}
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("not a program"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadSelf(text); err == nil || !strings.Contains(err.Error(), "not a Linux executable") {
		t.Errorf("a text file: err = %v, want it refused as not an executable", err)
	}
}

// TestExecutableDefault: a root without go.mod (the tree an installed
// chrlab writes out) copies the running executable in; a checkout builds.
func TestExecutableDefault(t *testing.T) {
	if !inCheckout(filepath.Join("..", "..")) {
		t.Fatal("the module root is not seen as a checkout")
	}
	if inCheckout(t.TempDir()) {
		t.Fatal("an empty folder is seen as a checkout")
	}
}
