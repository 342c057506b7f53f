package kernel

import (
	"strings"
	"testing"
)

// TestQueueTreeBridgePort: a tree under a port of the LAN bridge holds the
// download that is routed into the bridge and leaves by that port, as the
// port's own HTB does on RouterOS (forum57 D1: the leaf's rule named the
// port at the ip family's postrouting hook, which sees the packet leave by
// the bridge, so it caught nothing and the download ran at full speed).
// The control: the same tree under ether3, which the download does not
// leave by.
func TestQueueTreeBridgePort(t *testing.T) {
	rateTest(t)
	dp, st, cli, inet := queueLab(t)
	lanOnBridge(st)
	st.Mangle = []Rule{rule("*1", "chain=forward", "action=mark-packet", "new-packet-mark=down", "out-interface=bridge1", "passthrough=no")}
	down := downTo(cli, inet, "192.168.88.21", 5321)
	for _, tc := range []struct {
		parent string
		shaped bool
	}{{"ether2", true}, {"ether3", false}} {
		st.TreeQueues = []TreeQueue{{Name: "port-down", Parent: tc.parent, PacketMarks: []string{"down"}, MaxLimit: 8e6, Priority: 8}}
		if err := dp.Apply(st); err != nil {
			t.Fatal(err)
		}
		wantWAN(t, cli, "203.0.113.2")
		wantTreeRate(t, "download into bridge1 by ether2, tree parent="+tc.parent, down, 8e6, tc.shaped)
	}
}

// TestRenderPortTree: a leaf under a bridge's port is sorted in the bridge
// table by the port it leaves by; one under a port outside any bridge stays
// in the ip family's chain.
func TestRenderPortTree(t *testing.T) {
	st := &State{
		Bridges: []Bridge{{Name: "bridge1", Ports: []BridgePort{{Interface: "ether2"}}}},
		Mangle:  []Rule{rule("*1", "chain=forward", "action=mark-packet", "new-packet-mark=down", "passthrough=no")},
		Ports:   []string{"ether1", "ether2"},
		TreeQueues: []TreeQueue{
			{Name: "port", Parent: "ether2", PacketMarks: []string{"down"}, MaxLimit: 8e6, Priority: 8},
			{Name: "wan", Parent: "ether1", PacketMarks: []string{"down"}, MaxLimit: 8e6, Priority: 8},
			// A PCQ leaf's pick reads the IP header, which the bridge
			// family reads too (nft -c below).
			{Name: "pcq", Parent: "ether2", PacketMarks: []string{"no-mark"}, MaxLimit: 8e6, Priority: 8,
				PCQ: PCQ{On: true, Rate: 1e6, Classifier: []string{"dst-address", "dst-port"}, SrcMask: 32, DstMask: 32}},
		},
	}
	br, err := RenderBridge(st)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(br, `chain queue_tree_ports {`) || !strings.Contains(br, `oifname "ether2" meta mark & 0xffff00 == 0x0 meta priority set jhash`) || !strings.Contains(br, `oifname "ether2" meta mark & 0xffff00 == 0x100 meta priority set 7a:1000 accept comment "port"`) {
		t.Errorf("bridge table without the port's leaf:\n%s", br)
	}
	var b strings.Builder
	renderTree(&b, st, collectMarks(st))
	if s := b.String(); strings.Contains(s, `oifname "ether2"`) || !strings.Contains(s, `oifname "ether1"`) {
		t.Errorf("ip family's tree chain: want ether1's leaf only:\n%s", s)
	}
	nftCheck(t, br)
}

// TestRenderTreeVLANOverPort: a leaf under a port also takes what is
// routed out of the VLANs on that port (and out of a VLAN on one of them),
// after the leaves of the VLANs' own trees; a disabled VLAN carries
// nothing (forum57 D5: the leaf named the port alone, which a packet
// routed out of a VLAN never shows at the ip family's postrouting hook).
// This machine's kernel has no 802.1Q, so the shaping itself is measured
// on the vm router (scenario queue-tree-vlan-port).
func TestRenderTreeVLANOverPort(t *testing.T) {
	st := &State{
		Ports:  []string{"ether1", "ether2"},
		VLANs:  []VLAN{{Name: "vlan10", Interface: "ether2", ID: 10}, {Name: "vlan10-20", Interface: "vlan10", ID: 20}, {Name: "vlan30", Interface: "ether2", ID: 30, Disabled: true}},
		Mangle: []Rule{rule("*1", "chain=forward", "action=mark-packet", "new-packet-mark=down", "passthrough=no")},
		TreeQueues: []TreeQueue{
			{Name: "port", Parent: "ether2", PacketMarks: []string{"down"}, MaxLimit: 8e6, Priority: 8},
			{Name: "vlan", Parent: "vlan10", PacketMarks: []string{"down"}, MaxLimit: 4e6, Priority: 8},
		},
	}
	var b strings.Builder
	renderTree(&b, st, collectMarks(st))
	s := b.String()
	port := strings.Index(s, `oifname "ether2" meta mark & 0xffff00 == 0x100 meta priority set 7a:1000`)
	vlan := strings.Index(s, `oifname "vlan10" meta mark & 0xffff00 == 0x100 meta priority set 7a:1001`)
	over := strings.Index(s, `oifname { "vlan10", "vlan10-20" } meta mark & 0xffff00 == 0x100 meta priority set 7a:1000`)
	if port < 0 || vlan < 0 || over < 0 || over < vlan || strings.Contains(s, "vlan30") {
		t.Errorf("tree chain: want ether2's leaf, vlan10's, then ether2's for vlan10 and vlan10-20, no vlan30:\n%s", s)
	}
	nftCheck(t, "table inet t {\n"+s+"}\n")
}
