package kernel

import (
	"net/netip"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
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
	// Each FIFO sits behind its segmenter, a TBF cut to the link's frame
	// (MTU 1500, the Ethernet header and a VLAN tag).
	for class, want := range map[string]string{"7a:10": "pfifo", "7a:8000": "pfifo"} {
		if got := fifoUnder(q, class); !strings.HasPrefix(got, want) {
			t.Errorf("class %s: %q under its segmenter, want a %s:\n%s", class, got, want, q)
		}
	}
	if got := fifoUnder(q, "7a:10"); !strings.HasSuffix(got, "limit 10p") {
		t.Errorf("the default-small class holds %q, want 10 packets", got)
	}
	if got := fifoUnder(q, "7a:8000"); !strings.HasSuffix(got, "limit 50p") {
		t.Errorf("the PCQ sub-stream holds %q, want pcq-limit's 50 packets", got)
	}
	if strings.Contains(q, "parent 7a:11 ") {
		t.Errorf("the download class, with no FIFO of its type, got a qdisc:\n%s", q)
	}
	out, _ = exec.Command("ip", "netns", "exec", rn, "tc", "qdisc", "show", "dev", "ether2").CombinedOutput()
	if got := fifoUnder(string(out), "7a:1000"); got != "bfifo limit 15000b" {
		t.Errorf("the tree leaf on ether2 has no 15000-byte bfifo:\n%s", out)
	}
}

// fifoUnder finds, in tc's list of qdiscs, the segmenter under class (a
// tbf at 100 Gbit/s) and returns the FIFO under it as "kind limit N"; ""
// when either is missing.
func fifoUnder(tc, class string) string {
	m := regexp.MustCompile(`tbf ([0-9a-f]+): parent ` + class + ` rate 100Gbit`).FindStringSubmatch(tc)
	if m == nil {
		return ""
	}
	f := regexp.MustCompile(`([pb]fifo) [0-9a-f]+: parent ` + m[1] + `:1 (limit \S+)`).FindStringSubmatch(tc)
	if f == nil {
		return ""
	}
	return f[1] + " " + f[2]
}

// TestQueueFIFOCountsFrames: the lab's hosts hand the router TCP segments
// of up to 64 KB (GSO over veth), so a FIFO of 10 packets held 190 KB and
// a 512 kbit/s transfer went on for 3 s after its sender stopped. Behind
// the segmenter the FIFO counts frames of the link's MTU, as on Ethernet:
// after an upload through a 1 Mbit/s default-small queue, the packets the
// FIFO sent average at most a frame, and it dropped some (10 frames
// cannot hold a TCP window).
func TestQueueFIFOCountsFrames(t *testing.T) {
	rateTest(t)
	dp, st, cli, inet := queueLab(t)
	st.Queues = []SimpleQueue{{Name: "guest", Targets: []netip.Prefix{netip.MustParsePrefix("192.168.88.20/32")},
		Upload: 1e6, Download: 1e6, UploadFIFO: FIFO{Packets: 10}, DownloadFIFO: FIFO{Packets: 10}}}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	r := measureRates(t, time.Second, flowSpec{cli: cli, srv: inet, src: "192.168.88.20", addr: "198.51.100.50:5311"})
	t.Logf("upload through 1M default-small: %.2f Mbit/s", r[0]/1e6)
	l, err := dp.nl.LinkByName("ether1")
	if err != nil {
		t.Fatal(err)
	}
	qds, err := dp.nl.QdiscList(l)
	if err != nil {
		t.Fatal(err)
	}
	var seg uint32
	for _, q := range qds {
		if q.Type() == "tbf" && q.Attrs().Parent == netlink.MakeHandle(queueMajor, 0x10) {
			seg = q.Attrs().Handle
		}
	}
	var fifo *netlink.QdiscStatistics
	for _, q := range qds {
		if q.Type() == "pfifo" && seg != 0 && q.Attrs().Parent == seg|1 {
			fifo = q.Attrs().Statistics
		}
	}
	if fifo == nil || fifo.Basic == nil || fifo.Queue == nil {
		t.Fatalf("no statistics of the upload's pfifo on ether1: %v", qds)
	}
	bytes, pkts, dropped := fifo.Basic.Bytes, uint64(fifo.Basic.Packets), fifo.Queue.Drops
	t.Logf("the pfifo sent %d bytes in %d packets, dropped %d", bytes, pkts, dropped)
	if pkts == 0 || bytes/pkts > 1518 {
		t.Errorf("the pfifo sent %d bytes in %d packets: longer than a frame, so its limit counts GSO packets", bytes, pkts)
	}
	if dropped == 0 {
		t.Errorf("10 frames held a whole TCP window: the pfifo dropped nothing")
	}
}
