package kernel

import (
	"net"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vishvananda/netns"
)

// dialRetry dials until it connects or tries run out: a neighbour entry
// the previous step left failed answers "no route to host" for a while.
func dialRetry(t *testing.T, try func() (string, error)) (string, error) {
	saw, err := try()
	for i := 0; err != nil && i < 8; i++ {
		time.Sleep(500 * time.Millisecond)
		saw, err = try()
	}
	return saw, err
}

// TestBridgeHorizonAndFilter proves split horizon and /interface bridge
// filter with packets: client (ether2) and server (ether3) share one
// subnet on bridge1, so their traffic is bridged between the two ports.
func TestBridgeHorizonAndFilter(t *testing.T) {
	t.Parallel()
	l := newBridgeLab(t, "192.168.88.20/24", "192.168.88.10/24")
	l.gateway(t, l.a, "192.168.88.1")
	l.gateway(t, l.b, "192.168.88.1")
	dp := l.setup(t)
	cli, srv, peer := nsHandle(t, l.a), nsHandle(t, l.b), nsHandle(t, l.w)
	serve(t, srv, "0.0.0.0:12566")
	serve(t, peer, "198.51.100.50:12566")
	toServer := func() (string, error) { return dial(cli, "", "192.168.88.10:12566") }
	toPeer := func() (string, error) { return dial(srv, "", "198.51.100.50:12566") }

	// Negative control: the bridge forwards between its ports.
	if err := dp.Apply(bridgedState()); err != nil {
		t.Fatalf("Apply bridge: %v", err)
	}
	if saw, err := dialRetry(t, toServer); err != nil || saw != "192.168.88.20" {
		t.Fatalf("bridged client to server without horizon: saw %q, err %v", saw, err)
	}

	// horizon=1 on both ports: no forwarding between them, while each
	// still reaches the router and, routed by it, the internet.
	st := bridgedState()
	st.Bridges[0].Ports[0].Horizon, st.Bridges[0].Ports[1].Horizon = "1", "1"
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply horizon=1: %v", err)
	}
	if saw, err := toServer(); err == nil {
		t.Errorf("ports with the same horizon forwarded to each other (server saw %s)", saw)
	}
	if saw, err := dialRetry(t, toPeer); err != nil || saw != "203.0.113.2" {
		t.Errorf("server behind a horizon port to the internet: saw %q, err %v; want 203.0.113.2", saw, err)
	}

	// Different horizon values are different groups: they forward.
	st = bridgedState()
	st.Bridges[0].Ports[0].Horizon, st.Bridges[0].Ports[1].Horizon = "1", "2"
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply horizon=1 and 2: %v", err)
	}
	if saw, err := dialRetry(t, toServer); err != nil || saw != "192.168.88.20" {
		t.Errorf("ports with horizons 1 and 2: saw %q, err %v; want them forwarding", saw, err)
	}

	// /interface bridge filter: a forward drop from ether2 to ether3
	// (and back) cuts the bridged traffic and counts it.
	iso := []Rule{
		rule("*20", "chain=forward", "action=drop", "in-interface=ether2", "out-interface=ether3", "comment=iso23"),
		rule("*21", "chain=forward", "action=drop", "in-interface=ether3", "out-interface=ether2", "comment=iso32"),
	}
	st = bridgedState()
	st.BridgeFilter = iso
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply bridge filter: %v", err)
	}
	if saw, err := toServer(); err == nil {
		t.Errorf("a bridge filter forward drop let the bridged connection through (server saw %s)", saw)
	}
	c, err := dp.RuleCounters()
	if err != nil {
		t.Fatal(err)
	}
	if c["*20"].Packets == 0 {
		t.Errorf("the drop rule counted %+v, want packets", c["*20"])
	}
	// Routed traffic is no bridge forward: it passes.
	if saw, err := dialRetry(t, toPeer); err != nil || saw != "203.0.113.2" {
		t.Errorf("routed traffic with the bridge filter: saw %q, err %v", saw, err)
	}
	// The counters survive a reload of the table.
	before := c["*20"].Packets
	st2 := bridgedState()
	st2.BridgeFilter = append(append([]Rule(nil), iso...), rule("*22", "chain=forward", "action=passthrough", "comment=count"))
	if err := dp.Apply(st2); err != nil {
		t.Fatalf("Apply bridge filter with another rule: %v", err)
	}
	if c, err := dp.RuleCounters(); err != nil || c["*20"].Packets < before {
		t.Errorf("after a reload the drop rule counts %+v (err %v), want at least %d", c["*20"], err, before)
	}

	// D3: in-interface-list and out-interface-list match the ports of the
	// list, as in-interface and out-interface do: one rule isolating the
	// guest ports cuts the bridged traffic and counts it; the control, the
	// list without ether3, lets it through (the rule no longer matches).
	st = bridgedState()
	st.InterfaceLists["GUEST-PORTS"] = []string{"ether2", "ether3"}
	st.BridgeFilter = []Rule{rule("*25", "chain=forward", "action=drop", "in-interface-list=GUEST-PORTS", "out-interface-list=GUEST-PORTS", "comment=iso")}
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply bridge filter by interface list: %v", err)
	}
	if saw, err := toServer(); err == nil {
		t.Errorf("a bridge filter drop by interface list let the bridged connection through (server saw %s)", saw)
	}
	if c, err := dp.RuleCounters(); err != nil || c["*25"].Packets == 0 {
		t.Errorf("the list drop rule counted %+v (err %v), want packets", c["*25"], err)
	}
	st.InterfaceLists["GUEST-PORTS"] = []string{"ether2"}
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply bridge filter with ether3 out of the list: %v", err)
	}
	if saw, err := dialRetry(t, toServer); err != nil || saw != "192.168.88.20" {
		t.Errorf("list without ether3: saw %q, err %v; want it through", saw, err)
	}

	// jump to a user chain and a drop there by MAC protocol and address:
	// the same effect; a return before it lets the traffic through.
	st = bridgedState()
	st.BridgeFilter = []Rule{
		rule("*30", "chain=forward", "action=jump", "jump-target=guests", "in-bridge=bridge1"),
		rule("*31", "chain=guests", "action=drop", "mac-protocol=ip", "src-address=192.168.88.20", "ip-protocol=tcp", "dst-port=12566"),
	}
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply jump: %v", err)
	}
	if saw, err := toServer(); err == nil {
		t.Errorf("a drop in a user chain let the connection through (server saw %s)", saw)
	}
	st.BridgeFilter = append([]Rule{st.BridgeFilter[0], rule("*32", "chain=guests", "action=return")}, st.BridgeFilter[1:]...)
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply return: %v", err)
	}
	if saw, err := dialRetry(t, toServer); err != nil || saw != "192.168.88.20" {
		t.Errorf("return before the drop: saw %q, err %v; want it through", saw, err)
	}

	// The rules disabled, and a rule rosemu does not model (stored):
	// bridged again, and the table is gone once nothing needs it.
	st = bridgedState()
	for _, r := range iso {
		r.Props["disabled"] = "yes"
	}
	st.BridgeFilter = append(iso, rule("*23", "chain=forward", "action=drop", "vlan-id=10"))
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply disabled: %v", err)
	}
	if saw, err := dialRetry(t, toServer); err != nil || saw != "192.168.88.20" {
		t.Errorf("bridge filter rules disabled: saw %q, err %v; want it through", saw, err)
	}
	if out, err := run(dp.ns, "", dp.nft, "list", "tables"); err != nil || strings.Contains(out, BridgeTableName) {
		t.Errorf("nft tables with nothing to enforce: %q (err %v), want no %s", out, err, BridgeTableName)
	}
}

func TestRenderBridge(t *testing.T) {
	st := &State{Bridges: []Bridge{
		{Name: "bridge1", Ports: []BridgePort{{Interface: "ether2", Horizon: "1"}, {Interface: "ether3", Horizon: "1"}, {Interface: "ether4", Horizon: "2"}, {Interface: "ether5", Horizon: "2"}, {Interface: "ether6"}}},
		{Name: "bridge-moradores", Ports: []BridgePort{{Interface: "ether7", Horizon: "1"}, {Interface: "ether8", Horizon: "3"}}},
	}}
	st.BridgeFilter = []Rule{
		rule("*1", "chain=forward", "action=drop", "src-mac-address=01:00:5E:00:00:00/FF:FF:FF:80:00:00", "mac-protocol=!arp", "comment=x"),
		rule("*2", "chain=input", "action=accept", "packet-type=broadcast", "out-bridge=!bridge-moradores"),
		rule("*3", "chain=forward", "action=mark-packet", "new-packet-mark=m"),
		rule("*4", "chain=forward", "action=drop", "in-interface-list=GUEST", "out-interface-list=!GUEST"),
	}
	st.InterfaceLists = map[string][]string{"GUEST": {"ether7", "ether8"}, "WAN": {"ether1"}}
	text, err := RenderBridge(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`iifname { "ether2", "ether3" } oifname { "ether2", "ether3" } drop comment "bridge bridge1 horizon=1"`,
		`iifname { "ether4", "ether5" } oifname { "ether4", "ether5" } drop comment "bridge bridge1 horizon=2"`,
		`ether type != 0x0806 ether saddr & ff:ff:ff:80:00:00 == 01:00:5e:00:00:00 counter drop comment "*1 x"`,
		`oifname != { "ether7", "ether8" } meta pkttype broadcast counter accept comment "*2"`,
		// D3: the lists a rule names, as ifname sets of the bridge table.
		"set il_GUEST {\n\t\ttype ifname\n\t\telements = { \"ether7\", \"ether8\" }",
		`iifname @il_GUEST oifname != @il_GUEST counter drop comment "*4"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("rendered bridge table lacks %q:\n%s", want, text)
		}
	}
	// A group of one port (horizon 3) and a stored rule render nothing.
	for _, not := range []string{"horizon=3", "*3", "il_WAN"} {
		if strings.Contains(text, not) {
			t.Errorf("rendered bridge table has %q:\n%s", not, text)
		}
	}
	if got := BridgeRuleUnmodelled("filter", st.BridgeFilter[2].Props); got != "new-packet-mark" && got != "action" {
		t.Errorf("BridgeRuleUnmodelled(mark-packet) = %q", got)
	}
	empty, _ := RenderBridge(&State{})
	if strings.Contains(empty, "chain") {
		t.Errorf("without horizon or rules the text should only delete the table:\n%s", empty)
	}
}

// TestRenderBridgeFrameTypes: a port of a vlan-filtering bridge set
// admit-only-untagged-and-priority-tagged drops tagged frames (VID other
// than 0) where they enter, also when a VLAN entry lists it tagged
// (forum31 D1); admit-all ports and a bridge without vlan-filtering (where
// frame-types has no effect) are the controls.
func TestRenderBridgeFrameTypes(t *testing.T) {
	st := &State{Bridges: []Bridge{
		{Name: "bridge1", VLANFiltering: true, PVID: 1,
			Ports: []BridgePort{{Interface: "ether2", PVID: 1, FrameTypes: "admit-only-untagged-and-priority-tagged"},
				{Interface: "ether3", PVID: 10, FrameTypes: "admit-all"},
				{Interface: "ether5", PVID: 20, FrameTypes: "admit-only-untagged-and-priority-tagged"}},
			VLANs: []BridgeVLAN{{IDs: []int{10}, Tagged: []string{"bridge1", "ether2"}}}},
		{Name: "bridge2", Ports: []BridgePort{{Interface: "ether4", PVID: 1, FrameTypes: "admit-only-untagged-and-priority-tagged"}}},
	}}
	text, err := RenderBridge(st)
	if err != nil {
		t.Fatal(err)
	}
	want := `iifname { "ether2", "ether5" } vlan id != 0 drop comment "frame-types=admit-only-untagged-and-priority-tagged"`
	if !strings.Contains(text, want) || !strings.Contains(text, "type filter hook prerouting priority -350") {
		t.Errorf("rendered bridge table lacks the ingress drop %q:\n%s", want, text)
	}
	for _, not := range []string{`"ether3"`, `"ether4"`} {
		if strings.Contains(text, not) {
			t.Errorf("rendered bridge table names %s, whose tagged frames RouterOS admits:\n%s", not, text)
		}
	}
	// The egress side stays: ether2 is still a tagged member of VLAN 10.
	if got := wantedVLANs(st.Bridges[0])["ether2"]; len(got) != 2 {
		t.Errorf("wantedVLANs[ether2] = %v, want pvid 1 and tagged 10", got)
	}
	st.Bridges[0].Ports[0].FrameTypes, st.Bridges[0].Ports[2].FrameTypes = "admit-all", "admit-all"
	if text, _ := RenderBridge(st); strings.Contains(text, "frametypes") {
		t.Errorf("no port admits only untagged frames, yet:\n%s", text)
	}
}

// bridgedClientServer is a router whose bridge joins a client
// (192.168.88.20) and a server answering on 192.168.88.10:12566, and a
// connection from the one to the other (what the server saw).
func bridgedClientServer(t *testing.T) (*Dataplane, func() (string, error)) {
	l := newBridgeLab(t, "192.168.88.20/24", "192.168.88.10/24")
	l.gateway(t, l.a, "192.168.88.1")
	l.gateway(t, l.b, "192.168.88.1")
	dp := l.setup(t)
	cli, srv := nsHandle(t, l.a), nsHandle(t, l.b)
	serve(t, srv, "0.0.0.0:12566")
	return dp, func() (string, error) { return dial(cli, "", "192.168.88.10:12566") }
}

// TestInBridgePort proves the IP firewall's in-bridge-port and
// out-bridge-port under use-ip-firewall=yes with packets: a drop of new
// connections by the port the client's SYN comes in (or the server's
// port it goes out) by cuts the bridged connection; the other port, and
// use-ip-firewall=no, are the negative controls.
func TestInBridgePort(t *testing.T) {
	t.Parallel()
	dp, toServer := bridgedClientServer(t)
	apply := func(useIPFirewall bool, rules ...Rule) {
		t.Helper()
		st := withFilter(bridgedState(), rules...)
		st.BridgeSettings.UseIPFirewall = useIPFirewall
		if err := dp.Apply(st); err != nil {
			t.Fatalf("Apply %v: %v", rules, err)
		}
	}
	dropNew := func(kv string) Rule {
		return rule("*40", "chain=forward", "action=drop", "connection-state=new", kv)
	}
	for _, c := range []struct {
		match   string
		ipfw    bool
		through bool
	}{
		{"in-bridge-port=ether3", true, true},
		{"in-bridge-port=ether2", true, false},
		{"in-bridge-port=ether2", false, true},
		{"out-bridge-port=ether2", true, true},
		{"out-bridge-port=ether3", true, false},
		{"in-bridge-port=!ether2", true, true},
		{"in-bridge-port-list=LAN", true, true}, // bridge1, no port
	} {
		apply(c.ipfw, dropNew(c.match))
		if c.through {
			if saw, err := dialRetry(t, toServer); err != nil || saw != "192.168.88.20" {
				t.Errorf("%s (use-ip-firewall %v): saw %q, err %v; want the connection through", c.match, c.ipfw, saw, err)
			}
			continue
		}
		if saw, err := toServer(); err == nil {
			t.Errorf("%s (use-ip-firewall %v): connected (server saw %s), want it dropped", c.match, c.ipfw, saw)
		}
		if cs, err := dp.RuleCounters(); err != nil || cs["*40"].Packets == 0 {
			t.Errorf("%s: the drop rule counted %+v (err %v)", c.match, cs["*40"], err)
		}
	}
	// A packet mark set in prerouting keeps the port bits.
	st := withFilter(bridgedState(), dropNew("in-bridge-port=ether2"))
	st.Mangle = []Rule{rule("*41", "chain=prerouting", "action=mark-packet", "new-packet-mark=m", "passthrough=yes")}
	st.BridgeSettings.UseIPFirewall = true
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if saw, err := toServer(); err == nil {
		t.Errorf("in-bridge-port after a mark-packet: connected (server saw %s), want it dropped", saw)
	}
}

// TestBridgeNAT: /interface bridge nat dst-nat gives the client's frames
// to the server another destination MAC, which the server does not take;
// the same rule for another port number is the negative control. A
// src-nat rule counts the frames it rewrites.
func TestBridgeNAT(t *testing.T) {
	t.Parallel()
	dp, toServer := bridgedClientServer(t)
	dnat := func(port string) Rule {
		return rule("*50", "chain=dstnat", "action=dst-nat", "to-dst-mac-address=02:00:00:00:00:99", "mac-protocol=ip",
			"dst-address=192.168.88.10", "ip-protocol=tcp", "dst-port="+port)
	}
	snat := rule("*51", "chain=srcnat", "action=src-nat", "to-src-mac-address=02:00:00:00:00:77", "out-interface=ether3",
		"mac-protocol=ip", "ip-protocol=tcp", "dst-port=12566")
	st := bridgedState()
	st.BridgeNAT = []Rule{dnat("12567"), snat}
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply bridge nat: %v", err)
	}
	if saw, err := dialRetry(t, toServer); err != nil || saw != "192.168.88.20" {
		t.Errorf("dst-nat of another port: saw %q, err %v; want the connection through", saw, err)
	}
	if c, err := dp.RuleCounters(); err != nil || c["*51"].Packets == 0 || c["*50"].Packets != 0 {
		t.Errorf("counters %+v %+v (err %v): want src-nat counting, dst-nat not", c["*51"], c["*50"], err)
	}
	st.BridgeNAT = []Rule{dnat("12566")}
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply bridge nat: %v", err)
	}
	if saw, err := toServer(); err == nil {
		t.Errorf("dst-nat to a MAC nobody has: the server took the connection (saw %s)", saw)
	}
	if c, err := dp.RuleCounters(); err != nil || c["*50"].Packets == 0 {
		t.Errorf("dst-nat counted %+v (err %v)", c["*50"], err)
	}
}

// TestRenderBridgeDHCPSnooping: a bridge with dhcp-snooping=yes drops
// DHCP server messages that come in by its untrusted ports and keeps
// client messages from going out of them; its trusted port is in neither
// set, and a bridge without snooping, or whose ports are all trusted,
// renders nothing.
func TestRenderBridgeDHCPSnooping(t *testing.T) {
	st := &State{Bridges: []Bridge{
		{Name: "bridge1", DHCPSnooping: true, Ports: []BridgePort{{Interface: "ether2", Trusted: true}, {Interface: "ether3"}, {Interface: "ether4"}}},
		{Name: "bridge2", Ports: []BridgePort{{Interface: "ether5"}}},
		{Name: "bridge3", DHCPSnooping: true, Ports: []BridgePort{{Interface: "ether6", Trusted: true}}},
	}}
	text, err := RenderBridge(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"chain dhcpsnoop {\n\t\ttype filter hook forward priority -300; policy accept;",
		`iifname { "ether3", "ether4" } meta l4proto udp th sport 67 th dport 68 counter drop comment "bridge bridge1 dhcp-snooping: server message from an untrusted port"`,
		`oifname { "ether3", "ether4" } meta l4proto udp th sport 68 th dport 67 counter drop comment "bridge bridge1 dhcp-snooping: client message to an untrusted port"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("rendered bridge table lacks %q:\n%s", want, text)
		}
	}
	for _, not := range []string{`"ether2"`, `"ether5"`, `"ether6"`, "bridge2", "bridge3"} {
		if strings.Contains(text, not) {
			t.Errorf("rendered bridge table has %s:\n%s", not, text)
		}
	}
	st.Bridges = st.Bridges[1:]
	if text, _ := RenderBridge(st); strings.Contains(text, "chain") {
		t.Errorf("without an untrusted port of a snooping bridge the text should only delete the table:\n%s", text)
	}
}

// TestBridgeDHCPSnooping proves DHCP snooping with packets: the server
// (ether3) sends a DHCP server message (UDP 67 to 68) to the client
// (ether2) across bridge1, and the client a client message (68 to 67) to
// the server. Without snooping both arrive (the control); with
// dhcp-snooping=yes and ether2 trusted, ether3's server message is dropped
// and counted and the client message is not sent out of ether3; with
// ether3 trusted as well both arrive again.
func TestBridgeDHCPSnooping(t *testing.T) {
	t.Parallel()
	l := newBridgeLab(t, "192.168.88.20/24", "192.168.88.10/24")
	dp := l.setup(t)
	client := dhcpPeer(t, nsHandle(t, l.a), 68)
	server := dhcpPeer(t, nsHandle(t, l.b), 67)
	// exchange sends one message each way (a few times: the first may
	// wait for ARP) and reports which arrived.
	exchange := func() (toClient, toServer bool) {
		c0, s0 := client.got.Load(), server.got.Load()
		for i := 0; i < 3; i++ {
			server.send(t, "192.168.88.20:68")
			client.send(t, "192.168.88.10:67")
			time.Sleep(300 * time.Millisecond)
		}
		return client.got.Load() > c0, server.got.Load() > s0
	}
	if err := dp.Apply(bridgedState()); err != nil {
		t.Fatalf("Apply bridge: %v", err)
	}
	if c, s := exchange(); !c || !s {
		t.Fatalf("without dhcp-snooping: server message arrived %v, client message arrived %v; want both", c, s)
	}
	st := bridgedState()
	st.Bridges[0].DHCPSnooping = true
	st.Bridges[0].Ports[0].Trusted = true // ether2, the client's port
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply dhcp-snooping: %v", err)
	}
	if c, s := exchange(); c || s {
		t.Errorf("dhcp-snooping with ether3 untrusted: server message arrived %v, client message arrived %v; want neither", c, s)
	}
	out, err := run(dp.ns, "", dp.nft, "list", "chain", "bridge", BridgeTableName, "dhcpsnoop")
	if err != nil || !strings.Contains(out, "counter packets") || strings.Contains(out, "counter packets 0 bytes 0 drop comment \"bridge bridge1 dhcp-snooping: server") {
		t.Errorf("the snooping chain did not count the dropped server messages (err %v):\n%s", err, out)
	}
	st.Bridges[0].Ports[1].Trusted = true
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply ether3 trusted: %v", err)
	}
	if c, s := exchange(); !c || !s {
		t.Errorf("every port trusted: server message arrived %v, client message arrived %v; want both", c, s)
	}
}

// udpPeer is a UDP socket on one port of a namespace that counts what it
// receives and sends from that same port (a DHCP client's 68, a server's
// 67).
type udpPeer struct {
	c   *net.UDPConn
	got atomic.Int64
}

func dhcpPeer(t *testing.T, ns netns.NsHandle, port int) *udpPeer {
	t.Helper()
	p := &udpPeer{}
	if err := inNetns(ns, func() (err error) {
		p.c, err = net.ListenUDP("udp4", &net.UDPAddr{Port: port})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.c.Close() })
	go func() {
		buf := make([]byte, 64)
		for {
			if _, _, err := p.c.ReadFrom(buf); err != nil {
				return
			}
			p.got.Add(1)
		}
	}()
	return p
}

func (p *udpPeer) send(t *testing.T, dst string) {
	t.Helper()
	if _, err := p.c.WriteToUDPAddrPort([]byte("chrlab"), netip.MustParseAddrPort(dst)); err != nil {
		t.Errorf("send UDP to %s: %v", dst, err)
	}
}

// TestBridgePortFlags: learn=no and the flood switches of a bridge port
// are the Linux port's flags, and broadcast-flood=no keeps the client's
// ARP broadcast from going out of the server's port, so the client cannot
// reach the server across the bridge. The control: the same port with
// RouterOS's defaults (learning and every flood on) forwards again, and
// its flags are back on.
func TestBridgePortFlags(t *testing.T) {
	t.Parallel()
	_, dp, toServer := serverBehindBridge(t)
	flags := func() string {
		out, err := run(dp.ns, "", "ip", "-d", "link", "show", "dev", LinkName("ether3"))
		if err != nil {
			t.Fatalf("ip -d link show ether3: %v", err)
		}
		return out
	}

	st := bridgedState()
	p := &st.Bridges[0].Ports[1] // ether3, the server's
	p.NoLearn, p.NoUnicastFlood, p.NoMulticastFlood, p.NoBroadcastFlood = true, true, true, true
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply learn=no and the flood switches off: %v", err)
	}
	out := flags()
	for _, want := range []string{"learning off", "flood off", "mcast_flood off", "bcast_flood off"} {
		if !strings.Contains(out, want) {
			t.Errorf("ether3 lacks %q:\n%s", want, out)
		}
	}
	if saw, err := toServer(); err == nil {
		t.Errorf("broadcast-flood=no on the server's port: the client reached it (server saw %s); its ARP should not have gone out", saw)
	}

	if err := dp.Apply(bridgedState()); err != nil {
		t.Fatalf("Apply the defaults: %v", err)
	}
	out = flags()
	for _, want := range []string{"learning on", "flood on", "mcast_flood on", "bcast_flood on"} {
		if !strings.Contains(out, want) {
			t.Errorf("ether3 with the defaults lacks %q:\n%s", want, out)
		}
	}
	if saw, err := dialRetry(t, toServer); err != nil || saw != "192.168.88.20" {
		t.Errorf("the defaults: saw %q, err %v; want the client through", saw, err)
	}
}

// TestBridgeARPMatchers: the ARP matchers of a bridge filter rule match
// the ARP frame's fields. A forward drop of the ARP requests for the
// server's address (arp-opcode=request arp-dst-address=...) keeps the
// client from resolving it across the bridge; the same rule for another
// address is the control; a drop of the replies from the server's MAC
// (arp-opcode=reply arp-src-mac-address=...) cuts it again, and the rule
// counts. Rendered, every matcher and its negation.
func TestBridgeARPMatchers(t *testing.T) {
	t.Parallel()
	st := &State{Bridges: []Bridge{{Name: "bridge1", Ports: []BridgePort{{Interface: "ether2"}, {Interface: "ether3"}}}}}
	st.BridgeFilter = []Rule{
		rule("*1", "chain=forward", "action=drop", "mac-protocol=arp", "arp-opcode=!reply", "arp-src-address=192.168.88.0/24",
			"arp-dst-address=!192.168.88.1", "arp-src-mac-address=02:00:0A:00:00:00/FF:FF:FF:00:00:00", "arp-dst-mac-address=02:00:0A:4D:04:14"),
		rule("*2", "chain=forward", "action=drop", "arp-opcode=reply"),
		rule("*3", "chain=forward", "action=drop", "mac-protocol=arp", "arp-opcode=gratuitous"),
	}
	text, err := RenderBridge(st)
	if err != nil {
		t.Fatal(err)
	}
	want := `ether type 0x0806 arp saddr ether & ff:ff:ff:00:00:00 == 02:00:0a:00:00:00 arp daddr ether 02:00:0a:4d:04:14 ` +
		`arp saddr ip 192.168.88.0/24 arp daddr ip != 192.168.88.1 arp operation != 2 counter drop comment "*1"`
	if !strings.Contains(text, want) {
		t.Errorf("rendered bridge table lacks\n%s\n%s", want, text)
	}
	for _, not := range []string{`"*2"`, `"*3"`} {
		if strings.Contains(text, not) {
			t.Errorf("a rule without mac-protocol=arp or with an unknown operation was rendered (%s):\n%s", not, text)
		}
	}
	if got := BridgeRuleUnmodelled("filter", st.BridgeFilter[1].Props); got != "arp-opcode" {
		t.Errorf("BridgeRuleUnmodelled(arp-opcode without mac-protocol=arp) = %q, want arp-opcode", got)
	}

	l := newBridgeLab(t, "192.168.88.20/24", "192.168.88.10/24")
	dp := l.setup(t)
	cli, srv := nsHandle(t, l.a), nsHandle(t, l.b)
	serve(t, srv, "0.0.0.0:12566")
	toServer := func() (string, error) { return dial(cli, "", "192.168.88.10:12566") }
	forget := func() {
		ipcmd(t, "-n", l.a, "neigh", "flush", "all")
		ipcmd(t, "-n", l.b, "neigh", "flush", "all")
	}
	apply := func(r Rule) {
		t.Helper()
		s := bridgedState()
		s.BridgeFilter = []Rule{r}
		if err := dp.Apply(s); err != nil {
			t.Fatalf("Apply %v: %v", r.Props, err)
		}
		forget()
	}
	apply(rule("*10", "chain=forward", "action=drop", "mac-protocol=arp", "arp-opcode=request", "arp-dst-address=192.168.88.10"))
	if saw, err := toServer(); err == nil {
		t.Errorf("ARP requests for the server dropped: the client reached it (server saw %s)", saw)
	}
	apply(rule("*11", "chain=forward", "action=drop", "mac-protocol=arp", "arp-opcode=request", "arp-dst-address=192.168.88.99"))
	if saw, err := dialRetry(t, toServer); err != nil || saw != "192.168.88.20" {
		t.Errorf("ARP requests for another address dropped: saw %q, err %v; want the client through", saw, err)
	}
	srvMAC := func() string {
		out, err := run(dp.ns, "", "ip", "-n", l.b, "-br", "link", "show", "lan0")
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(out)
		if len(f) < 3 {
			t.Fatalf("ip -br link: %q", out)
		}
		return f[2]
	}()
	apply(rule("*12", "chain=forward", "action=drop", "mac-protocol=arp", "arp-opcode=reply", "arp-src-mac-address="+strings.ToUpper(srvMAC)))
	if saw, err := toServer(); err == nil {
		t.Errorf("ARP replies from the server's MAC dropped: the client reached it (server saw %s)", saw)
	}
	if c, err := dp.RuleCounters(); err != nil || c["*12"].Packets == 0 {
		t.Errorf("the reply drop counted %+v (err %v), want packets", c["*12"], err)
	}
}

// TestBridgeStaticHost: port security on the server's port (learn=no,
// unknown-unicast-flood=no) leaves the server's MAC unknown to the bridge,
// so the client's unicast to it is not flooded there and it cannot reach
// the server; a static /interface bridge host entry for the server's MAC on
// that port is the fix (the entry is in the port's table as static), and
// with the entry gone again the client is cut off once more.
func TestBridgeStaticHost(t *testing.T) {
	t.Parallel()
	l, dp, toServer := serverBehindBridge(t)
	out, err := run(dp.ns, "", "ip", "-n", l.b, "-br", "link", "show", "lan0")
	f := strings.Fields(out)
	if err != nil || len(f) < 3 {
		t.Fatalf("ip -br link: %q, %v", out, err)
	}
	srvMAC := f[2]
	locked := func(hosts ...BridgeHost) *State {
		st := bridgedState()
		p := &st.Bridges[0].Ports[1] // ether3, the server's
		p.NoLearn, p.NoUnicastFlood = true, true
		st.BridgeHosts = hosts
		return st
	}
	if err := dp.Apply(locked()); err != nil {
		t.Fatalf("Apply port security: %v", err)
	}
	if saw, err := toServer(); err == nil {
		t.Errorf("learn=no unknown-unicast-flood=no without a host entry: the client reached the server (saw %s)", saw)
	}
	host := BridgeHost{Bridge: "bridge1", Interface: "ether3", MAC: strings.ToUpper(srvMAC)}
	if err := dp.Apply(locked(host)); err != nil {
		t.Fatalf("Apply with the host entry: %v", err)
	}
	fdb, err := run(dp.ns, "", "bridge", "fdb", "show", "dev", LinkName("ether3"))
	if err != nil || !strings.Contains(fdb, srvMAC+" master bridge1 static") {
		t.Errorf("bridge fdb of ether3 lacks %s ... static (err %v):\n%s", srvMAC, err, fdb)
	}
	if saw, err := dialRetry(t, toServer); err != nil || saw != "192.168.88.20" {
		t.Errorf("with the static host entry: saw %q, err %v; want the client through", saw, err)
	}
	if err := dp.Apply(locked()); err != nil {
		t.Fatalf("Apply without the host entry: %v", err)
	}
	if fdb, _ := run(dp.ns, "", "bridge", "fdb", "show", "dev", LinkName("ether3")); strings.Contains(fdb, "static") {
		t.Errorf("the static entry stayed after its removal:\n%s", fdb)
	}
	if saw, err := toServer(); err == nil {
		t.Errorf("the host entry removed: the client still reached the server (saw %s)", saw)
	}
}

// serverBehindBridge is the bridge lab with a whoami server on ether3's
// host and a dial from ether2's client to it.
func serverBehindBridge(t *testing.T) (*bridgeLab, *Dataplane, func() (string, error)) {
	l := newBridgeLab(t, "192.168.88.20/24", "192.168.88.10/24")
	dp := l.setup(t)
	cli, srv := nsHandle(t, l.a), nsHandle(t, l.b)
	serve(t, srv, "0.0.0.0:12566")
	return l, dp, func() (string, error) { return dial(cli, "", "192.168.88.10:12566") }
}
