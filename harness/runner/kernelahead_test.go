package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestKernelLacksAhead: a configuration with a VLAN interface (here in a
// configure step) on a kernel whose probe refuses 802.1Q stops the run
// before the lab, with the words kernelLacks reads (so the run is skipped,
// or goes to the vm backend, as when rosemu refused it); the same kernel
// with 802.1Q, a configuration without VLANs (the probe is not asked), and
// a probe that cannot tell (no privilege) let the run go on.
func TestKernelLacksAhead(t *testing.T) {
	spec := &lab.Spec{Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}}}
	vlan := &scenario.Scenario{File: "/cases/trunk/scenario.yaml", RSC: []byte("/ip address add address=192.168.88.1/24 interface=ether2\n"),
		Steps: []scenario.Step{{Action: scenario.Configure, Line: 7, RSC: "/interface vlan add interface=ether2 name=vlan10 vlan-id=10\n"}}}
	plain := &scenario.Scenario{File: "/cases/plain/scenario.yaml", RSC: []byte("/ip address add address=192.168.88.1/24 interface=ether2\n")}
	var asked []kernel.Feature
	lacks := func(f kernel.Feature) error {
		asked = append(asked, f)
		if f == kernel.FeatureVLAN {
			return fmt.Errorf("make a vlan link: %w: %w", syscall.EOPNOTSUPP, kernel.ErrProbeUnsupported)
		}
		return nil
	}
	ctx := context.Background()
	err := kernelLacksAhead(ctx, "/cases", spec, "7.16.2", nil, vlan, lacks)
	if err == nil {
		t.Fatal("a VLAN on a kernel without 802.1Q: the run goes on")
	}
	why, ok := kernelLacks(err)
	if !ok || lacksFeature(err) != kernel.FeatureVLAN.Name || !strings.Contains(err.Error(), "trunk/scenario.yaml step at line 7") {
		t.Errorf("refusal %q (kernelLacks %v: %q); want 802.1Q named, from the configure step", err, ok, why)
	}
	has := func(kernel.Feature) error { return nil }
	if err := kernelLacksAhead(ctx, "/cases", spec, "7.16.2", nil, vlan, has); err != nil {
		t.Errorf("a kernel with 802.1Q: %v", err)
	}
	asked = nil
	if err := kernelLacksAhead(ctx, "/cases", spec, "7.16.2", nil, plain, lacks); err != nil || len(asked) != 0 {
		t.Errorf("no VLAN: %v, probed %v", err, asked)
	}
	unknown := func(kernel.Feature) error {
		return errors.New("make a throwaway network namespace: operation not permitted")
	}
	if err := kernelLacksAhead(ctx, "/cases", spec, "7.16.2", nil, vlan, unknown); err != nil {
		t.Errorf("a probe that cannot tell: %v", err)
	}
}

// TestKernelLacksAheadLine (forum31 D5 b, c): the skip names the line of
// the command that needs the feature, not the router block's first line,
// and says "the kernel lacks ..." once. The block starts at line 8 of the
// case (as pcunite.yaml's did) and its VLAN interface is its fourth line;
// the control: a feature first needed in a configure step keeps naming
// that step's line.
func TestKernelLacksAheadLine(t *testing.T) {
	spec := &lab.Spec{Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}}}
	s := &scenario.Scenario{File: "/cases/pcunite.yaml", RouterInline: true, RSCLine: 8,
		RSC: []byte("/ip address\nadd address=192.168.88.1/24 interface=ether2\n/interface vlan\nadd interface=ether2 name=vlan10 \\\n    vlan-id=10\n/ip address add address=10.0.10.1/24 interface=vlan10\n")}
	lacks := func(f kernel.Feature) error {
		if f == kernel.FeatureVLAN {
			return fmt.Errorf("make a vlan link: %w: %w", syscall.EOPNOTSUPP, kernel.ErrProbeUnsupported)
		}
		return nil
	}
	err := kernelLacksAhead(context.Background(), "/cases", spec, "7.16.2", nil, s, lacks)
	if err == nil {
		t.Fatal("the run goes on")
	}
	why, ok := kernelLacks(err)
	if !ok || !strings.Contains(why, "(pcunite.yaml:11: its vlan interfaces need") {
		t.Errorf("skip %q: want the vlan add's line, pcunite.yaml:11", why)
	}
	if n := strings.Count(why, "lacks 802.1Q"); n != 1 {
		t.Errorf("skip %q says the kernel lacks 802.1Q %d times, want once", why, n)
	}
}
