package netnstest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/vishvananda/netns"
)

// TestSweepStale: a namespace named after a process that has exited goes;
// one named after a live process stays.
func TestSweepStale(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to create named network namespaces")
	}
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	live := exec.Command("sleep", "30")
	if err := live.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = live.Process.Kill(); _ = live.Wait() })
	deadName := fmt.Sprintf("rosemu-sweep%d-r", dead.Process.Pid)
	liveName := fmt.Sprintf("rosemu-sweep%d-r", live.Process.Pid)
	// internal/agentcmd's name ends at the process id.
	deadUPnP := fmt.Sprintf("upnpprobe-%d", dead.Process.Pid)
	for _, n := range []string{deadName, liveName, deadUPnP} {
		if out, err := exec.Command("ip", "netns", "add", n).CombinedOutput(); err != nil {
			t.Fatalf("ip netns add %s: %v %s", n, err, out)
		}
		n := n
		t.Cleanup(func() { _ = netns.DeleteNamed(n) })
	}
	gone := SweepStale()
	if !slices.Contains(gone, deadName) {
		t.Errorf("swept %v: want %s (its process has exited)", gone, deadName)
	}
	if !slices.Contains(gone, deadUPnP) {
		t.Errorf("swept %v: want %s (its process has exited)", gone, deadUPnP)
	}
	if slices.Contains(gone, liveName) {
		t.Errorf("swept %s, whose process lives", liveName)
	}
	if _, err := os.Stat("/run/netns/" + liveName); err != nil {
		t.Errorf("live process's namespace: %v", err)
	}
	if _, err := os.Stat("/run/netns/" + deadName); !os.IsNotExist(err) {
		t.Errorf("dead process's namespace still there: %v", err)
	}
}

// TestStalePID: every name a test of this module gives its namespaces
// yields the process id, whether "-" and more follow it or not; other
// names (a lab's, a user's, rosemu/kernel's fixed stale-check name) none.
func TestStalePID(t *testing.T) {
	for name, want := range map[string]int{
		"rosemu-t123-1-r":     123,
		"rosemu-rsix123-4":    123,
		"rosemu-pcq123-4":     123,
		"rosemu-cnt45-r":      45,
		"rosemu-corpus7-0":    7,
		"chrcal99-router":     99,
		"upnpprobe-4242":      4242,
		"labagent-dhcp31-":    31,
		"upnpprobe-4242x":     0,
		"upnpprobe-":          0,
		"rosemu-stale-001234": 0,
		"chrlab-r1-router":    0,
		"myns":                0,
		"upnpprobe-0":         0,
	} {
		pid, ok := stalePID(name)
		if ok != (want > 0) || pid != want && want > 0 {
			t.Errorf("stalePID(%q) = %d, %v; want %d", name, pid, ok, want)
		}
	}
}

// TestOwnIDFromBefore: a name with this process's id is swept only when
// it is older than this process (a killed run whose id came back), and
// processStart reads a time between boot and now.
func TestOwnIDFromBefore(t *testing.T) {
	start, err := processStart()
	if err != nil {
		t.Fatal(err)
	}
	if now := time.Now(); start.After(now) || start.Before(now.Add(-24*time.Hour)) {
		t.Fatalf("processStart %v, now %v", start, now)
	}
	dir := t.TempDir()
	for _, c := range []struct {
		age  time.Duration
		want bool
	}{{-time.Hour, true}, {0, false}, {time.Second, false}} {
		p := filepath.Join(dir, fmt.Sprint(c.age))
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, start.Add(c.age), start.Add(c.age)); err != nil {
			t.Fatal(err)
		}
		ents, _ := os.ReadDir(dir)
		i := slices.IndexFunc(ents, func(e os.DirEntry) bool { return e.Name() == fmt.Sprint(c.age) })
		if got := madeBefore(ents[i], start); got != c.want {
			t.Errorf("made %v from the start: madeBefore %v, want %v", c.age, got, c.want)
		}
	}
	if os.Geteuid() != 0 {
		return
	}
	mine := fmt.Sprintf("rosemu-sweep%d-own", os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", mine).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v %s", mine, err, out)
	}
	t.Cleanup(func() { _ = netns.DeleteNamed(mine) })
	if gone := SweepStale(); slices.Contains(gone, mine) {
		t.Errorf("swept %s, made by this process", mine)
	}
}
