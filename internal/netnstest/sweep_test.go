package netnstest

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"testing"

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
