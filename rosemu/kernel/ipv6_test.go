package kernel

import (
	"bufio"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// TestIPv6 drives the IPv6 data plane through the hairpin lab: addresses
// and a default route; a defconf-shaped forward chain that lets the LAN out
// and keeps the WAN from the server (the control); a pinhole that opens the
// server's port; NAT66 masquerade; and a configuration without IPv6 that
// takes it all away again.
func TestIPv6(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	ipv6Hosts(t, l, true)
	serveOn(t, nsHandle(t, l.w), "tcp6", "[3fff:100::50]:8080")
	serveOn(t, nsHandle(t, l.s), "tcp6", "[fd88::10]:8080")
	c, w := nsHandle(t, l.c), nsHandle(t, l.w)

	st := &State{
		Ports:          []string{"ether1", "ether2"},
		InterfaceLists: map[string][]string{"LAN": {"ether2"}, "WAN": {"ether1"}},
		AddressLists:   map[string][]AddrEntry{},
		IPv6: &IPv6{
			Forward: true,
			Addresses: []Address{
				{Prefix: netip.MustParsePrefix("3fff:113::2/64"), Interface: "ether1"},
				{Prefix: netip.MustParsePrefix("fd88::1/64"), Interface: "ether2"},
				// eui-64=yes: the host part from ether2's MAC (forum30 D4).
				{Prefix: netip.MustParsePrefix("fd99::/64"), Interface: "ether2", EUI64: true},
			},
			Routes: []Route{
				{Dst: netip.MustParsePrefix("::/0"), Gateway: "3fff:113::1", Distance: 1},
				// ECMP (gateway=a,b, forum30 D3): one multipath route.
				{Dst: netip.MustParsePrefix("3fff:500::/48"), Gateway: "3fff:113::1,fd88::20", Distance: 1},
			},
			AddressLists: map[string][]AddrEntry{"bad_ipv6": {
				{Prefix: netip.MustParsePrefix("2001:db8::/32")},
				{Prefix: netip.MustParsePrefix("::1/128")},
			}},
			Filter: []Rule{
				rule("*1", "chain=forward", "action=accept", "connection-state=established,related,untracked"),
				rule("*2", "chain=forward", "action=drop", "connection-state=invalid"),
				rule("*3", "chain=forward", "action=drop", "src-address-list=bad_ipv6"),
				rule("*4", "chain=forward", "action=accept", "protocol=icmpv6"),
				rule("*5", "chain=forward", "action=drop", "in-interface-list=!LAN"),
			},
		},
	}
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	rnl := routerHandle(t, l)
	// The eui-64 address carries ether2's own MAC in its last 64 bits;
	// the plain address beside it is as written (the control).
	if link, err := rnl.LinkByName("ether2"); err != nil {
		t.Errorf("ether2: %v", err)
	} else {
		want, err := EUI64Prefix(netip.MustParsePrefix("fd99::/64"), link.Attrs().HardwareAddr)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		addrs, _ := rnl.AddrList(link, netlink.FAMILY_V6)
		for _, a := range addrs {
			if p, ok := ipnet6Prefix(a.IPNet); ok {
				got[p.String()] = true
			}
		}
		if !got[want.String()] || !got["fd88::1/64"] || got["fd99::/64"] {
			t.Errorf("ether2 addresses %v; want %s (eui-64 of %s) and fd88::1/64", got, want, link.Attrs().HardwareAddr)
		}
	}
	// The ECMP route is one kernel route with both next hops; the
	// default route beside it has one (the control).
	ecmp := func(when string) {
		t.Helper()
		routes := rosemuRoutes6(t, rnl)
		var got []string
		for _, r := range routes {
			var hops []string
			for _, h := range r.MultiPath {
				hops = append(hops, h.Gw.String())
			}
			if r.Gw != nil {
				hops = append(hops, r.Gw.String())
			}
			dst := "::/0"
			if r.Dst != nil {
				dst = r.Dst.String()
			}
			got = append(got, dst+" via "+strings.Join(hops, "+"))
		}
		sort.Strings(got)
		if s := strings.Join(got, "; "); s != "3fff:500::/48 via 3fff:113::1+fd88::20; ::/0 via 3fff:113::1" {
			t.Errorf("%s: IPv6 routes %q", when, s)
		}
	}
	ecmp("first apply")
	saw, err := dialSettled(c, "[3fff:100::50]:8080")
	if err != nil || saw != "fd88::20" {
		t.Errorf("LAN client to the WAN peer: saw %q, err %v; want fd88::20 (routed, not translated)", saw, err)
	}
	if saw, err := dialOn(w, "tcp6", "", "[fd88::10]:8080"); err == nil {
		t.Errorf("WAN peer reached the LAN server (saw %q) through a forward chain that drops all from outside the LAN", saw)
	}

	// A pinhole for the server's port, before the drop.
	pin := rule("*6", "chain=forward", "action=accept", "protocol=tcp", "dst-port=8080", "dst-address=fd88::10/128", "in-interface=ether1")
	f := st.IPv6.Filter
	st.IPv6.Filter = append(append(append([]Rule{}, f[:4]...), pin), f[4])
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply with the pinhole: %v", err)
	}
	ecmp("second apply")
	if saw, err := dialOn(w, "tcp6", "", "[fd88::10]:8080"); err != nil || saw != "3fff:113::1" {
		t.Errorf("WAN peer to the LAN server through the pinhole: saw %q, err %v; want 3fff:113::1", saw, err)
	}

	// NAT66: the LAN leaves with the router's WAN address.
	st.IPv6.NAT = []Rule{rule("*7", "chain=srcnat", "action=masquerade", "out-interface=ether1")}
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply with masquerade: %v", err)
	}
	if saw, err := dialOn(c, "tcp6", "", "[3fff:100::50]:8080"); err != nil || saw != "3fff:113::2" {
		t.Errorf("LAN client through masquerade: saw %q, err %v; want 3fff:113::2", saw, err)
	}
	// The IPv6 rules count, and keep their counts across the reload that
	// added the NAT rule: the pinhole let the peer's connection in, the
	// drop took its earlier attempt, the masquerade translated the client.
	counts, err := dp.RuleCounters()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"*5", "*6", "*7"} {
		if counts[id].Packets == 0 {
			t.Errorf("IPv6 rule %s counted nothing: %v", id, counts)
		}
	}
	if counts["*3"].Packets != 0 {
		t.Errorf("the bad_ipv6 drop counted %d packets", counts["*3"].Packets)
	}
	out, err := run(dp.ns, "", dp.nft, "list", "table", "ip6", TableName)
	if err != nil || !strings.Contains(out, "ip6 saddr @al_bad_5fipv6") || !strings.Contains(out, "2001:db8::/32") {
		t.Errorf("table ip6 %s: %v\n%s", TableName, err, out)
	}

	// Without IPv6 the addresses, the route and the table are gone.
	st.IPv6 = nil
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply without IPv6: %v", err)
	}
	for _, port := range []string{"ether1", "ether2"} {
		link, _ := rnl.LinkByName(port)
		if addrs, _ := rnl.AddrList(link, netlink.FAMILY_V6); len(addrs) != 0 {
			t.Errorf("%s keeps IPv6 addresses %v", port, addrs)
		}
	}
	if _, err := run(dp.ns, "", dp.nft, "list", "table", "ip6", TableName); err == nil {
		t.Errorf("table ip6 %s outlived the IPv6 configuration", TableName)
	}
	if _, err := dialOn(c, "tcp6", "", "[3fff:100::50]:8080"); err == nil {
		t.Errorf("the LAN client still reaches the WAN over IPv6")
	}
}

// TestEUI64Prefix: modified EUI-64 (RFC 4291 appendix A) of the MAC in
// the last 64 bits, the prefix length kept; a link without a 48-bit MAC
// is an error, not a made-up identifier.
func TestEUI64Prefix(t *testing.T) {
	mac, _ := net.ParseMAC("0c:a1:b2:c3:d4:e5")
	for in, want := range map[string]string{
		"3fff:88::/64":     "3fff:88::ea1:b2ff:fec3:d4e5/64",
		"3fff:88::1234/64": "3fff:88::ea1:b2ff:fec3:d4e5/64",
		"fd00:1:2:3::/56":  "fd00:1:2:3:ea1:b2ff:fec3:d4e5/56",
	} {
		got, err := EUI64Prefix(netip.MustParsePrefix(in), mac)
		if err != nil || got.String() != want {
			t.Errorf("%s: %v %v, want %s", in, got, err, want)
		}
	}
	// The universal/local bit is inverted, not set: 02:... gives 00.
	mac2, _ := net.ParseMAC("02:00:00:00:00:01")
	if got, _ := EUI64Prefix(netip.MustParsePrefix("fd00::/64"), mac2); got.String() != "fd00::ff:fe00:1/64" {
		t.Errorf("02:00:00:00:00:01: %v, want fd00::ff:fe00:1/64", got)
	}
	if _, err := EUI64Prefix(netip.MustParsePrefix("fd00::/64"), nil); err == nil {
		t.Errorf("no MAC: no error")
	}
}

// TestRender6: a rule of every supported shape renders, and what rosemu
// cannot render is named by Unsupported6.
func TestRender6(t *testing.T) {
	t.Parallel()
	v6 := &IPv6{
		AddressLists: map[string][]AddrEntry{"l": {
			{Prefix: netip.MustParsePrefix("fd00::/64")},
			{Prefix: netip.MustParsePrefix("fd00::1/128")},                                         // inside the first
			{From: netip.MustParseAddr("fd00:0:0:1::"), To: netip.MustParseAddr("fd00:0:0:1::ff")}, // adjacent: one span
			{From: netip.MustParseAddr("fd00:0:0:3::"), To: netip.MustParseAddr("fd00:0:0:3::ff")},
		}},
		Filter: []Rule{
			{ID: "*1", Props: map[string]string{"chain": "input", "action": "accept", "protocol": "icmpv6", "icmp-options": "128:0"}},
			{ID: "*2", Props: map[string]string{"chain": "input", "action": "drop", "hop-limit": "equal:1", "protocol": "icmpv6"}},
			{ID: "*3", Props: map[string]string{"chain": "forward", "action": "reject", "protocol": "tcp", "port": "22", "src-address-list": "!l"}},
			{ID: "*4", Props: map[string]string{"chain": "forward", "action": "jump", "jump-target": "mine"}},
			{ID: "*7", Props: map[string]string{"chain": "input", "action": "accept", "protocol": "tcp", "port": "22", "limit": "10,5:packet"}},
			{ID: "*8", Props: map[string]string{"chain": "forward", "action": "drop", "protocol": "tcp", "tcp-flags": "syn,!ack", "dscp": "46", "connection-bytes": "1000000-0", "random": "10"}},
			// The per-address matchers and packet-size, which IPv4 has
			// (f72: each was stored and never matched on IPv6).
			{ID: "*9", Props: map[string]string{"chain": "forward", "action": "drop", "protocol": "tcp", "connection-limit": "10,64"}},
			{ID: "*A", Props: map[string]string{"chain": "input", "action": "drop", "protocol": "tcp", "dst-port": "22", "connection-limit": "3"}},
			{ID: "*B", Props: map[string]string{"chain": "input", "action": "accept", "protocol": "udp", "dst-limit": "10/1m,5,addresses-and-dst-port/30s"}},
			{ID: "*C", Props: map[string]string{"chain": "input", "action": "drop", "protocol": "icmpv6", "packet-size": "!0-1000"}},
		},
		NAT: []Rule{{ID: "*5", Props: map[string]string{"chain": "dstnat", "action": "dst-nat", "protocol": "tcp", "dst-port": "80", "to-address": "fd00::10/128", "to-ports": "8080"}},
			// NPTv6's shape: the LAN's ULA prefix out as the public one.
			{ID: "*6", Props: map[string]string{"chain": "srcnat", "action": "netmap", "src-address": "fd00::/64", "to-address": "3fff:88::/64", "out-interface": "ether1"}}},
	}
	text, err := Render6(v6, map[string][]string{"LAN": {"ether2"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"elements = { fd00::-fd00:0:0:1::ff, fd00:0:0:3::-fd00:0:0:3::ff }",
		"meta l4proto 58 icmpv6 type 128 icmpv6 code 0 counter accept",
		"ip6 hoplimit 1",
		"ip6 saddr != @al_l meta l4proto tcp th sport 22 counter reject with icmpv6 type no-route",
		"jump filter_user_mine",
		"dnat to [fd00::10]:8080",
		`ip6 saddr fd00::/64 oifname "ether1" counter snat ip6 prefix to 3fff:88::/64`,
		// The limit after the port test of each of port='s two lines,
		// one object for both (forum59 D1).
		"meta l4proto tcp th sport 22 limit name \"lim__2a7\" counter accept",
		"meta l4proto tcp th sport != 22 th dport 22 limit name \"lim__2a7\" counter accept",
		"\tlimit lim__2a7 {\n\t\trate 10/second burst 5 packets\n\t}\n",
		"ip6 dscp 46",
		"add @cl__2a9 { ip6 saddr & ffff:ffff:ffff:ffff:: ct count over 10 } counter drop",
		"add @cl__2aA { ip6 saddr & ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ct count over 3 } counter drop",
		"\tset cl__2a9 {\n\t\ttype ipv6_addr\n",
		"update @dl__2aB { ip6 saddr . ip6 daddr . th dport limit rate 10/minute burst 5 packets } counter accept",
		"\tset dl__2aB {\n\t\ttype ipv6_addr . ipv6_addr . inet_service\n",
		"meta length != 0-1000 counter drop",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("rendered text lacks %q:\n%s", want, text)
		}
	}
	// nft takes the text (checked, not loaded, in a namespace of its own).
	if os.Geteuid() == 0 {
		if _, err := exec.LookPath("nft"); err == nil {
			ns := nsName("rsix")
			if err := exec.Command("ip", "netns", "add", ns).Run(); err == nil {
				defer exec.Command("ip", "netns", "del", ns).Run()
				cmd := exec.Command("ip", "netns", "exec", ns, "nft", "-c", "-f", "-")
				cmd.Stdin = strings.NewReader(text)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("nft refuses the text: %v: %s", err, out)
				}
			}
		}
	}
	for _, c := range []struct {
		table string
		props map[string]string
		want  string
	}{
		{"filter", map[string]string{"chain": "input", "dst-limit": "10,5,dst-address/1m"}, ""},
		{"filter", map[string]string{"chain": "input", "headers": "hop"}, "headers"},
		{"raw", map[string]string{"chain": "prerouting", "connection-limit": "3"}, "connection-limit"},
		{"filter", map[string]string{"chain": "input", "action": "tarpit"}, "action=tarpit"},
		{"nat", map[string]string{"chain": "dstnat", "action": "dst-nat", "to-address": "fd00::/64"}, "to-address=fd00::/64"},
		{"nat", map[string]string{"chain": "mine", "action": "masquerade"}, "action=masquerade in chain=mine"},
		{"nat", map[string]string{"chain": "srcnat", "action": "netmap", "to-address": "3fff:88::/64", "to-ports": "80"}, "to-address=3fff:88::/64"},
		{"nat", map[string]string{"chain": "srcnat", "action": "netmap"}, "action=netmap without to-address"},
		{"filter", map[string]string{"chain": "input", "action": "drop", "in-interface-list": "!LAN"}, ""},
	} {
		if got := Unsupported6(c.table, c.props); got != c.want {
			t.Errorf("Unsupported6(%s, %v) = %q, want %q", c.table, c.props, got, c.want)
		}
	}
}

// TestIPv6ConnectedBeatsStatic: a route to the prefix of one of the
// router's own IPv6 addresses does not take that subnet away from its
// interface. The DHCPv6 client adds an unreachable route for the whole
// delegated prefix; when the ISP delegates a /64 and the LAN is numbered
// from it, that route and the LAN's connected route are the same prefix,
// and the kernel's connected route (metric 256) lost to it (metric 1):
// answers from the internet went into the blackhole (forum55 D1). On
// RouterOS the connected route has distance 0 and wins. The control: a
// blackhole for a prefix the router holds no address of is installed, and
// the LAN's own one once the LAN address is gone.
func TestIPv6ConnectedBeatsStatic(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	ipcmd(t, "-n", l.s, "addr", "add", "3fff:200::10/64", "dev", "lan0", "nodad")
	ipcmd(t, "-n", l.s, "-6", "route", "add", "default", "via", "3fff:200::1")
	ipcmd(t, "-n", l.w, "addr", "add", "3fff:113::1/64", "dev", "wan0", "nodad")
	ipcmd(t, "-n", l.w, "-6", "route", "add", "3fff:200::/64", "via", "3fff:113::2")
	serveOn(t, nsHandle(t, l.s), "tcp6", "[3fff:200::10]:8080")
	w := nsHandle(t, l.w)
	st := &State{
		Ports:          []string{"ether1", "ether2"},
		InterfaceLists: map[string][]string{},
		AddressLists:   map[string][]AddrEntry{},
		IPv6: &IPv6{
			Forward: true,
			Addresses: []Address{
				{Prefix: netip.MustParsePrefix("3fff:113::2/64"), Interface: "ether1"},
				{Prefix: netip.MustParsePrefix("3fff:200::1/64"), Interface: "ether2"},
			},
			Routes: []Route{
				{Dst: netip.MustParsePrefix("::/0"), Gateway: "3fff:113::1", Distance: 1},
				// The DHCPv6 client's route for a delegated /64.
				{Dst: netip.MustParsePrefix("3fff:200::/64"), Type: "blackhole", Distance: 1},
				{Dst: netip.MustParsePrefix("3fff:300::/56"), Type: "blackhole", Distance: 1},
			},
		},
	}
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	rnl := routerHandle(t, l)
	blackholes := func() string {
		t.Helper()
		routes := rosemuRoutes6(t, rnl)
		var got []string
		for _, r := range routes {
			if r.Type == unix.RTN_BLACKHOLE && r.Dst != nil {
				got = append(got, r.Dst.String())
			}
		}
		sort.Strings(got)
		return strings.Join(got, " ")
	}
	if got := blackholes(); got != "3fff:300::/56" {
		t.Errorf("blackhole routes in the kernel %q; want 3fff:300::/56 alone (3fff:200::/64 is connected)", got)
	}
	saw, err := dialSettled(w, "[3fff:200::10]:8080")
	if err != nil || saw != "3fff:113::1" {
		t.Errorf("WAN peer to the LAN server on the connected /64: saw %q, err %v; want 3fff:113::1", saw, err)
	}
	var inactive []string
	for _, r := range dp.inactive6 {
		inactive = append(inactive, r.Dst.String())
	}
	if s := strings.Join(inactive, " "); s != "3fff:200::/64" {
		t.Errorf("inactive IPv6 routes %q; want 3fff:200::/64 (shadowed by the connected route)", s)
	}
	// Without the LAN address the route is the only one to its prefix.
	st.IPv6.Addresses = st.IPv6.Addresses[:1]
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply without the LAN address: %v", err)
	}
	if got := blackholes(); got != "3fff:200::/64 3fff:300::/56" {
		t.Errorf("blackhole routes without the LAN address %q; want 3fff:200::/64 3fff:300::/56", got)
	}
}

// routerHandle is a netlink handle in the lab router's namespace.
func routerHandle(t *testing.T, l *lab) *netlink.Handle {
	t.Helper()
	h, err := netlink.NewHandleAt(nsHandle(t, l.r))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	return h
}

// rosemuRoutes6 are the IPv6 routes rosemu installed.
func rosemuRoutes6(t *testing.T, h *netlink.Handle) []netlink.Route {
	t.Helper()
	routes, err := h.RouteListFiltered(netlink.FAMILY_V6, &netlink.Route{Protocol: routeProto}, netlink.RT_FILTER_PROTOCOL)
	if err != nil {
		t.Fatal(err)
	}
	return routes
}

// dialSettled dials over TCP/IPv6 for up to 6 s: the hosts' own
// link-local addresses finish duplicate address detection in their first
// second, and the first exchange waits for it.
func dialSettled(ns netns.NsHandle, dst string) (saw string, err error) {
	for end := time.Now().Add(6 * time.Second); time.Now().Before(end); {
		if saw, err = dialOn(ns, "tcp6", "", dst); err == nil {
			break
		}
	}
	return saw, err
}

// TestIPv6ConnLimitPackets: an /ipv6 firewall connection-limit=2,64 drop
// in forward, with real connections through the router. The WAN host's
// first two connections to the LAN server are up and held open; the third
// from the same /64 is dropped; one from another /64 of the same host has
// a count of its own and passes (the control). Before f72 the rule was
// left out of the table and all three passed.
func TestIPv6ConnLimitPackets(t *testing.T) {
	t.Parallel()
	dp, hold := connLimit6Lab(t)
	for i := 1; i <= 2; i++ {
		if err := hold("3fff:113::1"); err != nil {
			t.Fatalf("connection %d of 3fff:113::/64: %v; want it up (under the limit)", i, err)
		}
	}
	if err := hold("3fff:113::1"); err == nil {
		t.Errorf("the third connection of 3fff:113::/64 is up; connection-limit=2,64 should drop it")
	}
	if err := hold("3fff:100::50"); err != nil {
		t.Errorf("a connection of 3fff:100::/64 (its own count): %v; want it up", err)
	}
	counts, err := dp.RuleCounters()
	if err != nil {
		t.Fatal(err)
	}
	if counts["*2"].Packets == 0 {
		t.Errorf("the connection-limit drop counted nothing: %v", counts)
	}
}

// TestIPv6ReloadKeepsMeters: the per-/64 counts of an /ipv6 firewall
// connection-limit live through a reload that leaves the rule as it was,
// as the IPv4 firewall's do (TestReloadKeepsMeters). Two connections of
// 3fff:113::/64 are held open, an unrelated rule is added, and a third is
// still dropped. Before the ip6 table kept its meter sets, the reload
// emptied them and the third connection got through.
func TestIPv6ReloadKeepsMeters(t *testing.T) {
	t.Parallel()
	dp, hold := connLimit6Lab(t)
	for i := 1; i <= 2; i++ {
		if err := hold("3fff:113::1"); err != nil {
			t.Fatalf("connection %d: %v; want it up (under the limit)", i, err)
		}
	}
	st := connLimit6State()
	st.IPv6.Filter = append(st.IPv6.Filter, rule("*3", "chain=input", "action=accept", "protocol=udp", "dst-port=33434"))
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply with one more rule: %v", err)
	}
	if err := hold("3fff:113::1"); err == nil {
		t.Errorf("a third connection of 3fff:113::/64 got through after an unrelated reload: the reload emptied connection-limit's counts")
	}
}

// connLimit6State is the router of the connection-limit tests: IPv6
// forwarding between the WAN 3fff:113::/64 and the LAN fd88::/64, and a
// forward drop of a source /64's connections beyond two.
func connLimit6State() *State {
	return &State{
		Ports:          []string{"ether1", "ether2"},
		InterfaceLists: map[string][]string{},
		AddressLists:   map[string][]AddrEntry{},
		IPv6: &IPv6{
			Forward: true,
			Addresses: []Address{
				{Prefix: netip.MustParsePrefix("3fff:113::2/64"), Interface: "ether1"},
				{Prefix: netip.MustParsePrefix("fd88::1/64"), Interface: "ether2"},
			},
			Routes: []Route{{Dst: netip.MustParsePrefix("::/0"), Gateway: "3fff:113::1", Distance: 1}},
			Filter: []Rule{
				rule("*1", "chain=forward", "action=accept", "connection-state=established,related"),
				rule("*2", "chain=forward", "action=drop", "protocol=tcp", "connection-limit=2,64"),
			},
		},
	}
}

// connLimit6Lab applies connLimit6State to a hairpin lab whose LAN server
// holds every connection open until the test ends, so that each stays in
// the connection count. hold connects from the WAN host's address src and
// reads the server's line: nil when the connection is up.
func connLimit6Lab(t *testing.T) (dp *Dataplane, hold func(src string) error) {
	t.Helper()
	l := newLab(t)
	dp = hairpinDataplane(t, l)
	ipv6Hosts(t, l, false)
	acceptIn(t, nsHandle(t, l.s), "tcp6", "[fd88::10]:8080", func(c net.Conn) {
		fmt.Fprintf(c, "%s\n", c.RemoteAddr().(*net.TCPAddr).IP)
		t.Cleanup(func() { c.Close() })
	})
	if err := dp.Apply(connLimit6State()); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	w := nsHandle(t, l.w)
	return dp, func(src string) error {
		return inNetns(w, func() error {
			d := net.Dialer{Timeout: 1500 * time.Millisecond, LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
			c, err := d.Dial("tcp6", "[fd88::10]:8080")
			if err != nil {
				return err
			}
			t.Cleanup(func() { c.Close() })
			c.SetDeadline(time.Now().Add(1500 * time.Millisecond))
			_, err = bufio.NewReader(c).ReadString('\n')
			return err
		})
	}
}

// ipv6Hosts gives the hairpin lab's hosts their IPv6 addresses: the
// server fd88::10 (and the client fd88::20 with client) behind the
// router's fd88::1, the WAN host 3fff:113::1 with 3fff:100::50 on its
// loopback and a route back to the LAN by the router's WAN address.
func ipv6Hosts(t *testing.T, l *lab, client bool) {
	t.Helper()
	hosts := []struct{ ns, dev, addr, gw string }{
		{l.s, "lan0", "fd88::10/64", "fd88::1"},
		{l.w, "wan0", "3fff:113::1/64", ""},
	}
	if client {
		hosts = append(hosts, struct{ ns, dev, addr, gw string }{l.c, "lan0", "fd88::20/64", "fd88::1"})
	}
	for _, h := range hosts {
		ipcmd(t, "-n", h.ns, "addr", "add", h.addr, "dev", h.dev, "nodad")
		if h.gw != "" {
			ipcmd(t, "-n", h.ns, "-6", "route", "add", "default", "via", h.gw)
		}
	}
	// nodad: an address added without it stays tentative until the
	// kernel's DAD work runs, even on lo, and a bind before that fails
	// (CI under load: "bind: cannot assign requested address").
	ipcmd(t, "-n", l.w, "addr", "add", "3fff:100::50/128", "dev", "lo", "nodad")
	ipcmd(t, "-n", l.w, "-6", "route", "add", "fd88::/64", "via", "3fff:113::2")
}
