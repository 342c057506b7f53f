package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/chrlab/chrlab/harness/images"
)

// The tests here run chrlab as a user who installed it runs it: go install
// (static, as docs/install.md says) into a folder of its own, then the
// binary in an empty directory, far from any checkout.

var (
	installOnce sync.Once
	installBin  string
	installErr  error
)

// installed returns a chrlab built by go install with CGO_ENABLED=0 into
// an empty GOBIN, once per test binary.
func installed(t *testing.T) string {
	t.Helper()
	installOnce.Do(func() {
		gobin, err := os.MkdirTemp("", "chrlab-install-")
		if err != nil {
			installErr = err
			return
		}
		cmd := exec.Command("go", "install", "github.com/chrlab/chrlab/cmd/chrlab")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOBIN="+gobin)
		if out, err := cmd.CombinedOutput(); err != nil {
			installErr = err
			t.Logf("go install:\n%s", out)
			return
		}
		installBin = filepath.Join(gobin, "chrlab")
	})
	if installErr != nil {
		t.Fatalf("go install chrlab: %v", installErr)
	}
	return installBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if installBin != "" {
		os.RemoveAll(filepath.Dir(installBin))
	}
	os.Exit(code)
}

// runIn runs the installed chrlab in dir with its own user cache, and
// returns its combined output and exit code.
func runIn(t *testing.T, ctx context.Context, dir, cache string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.CommandContext(ctx, installed(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+cache)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run chrlab %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), code
}

// trees lists the embedded trees written under cache.
func trees(t *testing.T, cache string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(cache, "chrlab", "tree-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestInstalledRunsWithoutCheckout(t *testing.T) {
	bin := installed(t)
	if _, err := images.ReadSelf(bin); err != nil {
		t.Fatalf("the installed chrlab cannot go into the images: %v", err)
	}
	ctx := context.Background()
	empty, cache := t.TempDir(), t.TempDir()

	out, code := runIn(t, ctx, empty, cache, "list")
	if code != 0 || !strings.Contains(out, "srcnat") || !strings.Contains(out, "webfig-hijack") {
		t.Fatalf("chrlab list in an empty directory: exit %d, want 0 and the scenarios:\n%s", code, out)
	}
	tr := trees(t, cache)
	if len(tr) != 1 {
		t.Fatalf("want one embedded tree written to the cache, got %v", tr)
	}
	for _, f := range []string{"labs/hairpin.yaml", "scenarios/srcnat/scenario.yaml", "images/host/Dockerfile", "images/base/packages"} {
		if _, err := os.Stat(filepath.Join(tr[0], f)); err != nil {
			t.Errorf("embedded tree lacks %s: %v", f, err)
		}
	}
	// A second run reuses the tree rather than writing another.
	if out, code := runIn(t, ctx, empty, cache, "lab", "--method", "no-such-scenario"); code != 2 || !strings.Contains(out, `unknown scenario "no-such-scenario"`) {
		t.Errorf("an unknown scenario from the embedded copy: exit %d, want 2:\n%s", code, out)
	}
	if got := trees(t, cache); len(got) != 1 {
		t.Errorf("the second run wrote another tree: %v", got)
	}

	// A case kept anywhere that names a lab of labs/ gets the embedded lab.
	caseDir := t.TempDir()
	for _, f := range []string{"scenario.yaml", "router.rsc"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "scenarios", "srcnat", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(caseDir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, code := runIn(t, ctx, caseDir, cache, "validate", "scenario.yaml"); code != 0 || !strings.Contains(out, "hairpin.rsc, router.rsc:") || !strings.Contains(out, " 0 refused") {
		t.Errorf("validate a case naming lab hairpin, away from a checkout: exit %d, want 0 with the lab's base configuration checked:\n%s", code, out)
	}

	// The control: inside the checkout the checkout is used, not the embedded copy.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	cache2 := t.TempDir()
	if out, code := runIn(t, ctx, wd, cache2, "list"); code != 0 || !strings.Contains(out, "srcnat") {
		t.Fatalf("chrlab list in the checkout: exit %d:\n%s", code, out)
	}
	if got := trees(t, cache2); len(got) != 0 {
		t.Errorf("inside the checkout chrlab wrote its embedded tree %v; want the checkout used", got)
	}
}

// TestInstalledLab runs a whole lab with the installed chrlab from an empty
// directory: the images come from the embedded Dockerfiles and the binary
// itself, and the results land in that directory.
func TestInstalledLab(t *testing.T) {
	if testing.Short() {
		t.Skip("starts containers; skipped with -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	if err := pingDocker(ctx); err != nil {
		t.Skipf("no Docker engine answers (%v); scripts/ensure-docker.sh starts one", err)
	}
	empty, cache := t.TempDir(), t.TempDir()
	out, code := runIn(t, ctx, empty, cache, "lab", "--method", "srcnat")
	if code != 0 || !strings.Contains(out, "VERDICT: PASS srcnat") {
		t.Fatalf("chrlab lab --method srcnat from an empty directory: exit %d, want 0 and a pass:\n%s", code, out)
	}
	// The line is printed whenever the images' tags are computed from the
	// binary, built now or earlier.
	if !strings.Contains(out, "using "+installed(t)+" (") {
		t.Errorf("the images were not made from the installed binary:\n%s", out)
	}
	reports, _ := filepath.Glob(filepath.Join(empty, "results", "*-srcnat-*", "report.json"))
	if len(reports) != 1 {
		t.Fatalf("want one report.json in %s/results, got %v", empty, reports)
	}
	data, err := os.ReadFile(reports[0])
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(data) || !bytes.Contains(data, []byte("srcnat")) {
		t.Errorf("report.json is not the srcnat run's report:\n%.400s", data)
	}
	if res, _ := filepath.Glob(filepath.Join(trees(t, cache)[0], "results")); len(res) != 0 {
		t.Errorf("results written into the embedded tree %v, want only ./results", res)
	}
}

func pingDocker(ctx context.Context) error {
	c, err := client.New(client.FromEnv)
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err = c.Ping(ctx, client.PingOptions{})
	return err
}

// TestCheckoutBinaryAwayFromCheckout runs the chrlab a checkout builds
// (make's bin/chrlab) from a folder outside the checkout, as a user runs a
// forum case kept in their home: a case naming a lab of labs/ must find the
// checkout's lab through the binary's own location, not fail on a path
// relative to the case and not fall back to the embedded copy.
func TestCheckoutBinaryAwayFromCheckout(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, "bin", "chrlab-test-"+strconv.Itoa(os.Getpid()))
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	defer os.Remove(bin)
	caseDir, cache := t.TempDir(), t.TempDir()
	src := "name: away\nlab: hairpin\nrouter: |\n  /ip firewall nat\n  add action=dst-nat chain=dstnat dst-port=12566 protocol=tcp to-addresses=192.168.88.10\n" +
		"steps:\n  - probe: tcp\n    from: client1\n    to: router.wan:12566\n    expect: {result: ok}\n"
	if err := os.WriteFile(filepath.Join(caseDir, "case.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "validate", "case.yaml")
	cmd.Dir = caseDir
	cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+cache)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "hairpin.rsc, case.yaml:") || !strings.Contains(string(out), " 0 refused") {
		t.Fatalf("validate a case naming lab hairpin with %s from %s: %v, want exit 0 with the lab's base configuration checked:\n%s", bin, caseDir, err, out)
	}
	if got := trees(t, cache); len(got) != 0 {
		t.Errorf("a checkout's chrlab wrote its embedded tree %v; want the checkout it lives in used", got)
	}
}
