package agentcmd

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chrlab/chrlab/harness/probe"
)

func TestConntrackProbe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nf_conntrack_count")
	if err := os.WriteFile(path, []byte("42\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if res := probeConntrack(t.Context(), path); res.Result != probe.OK || res.Count != 42 {
		t.Errorf("conntrack from a file holding 42 = %v, want ok 42", res)
	}
	// Without the file and without a conntrack binary the probe says why it could not count.
	t.Setenv("PATH", t.TempDir())
	res := probeConntrack(t.Context(), filepath.Join(t.TempDir(), "missing"))
	if res.Result != probe.Error || res.Error == "" {
		t.Errorf("conntrack with neither source = %v, want error", res)
	}
}
