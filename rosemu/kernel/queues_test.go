package kernel

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vishvananda/netlink"
)

// queueClassPackets is how many packets left interface name through
// queue i's class in one direction; -1 when the class does not exist.
func queueClassPackets(t *testing.T, dp *Dataplane, name string, i int, download bool) int64 {
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
		if c.Attrs().Handle == netlink.MakeHandle(queueMajor, queueClass(i, download)) && c.Attrs().Statistics != nil {
			return int64(c.Attrs().Statistics.Basic.Packets)
		}
	}
	return -1
}

// TestSimpleQueue: a simple queue on the LAN's subnet puts an HTB qdisc on
// every port and sends the LAN's connections out through its upload class
// (the WAN port) and their answers through its download class (the LAN
// port). A fasttracked connection skips it after its first packet, as on
// RouterOS; removing the queue takes the qdiscs away.
func TestSimpleQueue(t *testing.T) {
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
	up1, down1 := queueClassPackets(t, dp, "ether1", 0, false), queueClassPackets(t, dp, "ether2", 0, true)
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
	up2, down2 := queueClassPackets(t, dp, "ether1", 0, false), queueClassPackets(t, dp, "ether2", 0, true)
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
