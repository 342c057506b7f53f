package agentcmd

import (
	"strings"
	"testing"
)

// TestSupervisorRun: commands the node runs to their end go through the
// supervisor, whose reaper collects every child: fifty runs in a row
// (other children exiting meanwhile) each get their own status and
// output, where exec.Cmd's own wait lost the race to the reaper
// ("waitid: no child processes"). A failing command's status and output
// come back as the error.
func TestSupervisorRun(t *testing.T) {
	sup := newSupervisor()
	for i := 0; i < 50; i++ {
		go sup.run("true")
		out, err := sup.run("sh", "-c", "echo hello")
		if err != nil || strings.TrimSpace(out) != "hello" {
			t.Fatalf("run %d: %q, %v", i, out, err)
		}
	}
	out, err := sup.run("sh", "-c", "echo broken; exit 3")
	if err == nil || !strings.Contains(err.Error(), "broken") || strings.TrimSpace(out) != "broken" {
		t.Errorf("a failing command: %q, %v", out, err)
	}
}
