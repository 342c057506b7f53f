package images

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

func TestAptMirror(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		want    string
		wantErr string
	}{
		{
			name: "deb822 as on Debian 12",
			files: map[string]string{"sources.list.d/debian.sources": `Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
`},
			want: "http://deb.debian.org/debian",
		},
		{
			name: "one-line with options, security first",
			files: map[string]string{"sources.list": `# comment
deb-src http://src.example/debian bookworm main
deb http://security.debian.org/debian-security bookworm-security main
deb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian bookworm main
`},
			want: "http://mirror.example/debian",
		},
		{
			name: "sources.list before sources.list.d, disabled files ignored",
			files: map[string]string{
				"sources.list":                       "deb http://first.example/debian bookworm main\n",
				"sources.list.d/a.list.disabled":     "deb http://disabled.example/debian bookworm main\n",
				"sources.list.d/b.sources":           "Types: deb\nURIs: http://second.example/debian\nSuites: bookworm\n",
				"sources.list.d/0-not-a-source.conf": "deb http://ignored.example/debian bookworm main\n",
			},
			want: "http://first.example/debian",
		},
		{
			name:  "disabled deb822 stanza skipped",
			files: map[string]string{"sources.list.d/x.sources": "Enabled: no\nTypes: deb\nURIs: http://off.example/d\nSuites: bookworm\n\nTypes: deb-src deb\nURIs: http://on.example/d\nSuites: bookworm\n"},
			want:  "http://on.example/d",
		},
		{
			name:    "none",
			files:   map[string]string{"sources.list.d/google.list.disabled": "deb http://x.example/ stable main\n"},
			wantErr: "no deb line",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			etc := t.TempDir()
			for name, text := range tt.files {
				p := filepath.Join(etc, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := aptMirror(etc)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("aptMirror = %q, %v; want error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("aptMirror = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestReadPackages(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "packages")
	if err := os.WriteFile(p, []byte("# tools\niproute2\n\n  tini  # init\nbusybox\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := readPackages(p)
	if err != nil || strings.Join(got, ",") != "iproute2,tini,busybox" {
		t.Fatalf("readPackages = %q, %v; want iproute2,tini,busybox", got, err)
	}
	if err := os.WriteFile(p, []byte("iproute2\ntini busybox\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readPackages(p); err == nil || !strings.Contains(err.Error(), "packages:2:") {
		t.Fatalf("readPackages of two names on a line = %v, want an error at line 2", err)
	}
}

// TestRepoPackages checks the real list: the tools the lab relies on must
// stay in it.
func TestRepoPackages(t *testing.T) {
	root, err := FindRoot()
	if err != nil {
		t.Fatal(err)
	}
	got, err := readPackages(filepath.Join(root, "images", "base", "packages"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"iproute2", "nftables", "conntrack", "iperf3", "tini", "tcpdump", "dnsmasq-base", "busybox"} {
		if !contains(got, want) {
			t.Errorf("images/base/packages lacks %s", want)
		}
	}
}

func TestTagFor(t *testing.T) {
	a := tagFor("host", []byte("base:1"), []byte("bin"))
	if !strings.HasPrefix(a, "chrlab/host:") || len(a) != len("chrlab/host:")+16 {
		t.Fatalf("tagFor = %q, want chrlab/host:<16 hex digits>", a)
	}
	if b := tagFor("host", []byte("base:1"), []byte("bin")); b != a {
		t.Errorf("tagFor is not deterministic: %q then %q", a, b)
	}
	// Moving a byte from one input to the next must change the tag.
	if b := tagFor("host", []byte("base:1b"), []byte("in")); b == a {
		t.Errorf("tagFor(base:1b, in) = tagFor(base:1, bin) = %q", a)
	}
}

func TestDebootstrapPhase(t *testing.T) {
	for line, want := range map[string]string{
		"I: Retrieving libc6 2.36-9+deb12u10":    "Retrieving",
		"I: Base system installed successfully.": "Base",
		"W: Cannot check Release signature":      "",
		"dpkg: warning: something":               "",
	} {
		if got := debootstrapPhase(line); got != want {
			t.Errorf("debootstrapPhase(%q) = %q, want %q", line, got, want)
		}
	}
}

func TestUnescapeMountinfo(t *testing.T) {
	if got := unescapeMountinfo(`/tmp/a\040b/root\134x`); got != `/tmp/a b/root\x` {
		t.Errorf("unescapeMountinfo = %q", got)
	}
}

// agentMain is a stand-in for labagent in the image tests: it only needs
// to be a static Go binary that runs in the base image.
const agentMain = `package main

import "fmt"

func main() { fmt.Println("chrlab image test agent") }
`

// writeMain writes a one-file main module into a fresh directory.
func writeMain(t *testing.T, src string) string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module imagetest\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// imageTest skips a test that builds images (what, in the skip message)
// under -short or when no engine answers, and returns its context, ended
// after d.
func imageTest(t *testing.T, what string, d time.Duration) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip(what + "; skipped with -short")
	}
	dockerOrSkip(t)
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// dockerOrSkip skips a test when no Docker engine answers.
func dockerOrSkip(t *testing.T) {
	t.Helper()
	DisableReaper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		t.Skipf("no Docker engine answers (%v); scripts/ensure-docker.sh starts one", err)
	}
	c.Close()
}

// TestEnsure builds the images (the base only when missing: up to a minute
// with debootstrap), then checks that a second Ensure builds nothing and
// that the host image runs its binary through tini.
func TestEnsure(t *testing.T) {
	ctx := imageTest(t, "builds images", 10*time.Minute)

	agent := writeMain(t, agentMain)
	var log strings.Builder
	opts := Options{Progress: &testWriter{t: t, also: &log}, HostPackage: agent, SkipRosemu: true}
	start := time.Now()
	first, err := Ensure(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first Ensure: %.1fs", time.Since(start).Seconds())
	if first.Rosemu != "" {
		t.Errorf("Rosemu = %q with SkipRosemu, want empty", first.Rosemu)
	}

	log.Reset()
	start = time.Now()
	second, err := Ensure(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("second Ensure: %.1fs", time.Since(start).Seconds())
	if second != first {
		t.Errorf("second Ensure = %+v, want the same tags %+v", second, first)
	}
	if strings.Contains(log.String(), "building") || strings.Contains(log.String(), "debootstrap") {
		t.Errorf("second Ensure built something:\n%s", log.String())
	}

	// A changed binary must give a new host tag on the same base.
	changed := writeMain(t, strings.Replace(agentMain, "image test agent", "image test agent v2", 1))
	third, err := Ensure(ctx, Options{Progress: &testWriter{t: t}, HostPackage: changed, SkipRosemu: true})
	if err != nil {
		t.Fatal(err)
	}
	if third.Base != first.Base || third.Host == first.Host {
		t.Errorf("after changing the agent: %+v, want base %s kept and host changed from %s", third, first.Base, first.Host)
	}

	out := runImage(ctx, t, first.Host)
	if !strings.Contains(out, "chrlab image test agent") {
		t.Errorf("host image printed %q, want the agent's line", out)
	}
}

// runImage runs an image to completion and returns its output.
func runImage(ctx context.Context, t *testing.T, image string) string {
	t.Helper()
	c, err := testcontainers.Run(ctx, image,
		testcontainers.WithLabels(map[string]string{Label: "1"}),
		testcontainers.WithNoStart())
	testcontainers.CleanupContainer(t, c)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	// The agent exits at once; wait for that before reading its output.
	for deadline := time.Now().Add(30 * time.Second); ; {
		st, err := c.State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Running {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still running after 30 s", image)
		}
		time.Sleep(100 * time.Millisecond)
	}
	rc, err := c.Logs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := rc.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}

// testWriter sends progress lines to the test log (and to also, if set).
type testWriter struct {
	t    *testing.T
	also *strings.Builder
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	if w.also != nil {
		w.also.Write(p)
	}
	return len(p), nil
}

// TestRunPhased runs a script in debootstrap's place: one progress line per
// phase however many packages it names, and the output's tail in the error
// when it fails.
func TestRunPhased(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "fake-debootstrap")
	body := "#!/bin/sh\nfor p in a b c; do echo \"I: Retrieving $p\"; echo \"I: Validating $p\"; done\necho 'I: Extracting x...'\necho 'W: a warning'\nexit $1\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	b := &builder{progress: &out, start: time.Now()}
	if err := b.runPhased(context.Background(), script, []string{"0"}); err != nil {
		t.Fatal(err)
	}
	for phase, want := range map[string]int{"Retrieving": 1, "Validating": 1, "Extracting": 1, "warning": 0} {
		if got := strings.Count(out.String(), phase); got != want {
			t.Errorf("progress names %s %d times, want %d:\n%s", phase, got, want, out.String())
		}
	}
	err := b.runPhased(context.Background(), script, []string{"3"})
	if err == nil || !strings.Contains(err.Error(), "exit status 3") || !strings.Contains(err.Error(), "W: a warning") {
		t.Errorf("runPhased of a failing script: %v, want exit status 3 and the output's tail", err)
	}
}

// TestBuildUsesNoCachedStep (sstp70): a build makes every step itself
// rather than take a cached one, the leftover of an earlier build of the
// same inputs. Such leftovers are what another user of the shared engine
// removes while the build reads them, and the legacy builder then fails
// ("unable to find image sha256:..."; two labs in a row failed so). Two
// builds of one context under two scratch tags of this test's own must
// give two images; the test removes both.
func TestBuildUsesNoCachedStep(t *testing.T) {
	ctx := imageTest(t, "builds images", 2*time.Minute)
	b, err := newBuilder(ctx, Options{Progress: &testWriter{t: t}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	// Content of this run alone, so that no image of anyone else's
	// matches, with FROM scratch: no base needed.
	blob := make([]byte, 64<<10)
	if _, err := rand.Read(blob); err != nil {
		t.Fatal(err)
	}
	files := []contextFile{
		{name: "Dockerfile", data: []byte("FROM scratch\nCOPY blob /blob\nLABEL step=2\n"), mode: 0o644},
		{name: "blob", data: blob, mode: 0o644},
	}
	var ids []string
	for _, which := range []string{"first", "second"} {
		tag := fmt.Sprintf("chrlab/test-nocache:%x-%s", blob[:6], which)
		if err := b.build(ctx, tag, files, nil); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_, _ = b.docker.ImageRemove(context.Background(), tag, client.ImageRemoveOptions{PruneChildren: true})
		})
		img, err := b.docker.ImageInspect(ctx, tag)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, img.ID)
	}
	if ids[0] == ids[1] {
		t.Errorf("the second build is the first's image %s: it took the first build's cached steps", ids[0])
	}
}
