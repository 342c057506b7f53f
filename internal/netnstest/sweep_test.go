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
	for _, n := range []string{deadName, liveName} {
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
