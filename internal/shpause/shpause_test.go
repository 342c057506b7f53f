package shpause

import (
	"os"
	"os/exec"
	"testing"
)

// TestCommandRuns runs a script the way a member does: pause waits, $0 is
// the name, the arguments reach the script and its exec. Where the machine
// has no /bin/busybox this is the fallback (the member's sh with sleep);
// with busybox, busybox's sh with the FIFO's read.
func TestCommandRuns(t *testing.T) {
	script := Define + `pause 0.02; pause 0.02; printf '%s|' "$0" "$#"; exec 3<&-; exec "$@"`
	argv := Command(script, "chrlab-test", "printf", "%s|%s", "a b", "c")
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil || string(out) != "chrlab-test|4|a b|c" {
		t.Errorf("%q printed %q, %v; want %q", argv, out, err, "chrlab-test|4|a b|c")
	}
	if Script(argv) != script || Script([]string{"sh", "-c", "x"}) != "" {
		t.Errorf("Script did not find the script of its own command, or found one elsewhere")
	}
	if _, err := os.Stat("/bin/busybox"); err == nil {
		t.Log("ran with busybox")
	}
}
