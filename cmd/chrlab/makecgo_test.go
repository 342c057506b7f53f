package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMakeBuildsWithoutCgo: the go commands of make's recipes, and those
// the tests run (they inherit the environment), build with cgo off, the
// setting of the builds that must be static (installed(), the labagent of
// harness/probe and internal/agentcmd). With gcc on the machine go's
// default is cgo on, a second build of every package that imports net:
// make unit compiled chrlab's packages twice. The control: CGO_ENABLED set
// by the user still wins.
func TestMakeBuildsWithoutCgo(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make on this machine")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	recipeEnv := func(userSetting string, extra ...string) string {
		t.Helper()
		// The probe is a rule of its own, added with --eval, that prints
		// the variable as a recipe's shell sees it.
		cmd := exec.Command("make", "-s", "--no-print-directory", "-C", root,
			"--eval", `_cgo_probe: ; @echo "cgo=$$CGO_ENABLED"`, "_cgo_probe")
		// This test may itself run under make: the value must come from
		// the Makefile, not from the environment make gave it.
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "CGO_ENABLED=") && !strings.HasPrefix(kv, "MAKEFLAGS=") && !strings.HasPrefix(kv, "MAKELEVEL=") && !strings.HasPrefix(kv, "GOFLAGS=") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		if userSetting != "" {
			cmd.Env = append(cmd.Env, "CGO_ENABLED="+userSetting)
		}
		cmd.Env = append(cmd.Env, extra...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("make _cgo_probe: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if got := recipeEnv(""); got != "cgo=0" {
		t.Errorf("Makefile: make's recipes run with %q, want cgo=0: export CGO_ENABLED=0, or the tests' static builds compile every package a second time", got)
	}
	if got := recipeEnv("1"); got != "cgo=1" {
		t.Errorf("Makefile: with CGO_ENABLED=1 from the user the recipes run with %q, want cgo=1 (the user's setting wins)", got)
	}
	// The race detector needs cgo (review44 #9): a race run keeps it on.
	if got := recipeEnv("", "GOFLAGS=-race"); got != "cgo=1" {
		t.Errorf("Makefile: with GOFLAGS=-race the recipes run with %q, want cgo=1 (go test -race requires cgo)", got)
	}
	if got := recipeEnv("", "GOFLAGS=-count=1"); got != "cgo=0" {
		t.Errorf("Makefile: with GOFLAGS=-count=1 the recipes run with %q, want cgo=0", got)
	}
}
