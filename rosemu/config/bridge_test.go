package config

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

var rb5009Ports = []string{"ether1", "ether2", "ether3", "ether4", "ether5", "ether6", "ether7", "ether8", "sfp-sfpplus1"}

// bridgeLAN is the defconf shape: ether2 and ether3 in bridge1, the LAN
// address on the bridge.
const bridgeLAN = `/interface bridge
add name=bridge1 comment=defconf
/interface bridge port
add bridge=bridge1 interface=ether2
add bridge=bridge1 interface=ether3
/ip address
add address=192.168.88.1/24 interface=bridge1
/interface list
add name=LAN
/interface list member
add interface=bridge1 list=LAN
`

func TestBridgeStateAndExport(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, bridgeLAN)
	s := r.State()
	if len(s.Bridges) != 1 {
		t.Fatalf("bridges = %+v", s.Bridges)
	}
	b := s.Bridges[0]
	if b.Name != "bridge1" || b.VLANFiltering || len(b.Ports) != 2 || b.Ports[0].Interface != "ether2" || b.Ports[1].Interface != "ether3" || b.Ports[0].PVID != 1 {
		t.Errorf("bridge = %+v", b)
	}
	if len(s.Addresses) != 1 || s.Addresses[0].Interface != "bridge1" {
		t.Errorf("addresses = %+v", s.Addresses)
	}
	if got := strings.Join(s.InterfaceLists["LAN"], ","); got != "bridge1" {
		t.Errorf("LAN = %s", got)
	}
	if got := strings.Join(s.InterfaceLists["all"], ","); got != "ether1,ether2,ether3,bridge1" {
		t.Errorf("all = %s", got)
	}
	exp := body(r.Export())
	want := `/interface bridge
add comment=defconf name=bridge1
/interface list
add name=LAN
/interface bridge port
add bridge=bridge1 interface=ether2
add bridge=bridge1 interface=ether3
/interface list member
add interface=bridge1 list=LAN
/ip address
add address=192.168.88.1/24 interface=bridge1 network=192.168.88.0
`
	if !strings.HasSuffix(exp, want) {
		t.Errorf("export:\n%s\nwant it to end with:\n%s", exp, want)
	}
	// The export applies to a fresh router and gives the same export.
	fresh := New(Options{Ports: ports})
	run(t, fresh, exp)
	if got := body(fresh.Export()); got != exp {
		t.Errorf("export of the re-applied export:\n%s\nwant\n%s", got, exp)
	}
}

func TestBridgeDefaultsAndPrint(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/interface bridge add\n/interface bridge add\n/interface vlan add interface=bridge2 vlan-id=7")
	out := run(t, r, `:put [/interface bridge get bridge1 protocol-mode]; :put [/interface bridge get bridge2 mtu]; :put [/interface vlan get vlan1 mtu]; :put [/interface bridge get bridge1 vlan-filtering]`)
	if out != "rstp\nauto\n1500\nfalse\n" {
		t.Errorf("defaults: %q", out)
	}
	exp := body(r.Export())
	for _, l := range []string{"/interface bridge\nadd name=bridge1\nadd name=bridge2\n", "/interface vlan\nadd interface=bridge2 name=vlan1 vlan-id=7\n"} {
		if !strings.Contains(exp, l) {
			t.Errorf("export lacks %q:\n%s", l, exp)
		}
	}
}

func TestBridgeRefusals(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"port twice", bridgeLAN + "/interface bridge add name=bridge2\n/interface bridge port add bridge=bridge2 interface=ether2", "failure: device already added as bridge port"},
		{"unknown bridge", "/interface bridge port add bridge=bridge9 interface=ether2", "input does not match any value of bridge"},
		{"unknown interface", "/interface bridge add\n/interface bridge port add bridge=bridge1 interface=ether9", "input does not match any value of interface"},
		{"bad protocol mode", "/interface bridge add protocol-mode=pvst", "invalid value for argument protocol-mode"},
		{"bad frame types", "/interface bridge add\n/interface bridge port add bridge=bridge1 interface=ether2 frame-types=admit-some", "invalid value for argument frame-types"},
		{"pvid range", "/interface bridge add\n/interface bridge port add bridge=bridge1 interface=ether2 pvid=4095", "invalid value for argument pvid"},
		{"vlan-ids range", "/interface bridge add\n/interface bridge vlan add bridge=bridge1 vlan-ids=10,5000", "invalid value for argument vlan-ids"},
		{"vlan-ids reversed", "/interface bridge add\n/interface bridge vlan add bridge=bridge1 vlan-ids=30-20", "invalid value for argument vlan-ids"},
		{"vlan without id", "/interface vlan add interface=ether2 name=v", "failure: vlan-id not specified"},
		{"vlan without interface", "/interface vlan add vlan-id=10 name=v", "failure: interface not specified"},
		{"name taken by a port", "/interface bridge add name=ether2", "failure: already have interface with such name"},
		{"vlan name taken", "/interface bridge add\n/interface vlan add name=bridge1 vlan-id=3 interface=ether2", "failure: already have interface with such name"},
		{"same vlan twice", "/interface vlan add name=a vlan-id=3 interface=ether2\n/interface vlan add name=b vlan-id=3 interface=ether2", "failure: vlan with vlan-id 3 already exists on ether2"},
		{"tagged and untagged", bridgeLAN + "/interface bridge vlan add bridge=bridge1 tagged=ether2 untagged=ether2 vlan-ids=10", "failure: ether2 is both tagged and untagged"},
		{"bad mac", "/interface bridge add admin-mac=48:A9:8A auto-mac=no", "invalid value for argument admin-mac"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := New(Options{Ports: ports})
			before := r.Export()
			_, err := r.Run(context.Background(), c.src)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if !strings.Contains(err.Error(), "(line ") {
				t.Errorf("err %q has no position", err)
			}
			if body(r.Export()) != body(before) {
				t.Errorf("a refused source changed the configuration:\n%s", r.Export())
			}
		})
	}
}

// An address on a bridge port is invalid, as RouterOS shows it, and is not
// configured; it becomes valid again once the port leaves the bridge.
func TestAddressOnBridgePortInvalid(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, bridgeLAN+"/ip address add address=10.0.0.1/24 interface=ether2\n")
	out := run(t, r, `:put [/ip address get [find interface=ether2] invalid]; :put [/ip address get [find interface=bridge1] invalid]`)
	if out != "true\nfalse\n" {
		t.Errorf("invalid flags: %q", out)
	}
	for _, a := range r.State().Addresses {
		if a.Interface == "ether2" {
			t.Errorf("the address on bridge port ether2 reached the data plane: %+v", a)
		}
	}
	run(t, r, "/interface bridge port disable [find interface=ether2]")
	found := false
	for _, a := range r.State().Addresses {
		found = found || a.Interface == "ether2"
	}
	if !found {
		t.Errorf("the address on ether2 stays inactive after its port entry was disabled")
	}
}

func TestBridgeRenameAndRemove(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, bridgeLAN+"/interface vlan add interface=bridge1 name=v10 vlan-id=10\n/interface bridge vlan add bridge=bridge1 tagged=bridge1,ether3 vlan-ids=10\n/ip firewall filter add chain=forward out-interface=bridge1 action=drop\n")
	run(t, r, "/interface bridge set bridge1 name=br-lan")
	exp := body(r.Export())
	for _, l := range []string{"add bridge=br-lan interface=ether2", "add bridge=br-lan tagged=br-lan,ether3 vlan-ids=10", "add interface=br-lan name=v10 vlan-id=10", "out-interface=br-lan", "add address=192.168.88.1/24 interface=br-lan", "add interface=br-lan list=LAN"} {
		if !strings.Contains(exp, l) {
			t.Errorf("after the rename the export lacks %q:\n%s", l, exp)
		}
	}
	if strings.Contains(exp, "bridge1") {
		t.Errorf("the old name is still referenced:\n%s", exp)
	}
	run(t, r, "/interface bridge remove br-lan")
	if n := run(t, r, ":put [/interface bridge port print count-only]; :put [/interface bridge vlan print count-only]"); n != "0\n0\n" {
		t.Errorf("ports and vlan entries left after removing the bridge: %q", n)
	}
	if s := r.State(); len(s.Bridges) != 0 {
		t.Errorf("bridges = %+v", s.Bridges)
	}
}

// Removing an interface keeps its addresses, flagged invalid and out of
// the data plane, as RouterOS does; a VLAN with an address can be removed.
func TestAddressOfRemovedInterfaceInvalid(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, bridgeLAN+"/interface vlan add interface=bridge1 name=vlan20 vlan-id=20\n/ip address add address=192.168.20.1/24 interface=vlan20\n")
	run(t, r, "/interface vlan remove vlan20")
	if out := run(t, r, `:put [/ip address print count-only]; :put [/ip address get [find address="192.168.20.1/24"] invalid]`); out != "2\ntrue\n" {
		t.Errorf("after removing vlan20: %q, want its address kept and invalid", out)
	}
	for _, a := range r.State().Addresses {
		if a.Interface == "vlan20" {
			t.Errorf("the address of removed vlan20 reached the data plane: %+v", a)
		}
	}
}

// TestBridgeFilterEnforced: /interface bridge filter reaches the data
// plane; a rule with a matcher or action rosemu does not model is stored
// and reported per property (or action), the others are not reported.
// /interface bridge nat likewise (its arp-reply is stored).
func TestBridgeFilterEnforced(t *testing.T) {
	r := New(Options{Ports: ports})
	src := bridgeLAN + strings.Join([]string{
		"/interface bridge filter add chain=forward in-interface=ether2 mac-protocol=ip action=drop comment=x",
		"/interface bridge filter add chain=forward vlan-id=10 action=drop",
		"/interface bridge filter add chain=forward action=mark-packet new-packet-mark=m",
		"/interface bridge filter add chain=forward action=drop src-mac-address=not-a-mac",
		"/interface bridge filter add chain=forward action=accept log=yes",
		// forum42 D3: interface lists are enforced (the ports of the
		// list), bridge lists stay stored.
		"/interface list add name=GUEST-PORTS",
		"/interface list member add list=GUEST-PORTS interface=ether2",
		"/interface bridge filter add chain=forward in-interface-list=GUEST-PORTS out-interface-list=!GUEST-PORTS action=drop",
		"/interface bridge filter add chain=forward in-bridge-list=GUEST-PORTS action=drop",
	}, "\n") + "\n"
	run(t, r, src)
	if !strings.Contains(r.Export(), "/interface bridge filter\nadd action=drop chain=forward comment=x in-interface=ether2 mac-protocol=ip\n") {
		t.Errorf("export:\n%s", r.Export())
	}
	if m := menuByPath("interface bridge filter"); m == nil || m.notEnforced != "" {
		t.Errorf("interface bridge filter: want a modelled menu")
	}
	if m := menuByPath("interface bridge nat"); m == nil || m.notEnforced != "" {
		t.Errorf("interface bridge nat: want a modelled menu")
	}
	if n := len(r.State().BridgeFilter); n != 7 {
		t.Errorf("the data plane has %d bridge filter rules, want 7", n)
	}
	if got := kernel.BridgeRuleUnmodelled("filter", r.State().BridgeFilter[5].Props); got != "" {
		t.Errorf("the in-/out-interface-list rule is not rendered: %q", got)
	}
	run(t, r, "/interface bridge nat add chain=dstnat action=dst-nat to-dst-mac-address=02:00:00:00:00:01 in-interface=ether2\n/interface bridge nat add chain=dstnat action=arp-reply to-arp-reply-mac-address=02:00:00:00:00:02\n")
	if n := len(r.State().BridgeNAT); n != 2 {
		t.Errorf("the data plane has %d bridge nat rules, want 2", n)
	}
	var nat []string
	for _, n := range r.NotEnforced() {
		if n.Path == "/interface bridge nat" {
			nat = append(nat, fmt.Sprintf("%s %d %s", n.Property, n.Count, strings.SplitN(n.Reason, ":", 2)[0]))
		}
	}
	if !slices.Equal(nat, []string{" 1 action=arp-reply"}) {
		t.Errorf("NotEnforced for the bridge nat: %q, want only the arp-reply rule", nat)
	}
	var ne []string
	for _, n := range r.NotEnforced() {
		if n.Path == "/interface bridge filter" {
			ne = append(ne, fmt.Sprintf("%s %d %s", n.Property, n.Count, strings.SplitN(n.Reason, ":", 2)[0]))
		}
	}
	want := []string{"in-bridge-list 1 rosemu does not model bridge lists in bridge filter and nat rules",
		"vlan-id 1 rosemu does not model VLAN matchers in bridge filter and nat rules", "log 1 rosemu writes no log line for bridge filter and nat rules",
		" 1 action=mark-packet", " 1 src-mac-address=not-a-mac"}
	if !slices.Equal(ne, want) {
		t.Errorf("NotEnforced for the bridge filter:\n%s\nwant:\n%s", strings.Join(ne, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range []string{"interface bridge", "interface bridge port", "interface bridge vlan", "interface vlan", "interface bridge settings"} {
		if m := menuByPath(p); m == nil || m.notEnforced != "" {
			t.Errorf("%s: want a modelled menu", p)
		}
	}
}

// The RB5009 corpus export is accepted whole, and its VLAN set-up reaches
// the data plane: access ports by pvid, the trunk tagged, the bridge
// tagged in every VLAN, the VLAN interfaces carrying the addresses.
func TestRB5009Export(t *testing.T) {
	src, err := os.ReadFile("testdata/exports/rb5009-vlans.rsc")
	if err != nil {
		t.Fatal(err)
	}
	r := New(Options{Ports: rb5009Ports})
	run(t, r, string(src))
	s := r.State()
	if len(s.Bridges) != 1 || len(s.VLANs) != 4 {
		t.Fatalf("bridges %+v vlans %+v", s.Bridges, s.VLANs)
	}
	b := s.Bridges[0]
	if !b.VLANFiltering || b.MAC != "48:A9:8A:10:20:30" || len(b.Ports) != 7 || len(b.VLANs) != 4 {
		t.Errorf("bridge = %+v", b)
	}
	if p := b.Ports[6]; p.Interface != "ether8" || p.FrameTypes != "admit-only-vlan-tagged" {
		t.Errorf("trunk port = %+v", p)
	}
	if v := b.VLANs[0]; len(v.IDs) != 1 || v.IDs[0] != 10 || strings.Join(v.Tagged, ",") != "bridge,ether8" || strings.Join(v.Untagged, ",") != "ether2,ether3" {
		t.Errorf("vlan 10 = %+v", v)
	}
	if v := s.VLANs[3]; v.Name != "vlan99-mgmt" || v.Interface != "bridge" || v.ID != 99 {
		t.Errorf("vlan99 = %+v", v)
	}
	if got := strings.Join(s.InterfaceLists["LAN"], ","); got != "vlan10-home,vlan20-iot,vlan30-guest,vlan99-mgmt" {
		t.Errorf("LAN = %s", got)
	}
	// Its export applies again unchanged.
	exp := body(r.Export())
	fresh := New(Options{Ports: rb5009Ports})
	run(t, fresh, exp)
	if got := body(fresh.Export()); got != exp {
		t.Errorf("re-applied export differs:\n%s\nwant\n%s", got, exp)
	}
	order := []string{"/interface bridge\n", "/interface ethernet\n", "/interface vlan\n", "/interface list\n", "/interface bridge port\n", "/interface bridge vlan\n", "/interface list member\n", "/ip address\n"}
	last := -1
	for _, h := range order {
		i := strings.Index(exp, h)
		if i < 0 || i < last {
			t.Errorf("export order: %q at %d, after %d:\n%s", h, i, last, exp)
		}
		last = i
	}
}

func TestVLANRanges(t *testing.T) {
	ids, ok := vlanIDs("10,20-22,5")
	if !ok || len(ids) != 5 || ids[0] != 5 || ids[4] != 22 {
		t.Errorf("vlanIDs = %v %v", ids, ok)
	}
	for _, bad := range []string{"", "0", "4095", "a", "3-", "10,,11"} {
		if _, ok := vlanIDs(bad); ok {
			t.Errorf("vlanIDs(%q) accepted", bad)
		}
	}
}

// /interface lists bridges and VLANs with their type, and the bridge
// ports as slaves, as the RouterOS scripts that walk it expect.
func TestInterfaceMenuShowsBridges(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, bridgeLAN+"/interface vlan add interface=bridge1 name=v10 vlan-id=10\n")
	out := run(t, r, `:foreach i in=[/interface find] do={:put ([/interface get $i name] . " " . [/interface get $i type] . " " . [/interface get $i slave])}`)
	want := "ether1 ether false\nether2 ether true\nether3 ether true\nbridge1 bridge false\nv10 vlan false\n"
	if out != want {
		t.Errorf("/interface:\n%s\nwant\n%s", out, want)
	}
	if n := run(t, r, `:put [/interface print count-only where type=bridge]`); n != "1\n" {
		t.Errorf("bridges in /interface: %q", n)
	}
}

// A VLAN entry may name an interface that is not a port of its bridge (yet):
// it is stored, left out of current-tagged, and carries nothing.
func TestBridgeVLANNonPort(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, bridgeLAN+"/interface bridge vlan add bridge=bridge1 tagged=bridge1,ether1,ether3 vlan-ids=10\n")
	if out := run(t, r, `:put [/interface bridge vlan get 0 current-tagged]`); out != "bridge1;ether3\n" {
		t.Errorf("current-tagged = %q", out)
	}
	if !strings.Contains(r.Export(), "tagged=bridge1,ether1,ether3 vlan-ids=10") {
		t.Errorf("export:\n%s", r.Export())
	}
}

// A v6 export's bridge lines (6.4x: the bridge and its ports as RouterOS 6
// exports them, with v6-only port properties) are accepted.
func TestBridgeV6Export(t *testing.T) {
	r := New(Options{Ports: ports, Version: "6.49.18"})
	run(t, r, `/interface bridge
add admin-mac=CC:2D:E0:11:22:33 auto-mac=no comment=defconf fast-forward=no name=bridge protocol-mode=none
/interface bridge port
add bridge=bridge comment=defconf external-fdb=no interface=ether2
add bridge=bridge comment=defconf interface=ether3
/interface bridge settings
set allow-fast-path=no use-ip-firewall=yes
/interface bridge vlan
add bridge=bridge vlan-ids=1
`)
	exp := r.Export()
	for _, l := range []string{"add admin-mac=CC:2D:E0:11:22:33 auto-mac=no comment=defconf fast-forward=no \\\n    name=bridge protocol-mode=none\n", "add bridge=bridge comment=defconf external-fdb=no interface=ether2\n", "/interface bridge settings\nset allow-fast-path=no use-ip-firewall=yes\n", "add bridge=bridge vlan-ids=1\n"} {
		if !strings.Contains(exp, l) {
			t.Errorf("export lacks %q:\n%s", l, exp)
		}
	}
	if s := r.State(); !s.BridgeSettings.UseIPFirewall {
		t.Errorf("use-ip-firewall did not reach the data plane: %+v", s.BridgeSettings)
	}
}

// A jumbo VLAN (a CCR's trunk) loads, and the run reports that its MTU
// above the port's 1500 is not what the lab's kernel gives it; a VLAN at
// or below 1500 is enforced and not reported.
func TestVLANJumboMTUReported(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/interface vlan add interface=ether2 mtu=9000 name=v100 vlan-id=100\n/interface vlan add interface=ether2 mtu=1496 name=v200 vlan-id=200\n")
	var got []string
	for _, ne := range r.NotEnforced() {
		if ne.Path == "/interface vlan" {
			got = append(got, fmt.Sprintf("%s %d: %s", ne.Property, ne.Count, ne.Reason))
		}
	}
	if len(got) != 1 || got[0] != "mtu 1: "+vlanMTUReason {
		t.Errorf("not enforced for /interface vlan: %q", got)
	}
}

// TestBridgeStoredSettingsReported: the bridge and port settings the lab's
// Linux bridges do not apply (spanning tree, IGMP snooping, DHCP option
// 82) are stored and reported by validate and NotEnforced; at their
// defaults, as verbose exports write them, they are simply accepted.
// horizon, dhcp-snooping and trusted (kernel.RenderBridge), learn and the
// flood switches (kernel.setPortFlags) are enforced: accepted.
func TestBridgeStoredSettingsReported(t *testing.T) {
	src := strings.Join([]string{
		"/interface bridge add name=br0 ageing-time=5m igmp-snooping=no priority=0x8000",
		"/interface bridge add name=br1 igmp-snooping=yes",
		"/interface bridge add name=br2 priority=0x1000 protocol-mode=rstp",
		"/interface bridge port add bridge=br0 interface=ether1 horizon=none learn=auto",
		"/interface bridge port add bridge=br1 interface=ether2 horizon=1",
		"/interface bridge port add bridge=br2 interface=ether3 trusted=yes",
		"/interface bridge set br2 dhcp-snooping=yes add-dhcp-option82=yes",
		"/interface bridge port add bridge=br2 interface=ether4 learn=no broadcast-flood=no unknown-unicast-flood=no unknown-multicast-flood=no",
	}, "\n")
	r := New(Options{Ports: []string{"ether1", "ether2", "ether3", "ether4"}, Version: "7.16.1"})
	v := r.Validate(context.Background(), src, time.Second)
	var got []string
	for _, f := range v.Findings {
		got = append(got, fmt.Sprintf("%d %s %s", f.Line, f.Verdict, strings.SplitN(f.Msg, ":", 2)[0]))
	}
	want := []string{"1 accepted ", "2 stored-not-enforced igmp-snooping", "3 stored-not-enforced priority",
		"4 accepted ", "5 accepted ", "6 accepted ", "7 stored-not-enforced add-dhcp-option82", "8 accepted "}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var ne []string
	for _, n := range r.NotEnforced() {
		if strings.HasPrefix(n.Path, "/interface bridge") {
			ne = append(ne, fmt.Sprintf("%s %s %d", n.Path, n.Property, n.Count))
		}
	}
	for _, w := range []string{"/interface bridge igmp-snooping 1", "/interface bridge priority 1", "/interface bridge add-dhcp-option82 1"} {
		if !slices.Contains(ne, w) {
			t.Errorf("NotEnforced lacks %q: %v", w, ne)
		}
	}
	for _, enforced := range []string{"/interface bridge port horizon 1", "/interface bridge port trusted 1", "/interface bridge dhcp-snooping 1",
		"/interface bridge port learn 1", "/interface bridge port broadcast-flood 1", "/interface bridge port unknown-unicast-flood 1", "/interface bridge port unknown-multicast-flood 1"} {
		if slices.Contains(ne, enforced) {
			t.Errorf("NotEnforced reports %s, which is enforced: %v", enforced, ne)
		}
	}
}

// TestBridgeSnoopingTimersV7: a 7.19 verbose export's bridge line with the
// IGMP snooping timers is taken at their defaults; a changed timer is
// reported; RouterOS 6 has none of them.
func TestBridgeSnoopingTimersV7(t *testing.T) {
	src := `/interface bridge
add igmp-snooping=yes igmp-version=2 last-member-interval=1s \
    last-member-query-count=2 membership-interval=4m20s name=br0 \
    querier-interval=4m15s query-interval=2m5s query-response-interval=10s \
    startup-query-count=2 startup-query-interval=31s250ms
add name=br1 query-interval=1m
`
	r := New(Options{Ports: []string{"ether1"}, Version: "7.19.1"})
	v := r.Validate(context.Background(), src, time.Second)
	if got := findings(v); len(got) != 2 || !strings.HasPrefix(got[0], "2:1 stored-not-enforced igmp-snooping") || !strings.HasPrefix(got[1], "6:1 stored-not-enforced query-interval") {
		t.Errorf("findings: %v", got)
	}
	if exp := body(r.Export()); !strings.Contains(exp, "add igmp-snooping=yes name=br0\nadd name=br1 query-interval=1m\n") {
		t.Errorf("export:\n%s", exp)
	}
	r6 := New(Options{Ports: []string{"ether1"}, Version: "6.49.10"})
	if _, err := r6.Run(context.Background(), "/interface bridge add name=br0 query-interval=1m"); err == nil {
		t.Error("RouterOS 6 took query-interval")
	}
}

// A multicast admin-mac (group bit set, as in a hand-redacted export's
// 87:13:1B:1D:D5:0D) is accepted and stored but not enforced, with the
// reason, since no interface can take it (realcheck18 D3: the lab failed
// on it); a unicast one is simply accepted.
func TestBridgeGroupAdminMAC(t *testing.T) {
	src := `/interface bridge
add admin-mac=87:13:1B:1D:D5:0D auto-mac=no name=bridge1
add admin-mac=86:13:1B:1D:D5:0D auto-mac=no name=bridge2
`
	v := New(Options{Ports: ports}).Validate(context.Background(), src, time.Second)
	want := map[int]Verdict{2: NotEnforced, 3: Accepted}
	seen := 0
	for _, f := range v.Findings {
		if w, ok := want[f.Line]; ok {
			seen++
			if f.Verdict != w {
				t.Errorf("line %d %q: %v %s, want %v", f.Line, f.Text, f.Verdict, f.Msg, w)
			}
			if w == NotEnforced && !strings.Contains(f.Msg, "multicast MAC address") {
				t.Errorf("line %d: %s", f.Line, f.Msg)
			}
		}
	}
	if seen != 2 {
		t.Errorf("findings: %+v", v.Findings)
	}
	if !groupMAC("01:00:5E:00:00:01") || groupMAC("00:0C:29:00:00:01") || !groupMAC("ff:ff:ff:ff:ff:ff") {
		t.Error("groupMAC")
	}
}

// TestBridgeIngressFilteringDefault: a bridge port's ingress-filtering
// defaults to no on RouterOS 6 and yes on 7 (forum31 D3). Linux always
// filters a vlan-filtering bridge's ingress, so a v6 port left at the
// default on such a bridge is stored-not-enforced like an explicit no;
// the controls: an explicit yes, a bridge without vlan-filtering, and
// RouterOS 7's default.
func TestBridgeIngressFilteringDefault(t *testing.T) {
	src := strings.Join([]string{
		"/interface bridge",
		"add name=bridge1 vlan-filtering=yes ingress-filtering=yes",
		"add name=bridge2",
		"/interface bridge port",
		"add bridge=bridge1 interface=ether2 pvid=10",
		"add bridge=bridge1 interface=ether3 ingress-filtering=no",
		"add bridge=bridge1 interface=ether4 ingress-filtering=yes",
		"add bridge=bridge2 interface=ether5",
	}, "\n")
	all := []string{"ether1", "ether2", "ether3", "ether4", "ether5"}
	why := "ingress-filtering: " + bridgeIngressReason
	for _, c := range []struct {
		version string
		want    []string
		print   string // ether2's ingress-filtering as print shows it
		count   int    // ports NotEnforced counts
	}{
		// RouterOS 6: the ports' default is said once, on the line that
		// turns vlan-filtering on, not on line 5, which does not write
		// ingress-filtering (realcheck21 D7 b).
		{"6.49.18", []string{"2:1 stored-not-enforced " + fmt.Sprintf(bridgeIngressDefaultReason, "each of its ports that does not set it"), "3:1 accepted", "5:1 accepted", "6:1 stored-not-enforced " + why, "7:1 accepted", "8:1 accepted"}, "false", 2},
		{"7.16", []string{"2:1 accepted", "3:1 accepted", "5:1 accepted", "6:1 stored-not-enforced " + why, "7:1 accepted", "8:1 accepted"}, "true", 1},
	} {
		r := New(Options{Ports: all, Version: c.version})
		v := r.Validate(context.Background(), src, time.Second)
		if got := findings(v); !slices.Equal(got, c.want) {
			t.Errorf("%s findings:\n%s\nwant:\n%s", c.version, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
		if out := run(t, r, `:put [/interface bridge port get [find interface=ether2] ingress-filtering]`); out != c.print+"\n" {
			t.Errorf("%s: ether2's ingress-filtering = %q, want %s", c.version, out, c.print)
		}
		n := 0
		for _, ne := range r.NotEnforced() {
			if ne.Path == "/interface bridge port" && ne.Property == "ingress-filtering" {
				n = ne.Count
			}
		}
		if n != c.count {
			t.Errorf("%s: NotEnforced counts %d ports with ingress-filtering, want %d: %+v", c.version, n, c.count, r.NotEnforced())
		}
	}
}

// TestBridgeIngressNoteOnCause (realcheck21 D7 b): a RouterOS 6 terse
// export of a CRS125 whose vlan-filtering bridge has 21 ports that do not
// write ingress-filtering got the "ingress-filtering=no is stored" note on
// each port line. The note belongs to the line that makes the default
// matter, the bridge's vlan-filtering=yes, beside its own STP note
// (priority); the port lines that write nothing stored are accepted
// (dhcp-snooping and trusted are enforced), those with an STP setting keep
// that note alone. The control: a
// later `set bridge vlan-filtering=yes` carries it on its own line, and
// RouterOS 7 (default yes) notes nothing.
func TestBridgeIngressNoteOnCause(t *testing.T) {
	src, err := os.ReadFile("testdata/validate/crs125-terse-vlan-ports.rsc")
	if err != nil {
		t.Fatal(err)
	}
	ports := []string{"ether1", "ether2", "ether3", "ether4", "ether21", "ether22", "ether23", "ether24", "sfp1"}
	def := fmt.Sprintf(bridgeIngressDefaultReason, "this bridge and of each of its ports that does not set it")
	r := New(Options{Ports: ports, Version: "6.45.9"})
	v := r.Validate(context.Background(), string(src), time.Second)
	got := findings(v)
	want := []string{
		"3:1 stored-not-enforced priority: rosemu's bridges run no spanning tree: the STP setting is stored; " + def,
		"4:1 accepted", "5:1 accepted", "6:1 accepted", "7:1 accepted", "8:1 accepted",
		"9:1 stored-not-enforced path-cost: rosemu's bridges run no spanning tree: the STP setting is stored",
		"10:1 accepted",
		"11:1 accepted", "12:1 accepted", "13:1 accepted",
	}
	if len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
		t.Errorf("findings:\n%s\nwant first:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := len(slices.DeleteFunc(slices.Clone(got), func(f string) bool { return !strings.Contains(f, "ingress-filtering") })); n != 1 {
		t.Errorf("%d findings name ingress-filtering, want 1 (the bridge's line)", n)
	}
	// The lab's report still counts every port left at the default.
	for _, ne := range r.NotEnforced() {
		if ne.Path == "/interface bridge port" && ne.Property == "ingress-filtering" && ne.Count != 9 {
			t.Errorf("NotEnforced counts %d ports with ingress-filtering, want 9", ne.Count)
		}
	}
	later := "/interface bridge\nadd name=br1\n/interface bridge port\nadd bridge=br1 interface=ether1\n/interface bridge\nset br1 vlan-filtering=yes\n"
	for version, want := range map[string][]string{
		"6.49.18": {"2:1 accepted", "4:1 accepted", "6:1 stored-not-enforced " + def},
		"7.16":    {"2:1 accepted", "4:1 accepted", "6:1 accepted"},
	} {
		r := New(Options{Ports: ports, Version: version})
		if got := findings(r.Validate(context.Background(), later, time.Second)); !slices.Equal(got, want) {
			t.Errorf("%s later set:\n%s\nwant:\n%s", version, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestBridgeFilterARPMatchers (f66 G3): a bridge filter rule with ARP
// matchers and mac-protocol=arp is enforced (accepted, nothing in
// NotEnforced); without mac-protocol=arp, where the v3 manual calls them
// not valid, it is stored with the reason.
func TestBridgeFilterARPMatchers(t *testing.T) {
	src := strings.Join([]string{
		"/interface bridge filter add chain=forward action=drop mac-protocol=arp arp-opcode=reply arp-src-address=192.168.88.1 in-interface=ether2",
		"/interface bridge filter add chain=forward action=drop arp-opcode=reply",
	}, "\n")
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.16.1"})
	v := r.Validate(context.Background(), src, time.Second)
	var got []string
	for _, f := range v.Findings {
		got = append(got, fmt.Sprintf("%d %s %s", f.Line, f.Verdict, f.Msg))
	}
	if len(got) != 2 || got[0] != "1 accepted " ||
		!strings.HasPrefix(got[1], "2 stored-not-enforced arp-opcode: rosemu enforces the ARP matchers on a rule with mac-protocol=arp") {
		t.Errorf("findings:\n%s", strings.Join(got, "\n"))
	}
}
