package agentcmd

import (
	"os/exec"
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
	defer sup.close()
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

// TestSupervisorClosed: once closed, a supervisor's reaper collects no
// more children, so exec.Cmd.Wait in the same process gets its own
// child's status again, fifty times in a row. Without close the reaper
// that the first run woke lost or won each race by chance.
func TestSupervisorClosed(t *testing.T) {
	sup := newSupervisor()
	if _, err := sup.run("true"); err != nil {
		t.Fatal(err)
	}
	sup.close()
	for i := 0; i < 50; i++ {
		if err := exec.Command("sh", "-c", "exit 0").Run(); err != nil {
			t.Fatalf("run %d after close: %v", i, err)
		}
	}
}
