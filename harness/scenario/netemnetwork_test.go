package scenario_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/runner"
	"github.com/chrlab/chrlab/harness/scenario"
)

// A netem step's network: is checked at load against its node's networks,
// as its node is: "network: lan" on the isp of lab hairpin (on isp and
// internet) loaded, brought the lab up, and failed at the step
// ("netem: node isp has no interface on network"), though the grammar
// says bad input is refused before any container starts. The node's own
// network loads (the control), in a flow's during list too.
func TestNetemNetworkCheckedAtLoad(t *testing.T) {
	root, err := scenario.Root()
	if err != nil {
		t.Fatal(err)
	}
	load := func(steps string) error {
		file := filepath.Join(t.TempDir(), "case.yaml")
		text := "name: netem-network\nlab: hairpin\nrouter: |\n  /system identity set name=x\nsteps:\n" + steps
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := scenario.Read(file)
		if err != nil {
			return err
		}
		return runner.CheckNames(root, s)
	}
	for _, tc := range []struct{ name, steps, wantErr string }{
		{"the node's network", "  - action: netem\n    node: isp\n    network: internet\n    delay: 10ms\n", ""},
		{"no network: its first", "  - action: netem\n    node: isp\n    delay: 10ms\n", ""},
		{"a network the node is not on", "  - action: netem\n    node: isp\n    network: lan\n    delay: 10ms\n",
			`case.yaml:8:14: netem: node isp has no interface on network "lan" (it is on isp, internet)`},
		{"a network the lab does not have", "  - action: netem\n    node: peer\n    network: dmz\n    delay: 10ms\n",
			`case.yaml:8:14: netem: node peer has no interface on network "dmz" (it is on internet)`},
		{"during a flow", "  - probe: flow\n    from: client1\n    to: server:12566\n    seconds: 2\n    during:\n      - {at: 1s, action: netem, node: server, network: isp, delay: 10ms}\n",
			`netem: node server has no interface on network "isp" (it is on lan)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := load(tc.steps)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
		})
	}
}
