package config

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSimpleQueueInterfaceTargets: a simple queue's target may name
// interfaces, alone or with addresses; the kernel gets them as interface
// targets (a renamed port as its link's name). validate accepts such
// lines, and says why a queue on a bridge's port or a GRE interface is
// stored: the routed packets of a port are the bridge's, and rosemu does
// not shape a GRE interface. A rename of the port follows into the target.
func TestSimpleQueueInterfaceTargets(t *testing.T) {
	src := `/interface bridge
add name=bridge1
/interface bridge port
add bridge=bridge1 interface=ether3
/interface gre
add name=gre1 remote-address=192.0.2.1
/queue simple
add max-limit=4M/8M name=lan target=ether2
add max-limit=1M/2M name=mixed target=192.168.88.10/32,bridge1
add max-limit=1M/2M name=port target=ether3
add max-limit=1M/2M name=tunnel target=gre1
`
	r := New(Options{Ports: ports})
	v := r.Validate(context.Background(), src, time.Second)
	got := findings(v)
	want := []string{"2:1 accepted", "4:1 accepted", "6:1 stored-not-enforced " + greReasonFor(t),
		"8:1 accepted", "9:1 accepted",
		"10:1 stored-not-enforced target=ether3: a bridge port; routed packets come in and leave by its bridge, so rosemu takes no port of a bridge as a target (target the bridge): this queue is stored, not applied",
		"11:1 stored-not-enforced target=gre1: an interface rosemu does not shape (it shapes ports, bridges, VLANs, WireGuard interfaces and PPPoE clients): this queue is stored, not applied"}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	r = New(Options{Ports: ports})
	run(t, r, src)
	qs := r.State().Queues
	if len(qs) != 2 || qs[0].Name != "lan" || !slices.Equal(qs[0].Interfaces, []string{"ether2"}) || len(qs[0].Targets) != 0 || qs[0].Upload != 4e6 || qs[0].Download != 8e6 {
		t.Fatalf("queues %+v; want lan on ether2 and mixed", qs)
	}
	if !slices.Equal(qs[1].Interfaces, []string{"bridge1"}) || !slices.Equal(qs[1].Targets, []netip.Prefix{netip.MustParsePrefix("192.168.88.10/32")}) {
		t.Errorf("mixed = %+v; want 192.168.88.10/32 and bridge1", qs[1])
	}
	var report []string
	for _, n := range r.NotEnforced() {
		if n.Path == "/queue simple" {
			report = append(report, n.String())
		}
	}
	if len(report) != 2 || !strings.Contains(report[0], "target: 1 (target=ether3: a bridge port") || !strings.Contains(report[1], "target: 1 (target=gre1") {
		t.Errorf("report: %q; want the port's and the GRE queue, one each", report)
	}

	// The port renamed: the target follows it in the configuration, and
	// the kernel gets the link's own name.
	run(t, r, "/interface ethernet set [find default-name=ether2] name=ether2-lan")
	if exp := r.Export(); !strings.Contains(exp, "name=lan target=ether2-lan") {
		t.Errorf("the target did not follow the rename:\n%s", exp)
	}
	if qs := r.State().Queues; len(qs) == 0 || !slices.Equal(qs[0].Interfaces, []string{"ether2"}) {
		t.Errorf("kernel queue %+v; want the link ether2", qs)
	}
}

// TestQueueTreeRenamedPort: a tree under a renamed port reaches the kernel
// under the port's link (it was left out: the kernel has no link of the
// new name).
func TestQueueTreeRenamedPort(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/interface ethernet set [find default-name=ether1] name=ether1-wan
/queue tree add max-limit=5M name=up parent=ether1-wan`)
	if tq := r.State().TreeQueues; len(tq) != 1 || tq[0].Parent != "ether1" {
		t.Errorf("tree %+v; want it under ether1", tq)
	}
}
