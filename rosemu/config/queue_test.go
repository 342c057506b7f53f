package config

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
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
	want := []string{"2:1 accepted", "4:1 accepted", "6:1 accepted", /* GRE is built (iptunnel) */
		"8:1 accepted", "9:1 accepted",
		"10:1 stored-not-enforced target=ether3: a bridge port; routed packets come in and leave by its bridge, so rosemu takes no port of a bridge as a target (target the bridge): this queue is stored, not applied",
		"11:1 stored-not-enforced target=gre1: an interface rosemu does not shape (it shapes ports, bridges, VLANs, WireGuard interfaces, PPPoE clients and PPP server sessions): this queue is stored, not applied"}
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

// TestQueuePCQState: a simple queue with RouterOS's default PCQ types
// (src-address up, dst-address down, pcq-rate 0) and a tree leaf with a
// user's PCQ type (a rate, a /24 mask, two fields) reach the kernel with
// their PCQ settings (pcq-limit as each sub-stream's buffer); a FIFO type
// is no PCQ, and the built-in default-small gives a queue its 10-packet
// buffer. validate accepts these lines, and says why a queue of an SFQ
// type and a PCQ's pcq-total-limit are stored; the report counts them.
func TestQueuePCQState(t *testing.T) {
	src := `/queue type
add kind=pcq name=per-24 pcq-classifier=dst-port,src-address pcq-rate=2M pcq-src-address-mask=24
add kind=sfq name=fair
add kind=pcq name=short pcq-limit=20 pcq-total-limit=500
/queue simple
add max-limit=20M/20M name=lan queue=pcq-upload-default/pcq-download-default target=192.168.88.0/24
add max-limit=1M/1M name=fifo target=192.168.89.0/24
add max-limit=1M/1M name=sfq queue=fair/fair target=192.168.90.0/24
add name=rate-only queue=per-24/per-24 target=192.168.91.0/24
/queue tree
add max-limit=10M name=down parent=ether2 packet-mark=no-mark queue=per-24
`
	r := New(Options{Ports: ports})
	got := findings(r.Validate(context.Background(), src, time.Second))
	want := []string{"2:1 accepted",
		"3:1 stored-not-enforced kind: " + queueKindReason,
		"4:1 stored-not-enforced pcq-total-limit: " + pcqLimitReason,
		"6:1 accepted", "7:1 accepted",
		"8:1 stored-not-enforced queue=fair (kind sfq): " + queueKindReason,
		"9:1 accepted",
		// The simple queues' download leaves by ether2, which the tree
		// takes (forum36 D6: not enforced for that traffic).
		"11:1 stored-not-enforced " + simpleTreeOverlapWhyFor("down")}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	r = New(Options{Ports: ports})
	run(t, r, src)
	s := r.State()
	if len(s.Queues) != 4 {
		t.Fatalf("queues %+v; want 4 (a PCQ with a rate needs no max-limit)", s.Queues)
	}
	up, down := s.Queues[0].UploadPCQ, s.Queues[0].DownloadPCQ
	if !up.On || up.Rate != 0 || !slices.Equal(up.Classifier, []string{"src-address"}) || up.SrcMask != 32 ||
		!down.On || !slices.Equal(down.Classifier, []string{"dst-address"}) || down.DstMask != 32 {
		t.Errorf("default PCQ types: up %+v, down %+v", up, down)
	}
	if s.Queues[1].UploadPCQ.On || s.Queues[2].DownloadPCQ.On {
		t.Errorf("a FIFO or SFQ type became a PCQ: %+v, %+v", s.Queues[1], s.Queues[2])
	}
	if f := s.Queues[1].UploadFIFO; f != (kernel.FIFO{Packets: 10}) || s.Queues[2].UploadFIFO != (kernel.FIFO{}) || up.Limit != 50 {
		t.Errorf("buffers: default-small %+v, sfq %+v, PCQ limit %d; want 10 packets, none, 50", f, s.Queues[2].UploadFIFO, up.Limit)
	}
	if p := s.TreeQueues[0].PCQ; !p.On || p.Rate != 2e6 || p.SrcMask != 24 || !slices.Equal(p.Classifier, []string{"src-address", "dst-port"}) {
		t.Errorf("tree PCQ %+v; want 2M, mask 24, src-address and dst-port", p)
	}
	var report []string
	for _, n := range r.NotEnforced() {
		if strings.HasPrefix(n.Path, "/queue") {
			report = append(report, n.Path+" "+n.Property)
		}
	}
	if !slices.Equal(report, []string{"/queue type kind", "/queue type pcq-total-limit", "/queue simple max-limit", "/queue simple queue"}) {
		t.Errorf("report %q", report)
	}
}

// TestQueueBurstState: a simple queue's and a tree entry's bursts reach
// the kernel (upload/download pairs, one value for both, burst-time in
// RouterOS's time forms) and are not reported where rosemu enforces them;
// a burst that does nothing (burst-limit not above max-limit, no
// threshold) is reported as stored, and so is a PCQ type's pcq-burst-*.
func TestQueueBurstState(t *testing.T) {
	src := `/queue type
add kind=pcq name=pb pcq-burst-rate=4M pcq-burst-threshold=1M pcq-burst-time=8s
/queue simple
add burst-limit=16M/32M burst-threshold=3M/6M burst-time=8s/4 max-limit=4M/8M name=lan target=192.168.88.0/24
add burst-limit=16M burst-threshold=3M burst-time=8s max-limit=4M name=one target=192.168.89.0/24
add burst-limit=2M/0 burst-threshold=1M/0 burst-time=8s/8s max-limit=4M/4M name=low target=192.168.90.0/24
/queue tree
add burst-limit=20M burst-threshold=5M burst-time=10s max-limit=10M name=wan parent=ether1 packet-mark=no-mark
add burst-limit=20M burst-time=10s max-limit=10M name=nothr parent=ether2 packet-mark=no-mark
`
	r := New(Options{Ports: ports})
	got := findings(r.Validate(context.Background(), src, time.Second))
	want := []string{"2:1 stored-not-enforced pcq-burst-rate: " + pcqBurstReason,
		"4:1 accepted", "5:1 accepted",
		"6:1 stored-not-enforced burst-limit: " + burstReason,
		"8:1 stored-not-enforced " + simpleTreeOverlapWhyFor("wan"), // forum36 D6
		"9:1 stored-not-enforced burst-limit: " + burstReason}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	r = New(Options{Ports: ports})
	run(t, r, src)
	s := r.State()
	if len(s.Queues) != 3 || len(s.TreeQueues) != 2 {
		t.Fatalf("queues %+v, tree %+v", s.Queues, s.TreeQueues)
	}
	lan := s.Queues[0]
	if u := lan.UploadBurst; u.Limit != 16e6 || u.Threshold != 3e6 || u.Time != 8*time.Second || !u.Applies(lan.Upload) {
		t.Errorf("lan upload burst %+v", u)
	}
	if d := lan.DownloadBurst; d.Limit != 32e6 || d.Threshold != 6e6 || d.Time != 4*time.Second || !d.Applies(lan.Download) {
		t.Errorf("lan download burst %+v", d)
	}
	if one := s.Queues[1]; one.UploadBurst != one.DownloadBurst || one.DownloadBurst.Limit != 16e6 {
		t.Errorf("one value for both directions: %+v", one)
	}
	if low := s.Queues[2]; low.UploadBurst.Applies(low.Upload) || low.DownloadBurst.Limit != 0 {
		t.Errorf("low: %+v; want no burst (burst-limit below max-limit)", low)
	}
	if b := s.TreeQueues[0].Burst; b.Limit != 20e6 || b.Threshold != 5e6 || b.Time != 10*time.Second {
		t.Errorf("tree burst %+v", b)
	}
	var report []string
	for _, n := range r.NotEnforced() {
		if strings.HasPrefix(n.Path, "/queue") {
			report = append(report, fmt.Sprintf("%s %s %d", n.Path, n.Property, n.Count))
		}
	}
	wantReport := []string{"/queue type pcq-burst-rate 1", "/queue type pcq-burst-threshold 1", "/queue type pcq-burst-time 1",
		"/queue simple burst-limit 1", "/queue simple burst-threshold 1", "/queue simple burst-time 1",
		"/queue tree burst-limit 1", "/queue tree burst-time 1", "/queue simple max-limit 3"}
	if !slices.Equal(report, wantReport) {
		t.Errorf("report:\n%s\nwant:\n%s", strings.Join(report, "\n"), strings.Join(wantReport, "\n"))
	}
}

// TestSimpleQueueParent: parent= names another simple queue (none, or a
// name no queue has, is refused as RouterOS refuses a value it does not
// know), and a loop of parents is refused; the kernel gets each queue with
// its parent, a child without max-limit too (it is a class under its
// parent). A renamed parent keeps its children; a child of a disabled or
// unapplied parent is stored and says why.
func TestSimpleQueueParent(t *testing.T) {
	src := `/queue simple
add max-limit=5M/5M name=total target=192.168.88.0/24
add max-limit=50M/50M name=c1 parent=total target=192.168.88.20/32
add name=c2 parent=total target=192.168.88.21/32
add max-limit=1M/1M name=bad parent=nosuch target=192.168.88.22/32
add max-limit=1M/1M name=v6 target=2001:db8::/64
add max-limit=1M/1M name=c6 parent=v6 target=192.168.88.23/32
`
	r := New(Options{Ports: ports})
	v := r.Validate(context.Background(), src, time.Second)
	got := findings(v)
	want := []string{"2:1 accepted", "3:1 accepted", "4:1 accepted",
		"5:30 refused input does not match any value of parent",
		"6:1 stored-not-enforced target=2001:db8::/64: rosemu shapes IPv4 only; this queue is stored, not applied",
		"7:1 stored-not-enforced parent=v6: the parent queue is not applied (target=2001:db8::/64: rosemu shapes IPv4 only; this queue is stored, not applied), so neither is this queue"}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	r = New(Options{Ports: ports})
	run(t, r, strings.Replace(src, "add max-limit=1M/1M name=bad parent=nosuch target=192.168.88.22/32\n", "", 1))
	qs := r.State().Queues
	var names []string
	for _, q := range qs {
		names = append(names, q.Name+"<"+q.Parent)
	}
	if !slices.Equal(names, []string{"total<", "c1<total", "c2<total"}) {
		t.Errorf("kernel queues %q; want total, and c1 and c2 under it", names)
	}
	if _, err := r.Run(context.Background(), "/queue simple set total parent=c1"); err == nil || !strings.Contains(err.Error(), "parent") {
		t.Errorf("a loop of parents: %v; want refused", err)
	}
	if _, err := r.Run(context.Background(), "/queue simple set c1 parent=c1"); err == nil {
		t.Errorf("a queue as its own parent was taken")
	}
	run(t, r, "/queue simple set total name=all")
	if exp := r.Export(); !strings.Contains(exp, "name=c1 parent=all") {
		t.Errorf("the child did not follow its parent's rename:\n%s", exp)
	}
	run(t, r, "/queue simple disable all")
	if qs := r.State().Queues; len(qs) != 0 {
		t.Errorf("kernel queues %+v with the parent disabled; want none", qs)
	}
	var report []string
	for _, n := range r.NotEnforced() {
		if n.Path == "/queue simple" {
			report = append(report, n.String())
		}
	}
	if !slices.ContainsFunc(report, func(s string) bool { return strings.Contains(s, "parent: 2 (parent=all: the parent queue is disabled") }) {
		t.Errorf("report %q; want the children of the disabled parent", report)
	}
}
