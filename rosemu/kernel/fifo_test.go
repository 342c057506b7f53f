package kernel

import (
	"net/netip"
	"os/exec"
	"strings"
	"testing"
)

// TestQueueFIFOs: a simple queue's class holds the buffer its queue type
// says (default-small: a pfifo of 10 packets), a PCQ's sub-streams hold
// pcq-limit each, a tree leaf its type's bytes; a queue whose type gives
// no FIFO keeps the kernel's default (no qdisc of its own).
func TestQueueFIFOs(t *testing.T) {
	dp, rn, _, _, _ := dualDataplane(t)
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	st.Routes = st.Routes[:2]
	lan := []netip.Prefix{netip.MustParsePrefix("192.168.88.0/24")}
	st.Queues = []SimpleQueue{
		{Name: "small", Targets: lan[:1], Upload: 1e6, Download: 1e6, UploadFIFO: FIFO{Packets: 10}},
		{Name: "pcq", Targets: []netip.Prefix{netip.MustParsePrefix("192.168.89.0/30")}, Upload: 1e6,
			UploadPCQ: PCQ{On: true, Classifier: []string{"src-address"}, SrcMask: 32, DstMask: 32, Limit: 50}},
	}
	st.TreeQueues = []TreeQueue{{Name: "down", Parent: "ether2", MaxLimit: 8e6, Priority: 8, FIFO: FIFO{Bytes: 15000}}}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ip", "netns", "exec", rn, "tc", "qdisc", "show", "dev", "ether1").CombinedOutput()
	if err != nil {
		t.Fatalf("tc: %v\n%s", err, out)
	}
	q := string(out)
	for _, want := range []string{"parent 7a:10 limit 10p", "parent 7a:8000 limit 50p"} {
		if !strings.Contains(q, want) {
			t.Errorf("ether1 lacks %q:\n%s", want, q)
		}
	}
	if strings.Contains(q, "parent 7a:11 ") {
		t.Errorf("the download class, with no FIFO of its type, got a qdisc:\n%s", q)
	}
	out, _ = exec.Command("ip", "netns", "exec", rn, "tc", "qdisc", "show", "dev", "ether2").CombinedOutput()
	if !strings.Contains(string(out), "bfifo") || !strings.Contains(string(out), "limit 15000b") {
		t.Errorf("the tree leaf on ether2 has no 15000-byte bfifo:\n%s", out)
	}
}
