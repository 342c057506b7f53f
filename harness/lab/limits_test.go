package lab

import (
	"net/netip"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
)

// TestLimits: every container the lab derives carries a memory and a
// process limit (issue 13), the QEMU router its guest's memory on top.
func TestLimits(t *testing.T) {
	spec, err := Load(hairpinPath(t))
	if err != nil {
		t.Fatal(err)
	}
	l := &Lab{Spec: spec, wire: map[string]netip.Prefix{}}
	for _, nw := range spec.Networks {
		l.wire[nw.Name] = nw.Subnet // wired on its own subnet
	}
	cs := l.containers(Options{Router: RouterRun{Cmd: []string{"x"}}}, map[string]labNet{})
	if len(cs) < 2 {
		t.Fatalf("%d containers", len(cs))
	}
	for _, c := range cs {
		var hc container.HostConfig
		limit(&hc, c.memoryMiB, c.pids)
		if hc.Resources.Memory == 0 || hc.Resources.PidsLimit == nil || *hc.Resources.PidsLimit <= 0 {
			t.Errorf("%s: no limit (memory %d, pids %v)", c.node, hc.Resources.Memory, hc.Resources.PidsLimit)
		}
		if hc.Resources.MemorySwap != hc.Resources.Memory {
			t.Errorf("%s: swap %d beyond memory %d", c.node, hc.Resources.MemorySwap, hc.Resources.Memory)
		}
	}
	if r := cs[len(cs)-1]; r.memoryMiB != RouterMemoryMiB {
		t.Errorf("router memory %d MiB, want %d", r.memoryMiB, RouterMemoryMiB)
	}
	q, _ := QEMURouter(QEMUGuest{Guest: "chr", Memory: 1024, Disk: "/d"})
	if q.MemoryMiB != 1024+QEMUOverheadMiB {
		t.Errorf("QEMU router memory %d MiB, want guest + overhead %d", q.MemoryMiB, 1024+QEMUOverheadMiB)
	}
	// The control: a spec without a limit sets none.
	var hc container.HostConfig
	limit(&hc, 0, 0)
	if hc.Resources.Memory != 0 || hc.Resources.PidsLimit != nil {
		t.Error("limit with no memory set one")
	}
}

// TestUpBudgetGrowsWithMembers: Docker starts a lab's containers one after
// another, so the default budget grows with the members beyond six (a
// check lab of 191 servers ran out of 30 s); a slow router's own budget is
// the floor.
func TestUpBudgetGrowsWithMembers(t *testing.T) {
	if got := upBudget(6, 0); got != DefaultBudget {
		t.Errorf("six members: %s, want %s", got, DefaultBudget)
	}
	if got := upBudget(195, 0); got < 3*time.Minute {
		t.Errorf("195 members: %s, want at least 3m", got)
	}
	if got := upBudget(3, VMBudgetTCG); got != VMBudgetTCG {
		t.Errorf("TCG router: %s, want %s", got, VMBudgetTCG)
	}
}

// TestUpBudgetStretchesWithLoad: on a machine with more work than CPUs the
// default budget grows with the load per CPU, up to four times; an idle or
// unreadable load leaves it as it is.
func TestUpBudgetStretchesWithLoad(t *testing.T) {
	for _, tt := range []struct {
		load float64
		cpus int
		want time.Duration
	}{
		{0, 2, 30 * time.Second},
		{1.5, 2, 30 * time.Second},
		{6, 2, 90 * time.Second},
		{28, 2, 120 * time.Second},
		{28, 0, 30 * time.Second},
	} {
		if got := loadScale(30*time.Second, tt.load, tt.cpus); got != tt.want {
			t.Errorf("load %.1f on %d CPUs: %s, want %s", tt.load, tt.cpus, got, tt.want)
		}
	}
}
