package kernel

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
)

// queueClassPackets is how many packets left interface name through
// queue i's class in one direction; -1 when the class does not exist.
func queueClassPackets(t *testing.T, dp *Dataplane, name string, i int, download bool) int64 {
	t.Helper()
	n, _ := treeClassPackets(t, dp, name, queueClass(i, download))
	return n
}

// settled reads counters until two readings 50 ms apart agree (at most
// 2 s): the last packets of a connection (the final ACK) may pass the
// qdisc after the dial returned, and on a busy machine a reading taken at
// once missed them (2 packets counted where 3 passed) or gave them to the
// next connection.
func settled(read func() (int64, int64)) (int64, int64) {
	a, b := read()
	for i := 0; i < 40; i++ {
		time.Sleep(50 * time.Millisecond)
		a2, b2 := read()
		if a2 == a && b2 == b {
			break
		}
		a, b = a2, b2
	}
	return a, b
}

// TestSimpleQueue: a simple queue on the LAN's subnet puts an HTB qdisc on
// every port and sends the LAN's connections out through its upload class
// (the WAN port) and their answers through its download class (the LAN
// port). A fasttracked connection skips it after its first packet, as on
// RouterOS; removing the queue takes the qdiscs away.
func TestSimpleQueue(t *testing.T) {
	rateTest(t)
	dp, _, _, _, cli := dualDataplane(t)
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	st.Routes = st.Routes[:2]
	// The defconf fasttrack rule comes back below, for the control.
	var fasttrack Rule
	for i, r := range st.Filter {
		if r.Props["action"] == "fasttrack-connection" {
			fasttrack = r
			st.Filter = append(st.Filter[:i:i], st.Filter[i+1:]...)
			break
		}
	}
	if fasttrack.Props == nil {
		t.Fatal("no fasttrack rule in the defconf filter")
	}
	st.Queues = []SimpleQueue{{Name: "lan", Targets: []netip.Prefix{netip.MustParsePrefix("192.168.88.0/24")}, Upload: 8e6, Download: 16e6}}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	for _, p := range st.Ports {
		l, err := dp.nl.LinkByName(LinkName(p))
		if err != nil {
			t.Fatal(err)
		}
		qds, err := dp.nl.QdiscList(l)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, q := range qds {
			found = found || q.Type() == "htb" && q.Attrs().Handle == netlink.MakeHandle(queueMajor, 0)
		}
		if !found {
			t.Errorf("%s: no HTB qdisc %x: (%v)", p, queueMajor, qds)
		}
	}
	up0, down0 := queueClassPackets(t, dp, "ether1", 0, false), queueClassPackets(t, dp, "ether2", 0, true)
	if _, err := dial(cli, "192.168.88.20", "198.51.100.50:12566"); err != nil {
		t.Fatal(err)
	}
	counts := func() (int64, int64) {
		return queueClassPackets(t, dp, "ether1", 0, false), queueClassPackets(t, dp, "ether2", 0, true)
	}
	up1, down1 := settled(counts)
	if up1-up0 < 3 || down1-down0 < 3 {
		t.Fatalf("one connection: %d packets through the upload class on ether1, %d through the download class on ether2; want at least 3 each", up1-up0, down1-down0)
	}
	// The default fasttrack rule: after the first packets, the connection
	// is established and skips the queue.
	st.Filter = append([]Rule{fasttrack}, st.Filter...)
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	text, err := Render(st)
	if err != nil || !strings.Contains(text, "ct label set 126 accept") {
		t.Fatalf("fasttrack rule with queues: %v\n%s", err, text)
	}
	if _, err := dial(cli, "192.168.88.20", "198.51.100.50:12566"); err != nil {
		t.Fatal(err)
	}
	up2, down2 := settled(counts)
	if up2-up1 > 1 || down2-down1 > 1 {
		t.Errorf("fasttracked connection: %d packets through the upload class, %d through the download class; want the first one at most", up2-up1, down2-down1)
	}
	st.Queues = nil
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if n := queueClassPackets(t, dp, "ether1", 0, false); n != -1 {
		t.Errorf("after the queue is removed its class is still there (%d packets)", n)
	}
}

// TestRenderQueues: queues in order, each direction its class, the
// fasttracked connections let by first; no queue, no chain.
func TestRenderQueues(t *testing.T) {
	st := baseState()
	if text, _ := Render(st); strings.Contains(text, "simple_queues") {
		t.Errorf("a chain without queues:\n%s", text)
	}
	st.Queues = []SimpleQueue{
		{Name: "nas", Targets: []netip.Prefix{netip.MustParsePrefix("192.168.88.10/32")}, Upload: 1e6},
		{Name: "lan", Targets: []netip.Prefix{netip.MustParsePrefix("192.168.88.0/24"), netip.MustParsePrefix("10.0.0.0/8")}, Download: 2e6},
	}
	text, err := Render(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"ct label 126 accept",
		"ip saddr { 192.168.88.10/32 } meta priority set 7a:10 accept",
		"ip daddr { 192.168.88.10/32 } meta priority set 7a:11 accept",
		"ip saddr { 192.168.88.0/24, 10.0.0.0/8 } meta priority set 7a:12 accept",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
	if strings.Index(text, "7a:10") > strings.Index(text, "7a:12") {
		t.Errorf("queues out of order:\n%s", text)
	}
}

// TestRenderQueueTree: the leaves of a WAN's tree take their packet marks
// on that interface, the global tree's anywhere after them; a parent holds
// no packet; a leaf whose mark no rule sets, one under an interface the
// router lacks and a child of it catch nothing.
func TestRenderQueueTree(t *testing.T) {
	st := baseState()
	st.Mangle = []Rule{
		rule("*1", "chain=forward", "action=mark-packet", "new-packet-mark=up", "out-interface=ether1", "passthrough=no"),
		rule("*2", "chain=forward", "action=mark-packet", "new-packet-mark=down", "out-interface=ether2", "passthrough=no"),
	}
	st.TreeQueues = []TreeQueue{
		{Name: "wan", Parent: "ether1", MaxLimit: 10e6, Priority: 8},
		{Name: "wan-up", Parent: "wan", PacketMarks: []string{"up"}, Priority: 1},
		{Name: "all-down", Parent: "global", PacketMarks: []string{"down"}, MaxLimit: 5e6, Priority: 8},
		{Name: "nobody", Parent: "global", PacketMarks: []string{"unset"}, Priority: 8},
		{Name: "ppp", Parent: "pppoe-out1", MaxLimit: 1e6, Priority: 8},
		{Name: "ppp-up", Parent: "ppp", PacketMarks: []string{"up"}, Priority: 8},
	}
	text, err := Render(st)
	if err != nil {
		t.Fatal(err)
	}
	up, down := "0x200", "0x100" // marks are numbered by sorted name: down 1, up 2
	for _, want := range []string{
		"chain queue_tree {",
		"ct label 126 accept",
		`oifname "ether1" meta mark & 0xffff00 == ` + up + ` meta priority set 7a:1001 accept comment "wan-up"`,
		`meta mark & 0xffff00 == ` + down + ` meta priority set 7a:1002 accept comment "all-down"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
	for _, absent := range []string{`comment "wan"`, `comment "nobody"`, `comment "ppp-up"`} {
		if strings.Contains(text, absent) {
			t.Errorf("%s rendered:\n%s", absent, text)
		}
	}
	if strings.Index(text, `"wan-up"`) > strings.Index(text, `"all-down"`) {
		t.Errorf("the global tree comes before the interface's:\n%s", text)
	}
	layout := treeLayout(st)
	if len(layout) != 4 || layout[0].q.Name != "wan" || layout[1].q.Name != "all-down" || layout[3].q.Name != "wan-up" || layout[3].parentMinor != 0x1000 {
		t.Errorf("layout %+v; want wan, all-down, nobody, then wan-up under wan, without the pppoe tree", layout)
	}
	st.TreeQueues = nil
	if text, _ := Render(st); strings.Contains(text, "queue_tree") {
		t.Errorf("a tree chain without queues:\n%s", text)
	}
}

// queueClassOn is rosemu's class minor on interface name, nil when there
// is none.
func queueClassOn(t *testing.T, dp *Dataplane, name string, minor uint16) netlink.Class {
	t.Helper()
	l, err := dp.nl.LinkByName(LinkName(name))
	if err != nil {
		t.Fatal(err)
	}
	classes, err := dp.nl.ClassList(l, netlink.MakeHandle(queueMajor, 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range classes {
		if c.Attrs().Handle == netlink.MakeHandle(queueMajor, minor) {
			return c
		}
	}
	return nil
}

// treeClassPackets is how many packets left interface name through the
// tree class minor, and its parent's minor; -1 when there is no class.
func treeClassPackets(t *testing.T, dp *Dataplane, name string, minor uint16) (int64, uint16) {
	t.Helper()
	if c := queueClassOn(t, dp, name, minor); c != nil && c.Attrs().Statistics != nil {
		_, pm := netlink.MajorMinor(c.Attrs().Parent)
		return int64(c.Attrs().Statistics.Basic.Packets), pm
	}
	return -1, 0
}

// TestQueueTree: a WAN tree (a parent with the max-limit, a leaf for the
// packets mangle marks on their way out) builds its classes on the WAN
// port only, the leaf under the parent; the LAN's connection to the
// internet leaves through the leaf. Without the mangle rule (the control)
// no packet carries the mark and the leaf stays empty.
func TestQueueTree(t *testing.T) {
	rateTest(t)
	dp, st, cli, _ := queueLab(t)
	st.Mangle = []Rule{rule("*1", "chain=forward", "action=mark-packet", "new-packet-mark=up", "out-interface=ether1", "passthrough=no")}
	st.TreeQueues = []TreeQueue{
		{Name: "wan", Parent: "ether1", MaxLimit: 10e6, Priority: 8},
		{Name: "wan-up", Parent: "wan", PacketMarks: []string{"up"}, Priority: 1},
	}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if n, parent := treeClassPackets(t, dp, "ether1", treeMinorBase+1); n < 0 || parent != treeMinorBase {
		t.Fatalf("leaf class on ether1: %d packets under %x; want it under %x", n, parent, treeMinorBase)
	}
	if n, _ := treeClassPackets(t, dp, "ether2", treeMinorBase+1); n != -1 {
		t.Errorf("the WAN's tree is on ether2 too")
	}
	// The top class has nobody to borrow from: its rate is its max-limit
	// (with the smallest rate it held every packet back); the leaf's is
	// the floor, and its ceiling its parent's.
	l, err := dp.nl.LinkByName(LinkName("ether1"))
	if err != nil {
		t.Fatal(err)
	}
	classes, err := dp.nl.ClassList(l, netlink.MakeHandle(queueMajor, 0))
	if err != nil {
		t.Fatal(err)
	}
	rates := map[uint16][2]uint64{}
	for _, c := range classes {
		if h, ok := c.(*netlink.HtbClass); ok {
			_, minor := netlink.MajorMinor(h.Attrs().Handle)
			rates[minor] = [2]uint64{h.Rate * 8, h.Ceil * 8}
		}
	}
	if got := rates[treeMinorBase]; got != [2]uint64{10e6, 10e6} {
		t.Errorf("parent rate/ceil %v bit/s; want 10M/10M", got)
	}
	if got := rates[treeMinorBase+1]; got != [2]uint64{treeFloorRate, 10e6} {
		t.Errorf("leaf rate/ceil %v bit/s; want %d/10M", got, treeFloorRate)
	}
	n0, _ := treeClassPackets(t, dp, "ether1", treeMinorBase+1)
	if _, err := dial(cli, "192.168.88.20", "198.51.100.50:12566"); err != nil {
		t.Fatal(err)
	}
	leaf := func() (int64, int64) {
		n, _ := treeClassPackets(t, dp, "ether1", treeMinorBase+1)
		return n, 0
	}
	n1, _ := settled(leaf)
	if n1-n0 < 3 {
		t.Fatalf("one connection: %d packets through the leaf; want at least 3", n1-n0)
	}
	st.Mangle = nil
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	n2, _ := treeClassPackets(t, dp, "ether1", treeMinorBase+1)
	if _, err := dial(cli, "192.168.88.20", "198.51.100.50:12566"); err != nil {
		t.Fatal(err)
	}
	if n3, _ := settled(leaf); n3 != n2 {
		t.Errorf("unmarked connection: %d packets through the leaf; want none", n3-n2)
	}
}

// TestQueueTreeSession: a tree under a PPPoE client's interface is built
// on the session's link while the session is up (a veth stands in for the
// client's TUN device), and the leaf sits under the parent; a session whose
// link is already gone is passed over, not an error; with the session
// down the tree is not built (the control).
func TestQueueTreeSession(t *testing.T) {
	dp, _, _, _, _ := dualDataplane(t)
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	st.Routes = st.Routes[:2]
	// A veth made through the router's netlink handle lands in its
	// namespace (a TUN would be made in the test's own).
	if err := dp.nl.LinkAdd(&netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: "pppoe-out1"}, PeerName: "pppoe-peer"}); err != nil {
		t.Fatal(err)
	}
	st.Mangle = []Rule{rule("*1", "chain=forward", "action=mark-packet", "new-packet-mark=up", "passthrough=no")}
	st.TreeQueues = []TreeQueue{
		{Name: "wan", Parent: "pppoe-out1", MaxLimit: 2e6, Priority: 8},
		{Name: "wan-up", Parent: "wan", PacketMarks: []string{"up"}, Priority: 8},
	}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if n, _ := treeClassPackets(t, dp, "pppoe-out1", treeMinorBase+1); n != -1 {
		t.Fatalf("session down: the tree is on its link")
	}
	st.SessionLinks = []string{"pppoe-out1"}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if n, parent := treeClassPackets(t, dp, "pppoe-out1", treeMinorBase+1); n < 0 || parent != treeMinorBase {
		t.Fatalf("session up: leaf %d under %x; want it under %x", n, parent, treeMinorBase)
	}
	text, err := Render(st)
	if err != nil || !strings.Contains(text, `oifname "pppoe-out1" meta mark & 0xffff00 == 0x100 meta priority set 7a:1001`) {
		t.Errorf("render: %v\n%s", err, text)
	}
	st.SessionLinks = []string{"pppoe-out1", "pppoe-gone"}
	if err := dp.Apply(st); err != nil {
		t.Errorf("a session whose link is gone: %v", err)
	}
}

// TestQueueNameQuote: a queue's name with a double quote (a real 6.40
// export's queue tree "internet\"", rc29chk) goes into its nft comment
// as a single quote, as a firewall rule's comment does: %q wrote
// `"internet\""`, which nft refuses ("unexpected quoted string"), and the
// whole configuration failed to apply. Control: a plain name is kept as
// it is (TestRenderQueueTree).
func TestQueueNameQuote(t *testing.T) {
	st := baseState()
	st.Mangle = []Rule{rule("*1", "chain=forward", "action=mark-packet", "new-packet-mark=up", "out-interface=ether1", "passthrough=no")}
	st.TreeQueues = []TreeQueue{
		{Name: `wan"`, Parent: "ether1", MaxLimit: 10e6, Priority: 8},
		{Name: `internet"`, Parent: `wan"`, PacketMarks: []string{"up"}, Priority: 1},
	}
	st.Queues = []SimpleQueue{{Name: `nas "x"`, Targets: []netip.Prefix{netip.MustParsePrefix("192.168.88.10/32")}, Upload: 1e6}}
	text, err := Render(st)
	if err != nil {
		t.Fatal(err)
	}
	rendered(t, text, `accept comment "internet'"`, `accept comment "nas 'x' upload"`)
}
