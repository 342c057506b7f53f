package scenarios_test

import (
	"context"
	"os"
	"testing"

	"github.com/chrlab/chrlab/harness/runner"
	"github.com/chrlab/chrlab/harness/scenario"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/files"
)

// TestConfigurationsApply checks, without Docker, that every scenario
// loads, names only nodes its lab has, and that the lab's base .rsc and the
// scenario's .rsc are accepted by the emulator's engine, so a typo in a
// scenario fails here in a second rather than in the suite in a minute.
func TestConfigurationsApply(t *testing.T) {
	root, err := scenario.Root()
	if err != nil {
		t.Fatal(err)
	}
	names, err := scenario.Names(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 4 {
		t.Fatalf("found %d scenarios, want at least the four of the hairpin lab", len(names))
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			s, err := scenario.Load(root, name)
			if err != nil {
				t.Fatal(err)
			}
			spec, err := runner.LoadLab(root, s)
			if err != nil {
				t.Fatal(err)
			}
			var ports []string
			for i := range spec.Router.Ports {
				ports = append(ports, "ether"+string(rune('1'+i)))
			}
			// A RouterOS 6 case runs the version of its range the
			// emulator takes for it (6.49.18).
			// The router has files, as in a lab: a case may make one with
			// /file add (dns-adlist's adlist file).
			r := config.New(config.Options{Ports: ports, Version: s.RangeVersion(), Files: &files.Store{}})
			if spec.BasePath() != "" {
				base, err := os.ReadFile(spec.BasePath())
				if err != nil {
					t.Fatal(err)
				}
				if _, err := r.Run(context.Background(), string(base)); err != nil {
					t.Fatalf("%s: %v", spec.BasePath(), err)
				}
			}
			if _, err := r.Run(context.Background(), string(s.RSC)); err != nil {
				t.Fatalf("%s: %v", s.RouterSource(), err)
			}
		})
	}
}
