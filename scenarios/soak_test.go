package scenarios_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
)

// TestSoak runs `chrlab lab --method none` CHRLAB_SOAK times in a row
// (opt-in; 20 is the figure), interrupting most runs at a random
// moment with SIGINT, SIGTERM, a closed output pipe or SIGKILL, and then
// checks that nothing of those runs is left: no container, network,
// network namespace or QEMU process. A SIGKILLed run cannot clean up; the
// next run must remove what it left (its owner has ended).
//
//	CHRLAB_SOAK=20 go test -count=1 -timeout 60m -run TestSoak ./scenarios/
func TestSoak(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CHRLAB_SOAK"))
	if n <= 0 || testing.Short() {
		t.Skip("opt-in: CHRLAB_SOAK=<runs>")
	}
	root, err := scenario.Root()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "chrlab")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/chrlab").CombinedOutput(); err != nil {
		t.Fatalf("build chrlab: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "images").CombinedOutput(); err != nil {
		t.Fatalf("chrlab images: %v\n%s", err, out)
	}
	began := time.Now()
	netnsBefore := netnsEntries()
	var pids []int
	counts := map[string]int{}
	for i := range n {
		kinds := []string{"SIGINT", "SIGTERM", "pipe", "none"}
		if i < n-1 {
			kinds = append(kinds, "SIGKILL") // the next run cleans up after it
		}
		kind := kinds[rand.IntN(len(kinds))]
		delay := time.Duration(2000+rand.IntN(33000)) * time.Millisecond
		pid, code, how, done, last := soakRun(t, root, bin, kind, delay)
		pids = append(pids, pid)
		if done {
			kind = "finished" // the run ended before its interrupt
		}
		counts[kind]++
		t.Logf("run %2d: %-8s after %5.1fs: %s (exit %d): %s", i+1, kind, delay.Seconds(), how, code, last)
	}
	// What the runs made carries their PID (owner labels).
	var left []string
	for _, pid := range pids {
		for _, what := range []string{"ps", "network ls"} {
			args := append(strings.Fields(what), "-q", "--filter", "label="+lab.LabelOwnerPID+"="+strconv.Itoa(pid))
			if what == "ps" {
				args = append(args, "-a")
			}
			out, err := exec.Command("docker", args...).Output()
			if err != nil {
				t.Fatalf("docker %s: %v", what, err)
			}
			if s := strings.TrimSpace(string(out)); s != "" {
				left = append(left, fmt.Sprintf("%s of pid %d: %s", what, pid, strings.ReplaceAll(s, "\n", " ")))
			}
		}
	}
	for _, e := range netnsEntries() {
		if !slices.Contains(netnsBefore, e) {
			left = append(left, "network namespace "+e)
		}
	}
	left = append(left, qemuSince(began)...)
	t.Logf("%d runs in %.0fs: %v", n, time.Since(began).Seconds(), counts)
	if len(left) > 0 {
		t.Errorf("left behind:\n%s", strings.Join(left, "\n"))
	}
}

// soakRun runs one lab and interrupts it after delay as kind says.
func soakRun(t *testing.T, root, bin, kind string, delay time.Duration) (pid, code int, how string, finished bool, last string) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "lab", "--method", "none", "--router", "rosemu")
	cmd.Dir = root
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	var out bytes.Buffer
	copied := make(chan struct{})
	go func() { io.Copy(&out, r); close(copied) }()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var werr error
	select {
	case werr = <-done:
		kind, finished = "none", true
	case <-time.After(delay):
		switch kind {
		case "SIGINT":
			cmd.Process.Signal(syscall.SIGINT)
		case "SIGTERM":
			cmd.Process.Signal(syscall.SIGTERM)
		case "SIGKILL":
			cmd.Process.Kill()
		case "pipe":
			r.Close() // the reader is gone: `chrlab lab | head`
		}
		werr = <-done
	}
	r.Close()
	<-copied
	if ctx.Err() != nil {
		t.Fatalf("chrlab did not end within 3 minutes of its start (%s)\n%s", kind, out.String())
	}
	st := cmd.ProcessState
	code = st.ExitCode()
	how = "exited"
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		how = "killed by " + ws.Signal().String()
		if kind != "SIGKILL" {
			t.Errorf("chrlab died of %s after %s; it must clean up and exit\n%s", ws.Signal(), kind, out.String())
		}
	}
	_ = werr
	if code != 0 && kind == "none" && !strings.Contains(out.String(), "VERDICT") {
		t.Errorf("an uninterrupted run failed without a verdict:\n%s", out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	last = lines[len(lines)-1]
	for _, l := range lines {
		if strings.HasPrefix(l, "VERDICT") {
			last = l
		}
	}
	return cmd.Process.Pid, code, how, finished, last
}

func netnsEntries() []string {
	ents, _ := os.ReadDir("/run/netns")
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

// qemuSince lists QEMU processes started since t.
func qemuSince(t time.Time) []string {
	var out []string
	procs, _ := filepath.Glob("/proc/[0-9]*/comm")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil || !strings.HasPrefix(string(b), "qemu-system") {
			continue
		}
		if st, err := os.Stat(filepath.Dir(p)); err == nil && st.ModTime().After(t) {
			out = append(out, "QEMU process "+filepath.Base(filepath.Dir(p)))
		}
	}
	return out
}
