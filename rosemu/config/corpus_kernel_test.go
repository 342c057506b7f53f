package config

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestExportCorpusKernel applies every corpus export to a router whose
// kernel is a real network namespace, as a lab run and chrlab check do.
// The model accepting a command is not enough: the renderer must turn what
// the model enforces into nftables and routes, and refuses what it cannot
// express. Each export gets a fresh namespace with the corpus's ports.
func TestExportCorpusKernel(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces")
	}
	if _, err := exec.LookPath("nft"); err != nil {
		t.Skip("needs nft")
	}
	files, err := filepath.Glob("testdata/exports/*.rsc")
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, version := corpusExport(t, f)
			ns := fmt.Sprintf("rosemu-corpus%d-%d", os.Getpid(), i)
			t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
			sh(t, "netns", "add", ns)
			var ports []kernel.Port
			for j, name := range corpusPorts {
				dev, sub := fmt.Sprintf("w%d", j), netip.MustParsePrefix(fmt.Sprintf("10.250.%d.0/24", j))
				// A veth pair inside the namespace: this kernel may lack dummy.
				sh(t, "-n", ns, "link", "add", dev, "type", "veth", "peer", "name", "p"+dev)
				sh(t, "-n", ns, "addr", "add", fmt.Sprintf("10.250.%d.1/24", j), "dev", dev)
				sh(t, "-n", ns, "link", "set", dev, "up")
				ports = append(ports, kernel.Port{Name: name, Subnet: sub})
			}
			dp, err := kernel.Setup(kernel.SetupOptions{Netns: ns, Ports: ports})
			if err != nil {
				t.Fatalf("Setup: %v", err)
			}
			t.Cleanup(func() { dp.Close() })
			r := New(Options{Ports: corpusPorts, Version: version, Kernel: dp, Counters: dp})
			if _, err := r.Run(context.Background(), string(src)); err != nil {
				if strings.Contains(err.Error(), "the kernel lacks") {
					// This machine's kernel, not the export: the scenario
					// suite skips the same way (bridge VLAN filtering, 802.1Q).
					t.Skipf("%v", err)
				}
				t.Fatalf("%s (RouterOS %s) on a kernel: %v", f, version, err)
			}
		})
	}
}
