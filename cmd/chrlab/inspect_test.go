package main

import (
	"path/filepath"
	"testing"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/runner"
	"github.com/chrlab/chrlab/harness/scenario"
)

// inspect names a lab network's Docker network only where one exists. Under
// the default wiring a lab network is a bridge in the lab's wire container
// (docs/design.md, "Wiring") and Docker has only the management network, so
// "chrlab-<run>-lan" named a network docker network ls does not list.
// Under CHRLAB_WIRING=docker the run has a Docker network per lab network,
// and inspect names each (the control).
func TestInspectNamesOnlyDockerNetworksThatExist(t *testing.T) {
	root, err := scenario.Root()
	if err != nil {
		t.Fatal(err)
	}
	spec, err := lab.Load(filepath.Join(root, "labs", "hairpin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Load(root, "srcnat")
	if err != nil {
		t.Fatal(err)
	}
	kept := func(networks ...string) *runner.Kept {
		info := lab.RunInfo{Run: "abc123", Lab: "hairpin", Labels: map[string]string{}}
		for i, n := range networks {
			info.Networks = append(info.Networks, lab.NetworkInfo{Name: "chrlab-abc123-" + n, Subnet: "172.30." + string(rune('0'+i)) + ".0/24"})
		}
		return &runner.Kept{Info: info, Scenario: s, Spec: spec, Lab: &lab.Lab{Spec: spec}}
	}
	docker := func(v inspectView) map[string]string {
		m := map[string]string{}
		for _, n := range v.Networks {
			m[n.Name] = n.Docker
		}
		return m
	}

	// netns wiring: the management network alone is Docker's.
	got := docker(inspectOf(kept("mgmt")))
	if got["management"] != "chrlab-abc123-mgmt" {
		t.Errorf("management network: Docker %q, want chrlab-abc123-mgmt", got["management"])
	}
	for _, n := range []string{"isp", "internet", "lan"} {
		if got[n] != "" {
			t.Errorf("netns wiring: network %s names Docker network %q, which the run does not have", n, got[n])
		}
	}

	// Docker wiring (the control): every lab network is a Docker network.
	got = docker(inspectOf(kept("mgmt", "isp", "internet", "lan")))
	for _, n := range []string{"isp", "internet", "lan"} {
		if want := "chrlab-abc123-" + n; got[n] != want {
			t.Errorf("docker wiring: network %s names %q, want %s", n, got[n], want)
		}
	}
}
