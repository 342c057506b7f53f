package kernel

import (
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
)

// bridgeLab is a router with three ports wired straight to hosts: ether1
// to the WAN peer (203.0.113.1, and 198.51.100.50 behind it), ether2 to a
// client (a) and ether3 to a server (b). Docker's addresses on the ports
// are in subnets of their own, as in a lab, so Setup finds each port.
type bridgeLab struct{ r, a, b, w string }

func newBridgeLab(t *testing.T, clientAddr, serverAddr string) *bridgeLab {
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces")
	}
	for _, tool := range []string{"ip", "nft"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s to build the lab: %v", tool, err)
		}
	}
	p := nsName("b") + "-"
	l := &bridgeLab{r: p + "r", a: p + "a", b: p + "b", w: p + "w"}
	for _, ns := range []string{l.r, l.a, l.b, l.w} {
		ns := ns
		exec.Command("ip", "netns", "del", ns).Run()
		t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
	}
	// One ip process per namespace (newLab says why).
	ipBatch(t, "",
		"netns add "+l.r, "netns add "+l.a, "netns add "+l.b, "netns add "+l.w,
		"link add eth0 netns "+l.r+" type veth peer name wan0 netns "+l.w,
		"link add eth1 netns "+l.r+" type veth peer name lan0 netns "+l.a,
		"link add eth2 netns "+l.r+" type veth peer name lan0 netns "+l.b)
	ipBatch(t, l.r, "link set lo up",
		"addr add 203.0.113.2/24 dev eth0", "link set eth0 up",
		"addr add 10.77.2.2/24 dev eth1", "link set eth1 up",
		"addr add 10.77.3.2/24 dev eth2", "link set eth2 up")
	ipBatch(t, l.w, "link set lo up", "addr add 203.0.113.1/24 dev wan0", "link set wan0 up",
		"addr add 198.51.100.50/32 dev lo")
	ipBatch(t, l.a, "link set lo up", "addr add "+clientAddr+" dev lan0", "link set lan0 up")
	ipBatch(t, l.b, "link set lo up", "addr add "+serverAddr+" dev lan0", "link set lan0 up")
	return l
}

func (l *bridgeLab) gateway(t *testing.T, ns, gw string) {
	ipcmd(t, "-n", ns, "route", "add", "default", "via", gw)
}

func (l *bridgeLab) setup(t *testing.T) *Dataplane {
	dp, err := Setup(SetupOptions{
		Ports: []Port{
			{Name: "ether1", Subnet: netip.MustParsePrefix("203.0.113.0/24")},
			{Name: "ether2", Subnet: netip.MustParsePrefix("10.77.2.0/24")},
			{Name: "ether3", Subnet: netip.MustParsePrefix("10.77.3.0/24")},
		},
		Netns: l.r,
	})
	if err != nil {
		t.Fatalf("Setup: %v", err)
	}
	t.Cleanup(func() { dp.Close() })
	return dp
}

// bridgedState is the hairpin lab's configuration with the LAN on bridge1
// (ether2 and ether3) and its address on the bridge.
func bridgedState() *State {
	st := baseState()
	st.Ports = []string{"ether1", "ether2", "ether3"}
	st.Addresses[1].Interface = "bridge1"
	st.InterfaceLists["LAN"] = []string{"bridge1"}
	st.InterfaceLists["all"] = []string{"ether1", "ether2", "ether3", "bridge1"}
	st.Bridges = []Bridge{{Name: "bridge1", ARP: "enabled", PVID: 1, FrameTypes: "admit-all",
		Ports: []BridgePort{{Interface: "ether2", PVID: 1, FrameTypes: "admit-all"}, {Interface: "ether3", PVID: 1, FrameTypes: "admit-all"}}}}
	return st
}

func withFilter(st *State, rules ...Rule) *State {
	st.Filter = append(rules, st.Filter...)
	return st
}

func master(t *testing.T, h *netlink.Handle, port string) string {
	t.Helper()
	l, err := h.LinkByName(port)
	if err != nil {
		t.Fatalf("find %s: %v", port, err)
	}
	if l.Attrs().MasterIndex == 0 {
		return ""
	}
	m, err := h.LinkByIndex(l.Attrs().MasterIndex)
	if err != nil {
		t.Fatalf("find the master of %s: %v", port, err)
	}
	return m.Attrs().Name
}

func TestApplyBridge(t *testing.T) {
	t.Parallel()
	l := newBridgeLab(t, "192.168.88.20/24", "192.168.88.10/24")
	l.gateway(t, l.a, "192.168.88.1")
	l.gateway(t, l.b, "192.168.88.1")
	dp := l.setup(t)
	rnl, err := netlink.NewHandleAt(nsHandle(t, l.r))
	if err != nil {
		t.Fatal(err)
	}
	defer rnl.Close()
	cli, srv, peer := nsHandle(t, l.a), nsHandle(t, l.b), nsHandle(t, l.w)
	serve(t, srv, "0.0.0.0:12566")

	// Negative control: without the bridge, ether3's server is not on the
	// client's segment.
	st := baseState()
	st.Ports = []string{"ether1", "ether2", "ether3"}
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply without bridge: %v", err)
	}
	if saw, err := dial(cli, "", "192.168.88.10:12566"); err == nil {
		t.Fatalf("the client reached the server on another port without a bridge (saw %s)", saw)
	}

	// The bridge joins ether2 and ether3: the client reaches the server at
	// L2, seen as itself, and the router's address is on bridge1.
	if err := dp.Apply(withNAT(bridgedState(), portForward("*2"))); err != nil {
		t.Fatalf("Apply bridge: %v", err)
	}
	for _, p := range []string{"ether2", "ether3"} {
		if m := master(t, rnl, p); m != "bridge1" {
			t.Errorf("master of %s = %q, want bridge1", p, m)
		}
	}
	// The negative control left a failed neighbour entry for the server
	// in the client; the kernel answers "no route to host" from it until
	// it is probed again, so the first tries may fail for that alone.
	saw, err := dial(cli, "", "192.168.88.10:12566")
	for try := 0; err != nil && try < 10; try++ {
		time.Sleep(500 * time.Millisecond)
		saw, err = dial(cli, "", "192.168.88.10:12566")
	}
	if err != nil || saw != "192.168.88.20" {
		t.Errorf("client to server through the bridge: saw %q, err %v; want 192.168.88.20", saw, err)
	}
	if saw, err := dial(peer, "198.51.100.50", "203.0.113.2:12566"); err != nil || saw != "198.51.100.50" {
		t.Errorf("WAN peer through the port forward to the bridge: saw %q, err %v", saw, err)
	}

	// Bridged traffic does not pass the IP firewall (use-ip-firewall=no):
	// a forward drop-all leaves it alone; with use-ip-firewall=yes it
	// stops it.
	dropAll := rule("*D", "chain=forward", "action=drop", "comment=drop all")
	if err := dp.Apply(withFilter(withNAT(bridgedState(), portForward("*2")), dropAll)); err != nil {
		t.Fatalf("Apply drop-all: %v", err)
	}
	if saw, err := dial(cli, "", "192.168.88.10:12566"); err != nil || saw != "192.168.88.20" {
		t.Errorf("bridged traffic with a forward drop-all and use-ip-firewall=no: saw %q, err %v; want it through", saw, err)
	}
	fw := withFilter(withNAT(bridgedState(), portForward("*2")), dropAll)
	fw.BridgeSettings.UseIPFirewall = true
	if err := dp.Apply(fw); err != nil {
		t.Fatalf("Apply use-ip-firewall=yes: %v", err)
	}
	if saw, err := dial(cli, "", "192.168.88.10:12566"); err == nil {
		t.Errorf("bridged traffic with use-ip-firewall=yes passed a forward drop-all (saw %s)", saw)
	}

	// Routed traffic leaves through bridge1, not through the port:
	// out-interface=ether3 does not match it, out-interface=bridge1 does.
	dropPort := rule("*E", "chain=forward", "action=drop", "out-interface=ether3", "comment=drop to ether3")
	if err := dp.Apply(withFilter(withNAT(bridgedState(), portForward("*2")), dropPort)); err != nil {
		t.Fatalf("Apply out-interface=ether3: %v", err)
	}
	if saw, err := dial(peer, "198.51.100.50", "203.0.113.2:12566"); err != nil || saw != "198.51.100.50" {
		t.Errorf("out-interface=ether3 (a bridge port) stopped routed traffic: saw %q, err %v", saw, err)
	}
	dropBridge := rule("*F", "chain=forward", "action=drop", "out-interface=bridge1", "comment=drop to bridge1")
	if err := dp.Apply(withFilter(withNAT(bridgedState(), portForward("*2")), dropBridge)); err != nil {
		t.Fatalf("Apply out-interface=bridge1: %v", err)
	}
	if saw, err := dial(peer, "198.51.100.50", "203.0.113.2:12566"); err == nil {
		t.Errorf("out-interface=bridge1 did not stop routed traffic (saw %s)", saw)
	}

	// The hairpin through the bridge: without the src-nat rule the server
	// answers the client directly and the connection fails; with it the
	// server sees the router's bridge address.
	if err := dp.Apply(withNAT(bridgedState(), portForward("*2"))); err != nil {
		t.Fatalf("Apply port forward: %v", err)
	}
	if saw, err := dial(cli, "", "203.0.113.2:12566"); err == nil {
		t.Errorf("hairpin without the src-nat rule connected (saw %s)", saw)
	}
	if err := dp.Apply(withNAT(bridgedState(), portForward("*2"), hairpinMasq("*3"))); err != nil {
		t.Fatalf("Apply hairpin: %v", err)
	}
	if saw, err := dial(cli, "", "203.0.113.2:12566"); err != nil || saw != "192.168.88.1" {
		t.Errorf("hairpin through the bridge: saw %q, err %v; want 192.168.88.1", saw, err)
	}

	// A RouterOS name Linux cannot take (longer than 15 bytes) is carried
	// by a Linux interface of another name, in netlink and nft alike.
	long := withFilter(withNAT(bridgedState(), portForward("*2")), rule("*G", "chain=forward", "action=drop", "out-interface=bridge-moradores", "protocol=udp"))
	long.Bridges[0].Name, long.Addresses[1].Interface = "bridge-moradores", "bridge-moradores"
	long.InterfaceLists["LAN"] = []string{"bridge-moradores"}
	if err := dp.Apply(long); err != nil {
		t.Fatalf("Apply a bridge with a long name: %v", err)
	}
	if m := master(t, rnl, "ether2"); m != LinkName("bridge-moradores") || len(m) > 15 {
		t.Errorf("master of ether2 = %q, want %q", m, LinkName("bridge-moradores"))
	}
	if saw, err := dial(cli, "", "192.168.88.10:12566"); err != nil || saw != "192.168.88.20" {
		t.Errorf("through the long-named bridge: saw %q, err %v", saw, err)
	}
	if saw, err := dial(peer, "198.51.100.50", "203.0.113.2:12566"); err != nil || saw != "198.51.100.50" {
		t.Errorf("routed to the long-named bridge: saw %q, err %v", saw, err)
	}
	if err := dp.Apply(withNAT(bridgedState(), portForward("*2"), hairpinMasq("*3"))); err != nil {
		t.Fatalf("Apply hairpin again: %v", err)
	}

	// A failed Apply leaves the bridge as it was.
	bad := baseState()
	bad.Ports = []string{"ether1", "ether2", "ether3"}
	bad.Routes = append(bad.Routes, Route{Dst: netip.MustParsePrefix("10.9.0.0/16"), Gateway: "ether2", Distance: 1, VRF: "vrf9"})
	if err := dp.Apply(bad); err == nil || !strings.Contains(err.Error(), "vrf9") {
		t.Fatalf("Apply with a route rosemu cannot make: err %v", err)
	}
	if m := master(t, rnl, "ether2"); m != "bridge1" {
		t.Errorf("after a failed Apply ether2's master is %q, want bridge1 back", m)
	}
	if saw, err := dial(cli, "", "203.0.113.2:12566"); err != nil || saw != "192.168.88.1" {
		t.Errorf("hairpin after the rollback: saw %q, err %v", saw, err)
	}

	// Without the bridge in the configuration the bridge is gone and the
	// ports are on their own again.
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply without bridge again: %v", err)
	}
	if _, err := rnl.LinkByName("bridge1"); err == nil {
		t.Errorf("bridge1 still exists after the configuration dropped it")
	}
	if m := master(t, rnl, "ether3"); m != "" {
		t.Errorf("ether3 is still in bridge %s", m)
	}
	if saw, err := dial(cli, "", "192.168.88.10:12566"); err == nil {
		t.Errorf("client reached the server after the bridge was removed (saw %s)", saw)
	}
}

// kernelVLANs reports whether this kernel has 802.1Q interfaces and
// bridge VLAN filtering, by trying both in a scratch namespace.
func kernelVLANs(t *testing.T) string {
	ns := nsName("v")
	defer exec.Command("ip", "netns", "del", ns).Run()
	if err := exec.Command("ip", "netns", "add", ns).Run(); err != nil {
		return "cannot create a namespace: " + err.Error()
	}
	for _, args := range [][]string{
		{"-n", ns, "link", "add", "br0", "type", "bridge", "vlan_filtering", "1"},
		{"-n", ns, "link", "add", "link", "br0", "name", "v10", "type", "vlan", "id", "10"},
	} {
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			return fmt.Sprintf("ip %s: %s", strings.Join(args, " "), strings.TrimSpace(string(out)))
		}
	}
	return ""
}

// Two access ports in different VLANs of one vlan-filtering bridge, the
// bridge tagged in both and a VLAN interface per VLAN carrying its
// gateway: the hosts reach each other routed; without the bridge VLAN
// entry of the server's VLAN they do not.
func TestApplyBridgeVLANs(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		if why := kernelVLANs(t); why != "" {
			t.Skipf("this kernel has no 802.1Q or bridge VLAN filtering: %s", why)
		}
	}
	l := newBridgeLab(t, "192.168.10.20/24", "192.168.20.10/24")
	l.gateway(t, l.a, "192.168.10.1")
	l.gateway(t, l.b, "192.168.20.1")
	dp := l.setup(t)
	cli, srv := nsHandle(t, l.a), nsHandle(t, l.b)
	serve(t, srv, "0.0.0.0:12566")
	vlanState := func(entries ...BridgeVLAN) *State {
		st := bridgedState()
		st.Addresses = []Address{
			{Prefix: netip.MustParsePrefix("192.168.10.1/24"), Interface: "vlan10"},
			{Prefix: netip.MustParsePrefix("192.168.20.1/24"), Interface: "vlan20"},
		}
		st.Filter, st.NAT = nil, nil
		b := &st.Bridges[0]
		b.VLANFiltering = true
		b.Ports[0].PVID, b.Ports[1].PVID = 10, 20
		b.Ports[0].FrameTypes = "admit-only-untagged-and-priority-tagged"
		b.Ports[1].FrameTypes = "admit-only-untagged-and-priority-tagged"
		b.VLANs = entries
		st.VLANs = []VLAN{{Name: "vlan10", Interface: "bridge1", ID: 10, MTU: 1500, ARP: "enabled"}, {Name: "vlan20", Interface: "bridge1", ID: 20, MTU: 1500, ARP: "enabled"}}
		return st
	}
	v10 := BridgeVLAN{IDs: []int{10}, Tagged: []string{"bridge1"}, Untagged: []string{"ether2"}}
	v20 := BridgeVLAN{IDs: []int{20}, Tagged: []string{"bridge1"}, Untagged: []string{"ether3"}}
	if err := dp.Apply(vlanState(v10, v20)); err != nil {
		t.Fatalf("Apply VLANs: %v", err)
	}
	if saw, err := dial(cli, "", "192.168.20.10:12566"); err != nil || saw != "192.168.10.20" {
		t.Errorf("VLAN 10 to VLAN 20 through the VLAN interfaces: saw %q, err %v", saw, err)
	}
	if err := dp.Apply(vlanState(v10)); err != nil {
		t.Fatalf("Apply without VLAN 20's entry: %v", err)
	}
	if saw, err := dial(cli, "", "192.168.20.10:12566"); err == nil {
		t.Errorf("reached VLAN 20 although the bridge is not tagged in it (saw %s)", saw)
	}
}

// wantedVLANs is RouterOS's VLAN membership: pvid untagged (unless the
// port admits only tagged frames), tagged and untagged from the entries,
// the bridge a member through its own name, non-ports ignored.
func TestLinkName(t *testing.T) {
	for _, n := range []string{"ether1", "bridge1", "vlan10-home"} {
		if LinkName(n) != n {
			t.Errorf("LinkName(%q) = %q, want it unchanged", n, LinkName(n))
		}
	}
	seen := map[string]string{}
	// Linux refuses "\r", "\v", "\f" and 0xa0 (its isspace, the 0xa0 of
	// "à") and a '%' (a "%d" is numbered): each needs a name of its own.
	for _, n := range []string{"bridge-moradores", "bridge-moradorez", "LAN bridge", "a/b", "x*", "ether2-SRV1-NIC1",
		"vlàn", "a\rb", "a\vb", "a\fb", "a%b", "a%db", "v\xa0"} {
		l := LinkName(n)
		if l == n || len(l) > 15 || LinkName(n) != l {
			t.Errorf("LinkName(%q) = %q: want a stable Linux name of at most 15 bytes", n, l)
		}
		if o, dup := seen[l]; dup {
			t.Errorf("LinkName(%q) = LinkName(%q) = %q", n, o, l)
		}
		seen[l] = n
	}
}

func TestWantedVLANs(t *testing.T) {
	b := Bridge{Name: "bridge", PVID: 1, FrameTypes: "admit-all", VLANFiltering: true,
		Ports: []BridgePort{
			{Interface: "ether2", PVID: 10, FrameTypes: "admit-only-untagged-and-priority-tagged"},
			{Interface: "ether8", PVID: 1, FrameTypes: "admit-only-vlan-tagged"},
		},
		VLANs: []BridgeVLAN{
			{IDs: []int{10}, Tagged: []string{"bridge", "ether8", "wlan1"}, Untagged: []string{"ether2"}},
			{IDs: []int{20, 30}, Tagged: []string{"bridge", "ether8"}},
		},
	}
	got := wantedVLANs(b)
	want := map[string]map[uint16]vlanEntry{
		"bridge": {1: {pvid: true, untagged: true}, 10: {}, 20: {}, 30: {}},
		"ether2": {10: {pvid: true, untagged: true}},
		"ether8": {10: {}, 20: {}, 30: {}},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("wantedVLANs =\n%v\nwant\n%v", got, want)
	}
}

// TestWantedVLANsSharedEntry: the Layer2 misconfiguration page's
// "simplified bridge VLAN table", one entry tagged=ether2 vlan-ids=10,20
// with access ports in pvid 10 and 20. RouterOS makes each access port an
// untagged member of the entry, so of both VLANs, and floods broadcasts
// between them (forum52 D1); rosemu kept each in its pvid only.
func TestWantedVLANsSharedEntry(t *testing.T) {
	b := Bridge{Name: "bridge1", PVID: 1, FrameTypes: "admit-all", VLANFiltering: true,
		Ports: []BridgePort{
			{Interface: "ether2", PVID: 1, FrameTypes: "admit-only-vlan-tagged"},
			{Interface: "ether3", PVID: 10, FrameTypes: "admit-all"},
			{Interface: "ether4", PVID: 20, FrameTypes: "admit-all"},
			{Interface: "ether5", PVID: 30, FrameTypes: "admit-all"},
		},
		VLANs: []BridgeVLAN{
			{IDs: []int{10, 20}, Tagged: []string{"ether2"}},
			{IDs: []int{30, 40}, Tagged: []string{"ether2"}, Untagged: []string{"ether5"}},
		},
	}
	got := wantedVLANs(b)
	want := map[string]map[uint16]vlanEntry{
		"bridge1": {1: {pvid: true, untagged: true}},
		"ether2":  {10: {}, 20: {}, 30: {}, 40: {}},
		"ether3":  {10: {pvid: true, untagged: true}, 20: {untagged: true}},
		"ether4":  {10: {untagged: true}, 20: {pvid: true, untagged: true}},
		"ether5":  {30: {pvid: true, untagged: true}, 40: {untagged: true}},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("wantedVLANs =\n%v\nwant\n%v", got, want)
	}
}
