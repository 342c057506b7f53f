package config

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestInterfaceListIncludeExclude(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/interface list
add name=WAN
add name="LAN ports" include=all exclude=WAN
add name=MGMT include="LAN ports" exclude=none
/interface list member
add list=WAN interface=ether1`)
	s := r.State()
	if got := strings.Join(s.InterfaceLists["LAN ports"], ","); got != "ether2,ether3" {
		t.Errorf("LAN ports = %s, want all minus WAN", got)
	}
	if got := strings.Join(s.InterfaceLists["MGMT"], ","); got != "ether2,ether3" {
		t.Errorf("MGMT = %s, want what LAN ports has", got)
	}
	// A list's own members are added after the exclusion: exclude does
	// not remove them.
	run(t, r, `/interface list member add list="LAN ports" interface=ether1`)
	if got := strings.Join(r.State().InterfaceLists["LAN ports"], ","); got != "ether2,ether3,ether1" {
		t.Errorf("LAN ports with ether1 as member = %s", got)
	}
	run(t, r, `/interface list member remove [find list="LAN ports"]`)
	// Negative control: without the exclusion the WAN port is in.
	run(t, r, `/interface list set "LAN ports" exclude=""`)
	if got := strings.Join(r.State().InterfaceLists["LAN ports"], ","); got != "ether1,ether2,ether3" {
		t.Errorf("LAN ports without exclude = %s", got)
	}
	exp := body(r.Export())
	if !strings.Contains(exp, `add include=all name="LAN ports"`) || !strings.Contains(exp, `add exclude=none include="LAN ports" name=MGMT`) {
		t.Errorf("export:\n%s", exp)
	}
	r2 := New(Options{Ports: ports})
	run(t, r2, exp)
	if body(r2.Export()) != exp {
		t.Errorf("re-import differs:\n%s", body(r2.Export()))
	}
	for src, want := range map[string]string{
		"/interface list add name=X include=NOPE": "input does not match any value of include",
		"/interface list set WAN include=WAN":     "failure: list can not include or exclude itself",
		`/interface list remove "LAN ports"`:      "failure: interface list LAN ports is used by interface list MGMT",
		"/interface list add name=a,b":            "invalid value for argument name",
	} {
		before := body(r.Export())
		if _, err := r.Run(context.Background(), src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
		if body(r.Export()) != before {
			t.Errorf("%q changed the model", src)
		}
	}
	// A firewall rule may name a list with a space in its name.
	run(t, r, `/ip firewall filter add chain=input in-interface-list="LAN ports" action=accept`)
	if got := r.State().Filter[0].Props["in-interface-list"]; got != "LAN ports" {
		t.Errorf("rule list = %q", got)
	}
}

// D1: a user list that includes the built-in all or static holds every
// interface, bridges and VLANs too, as the built-in list does
// (https://help.mikrotik.com/docs/x/LADWAg: "all (contains all
// interfaces) ... static (contains static interfaces)"); dynamic holds
// only the dynamic ones (PPP sessions, pppoe_server_test.go) and none
// nothing.
func TestInterfaceListIncludeAllHoldsBridges(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/interface bridge add name=bridge-lan
/interface bridge port add bridge=bridge-lan interface=ether3
/interface vlan add name=vlan30 vlan-id=30 interface=bridge-lan
/interface list
add name=WAN
add name=NOTWAN include=all exclude=WAN
add name=STATIC include=static exclude=WAN
add name=DYN include=dynamic
add name=NONE include=none
/interface list member add list=WAN interface=ether1`)
	s := r.State()
	for _, l := range []string{"NOTWAN", "STATIC"} {
		got := s.InterfaceLists[l]
		for _, want := range []string{"ether2", "ether3", "bridge-lan", "vlan30"} {
			if !slices.Contains(got, want) {
				t.Errorf("%s = %v, want %s in it", l, got, want)
			}
		}
		// Control: exclude= still removes the WAN port.
		if slices.Contains(got, "ether1") {
			t.Errorf("%s = %v, want ether1 excluded", l, got)
		}
	}
	if d, n := s.InterfaceLists["DYN"], s.InterfaceLists["NONE"]; len(d) != 0 || len(n) != 0 {
		t.Errorf("DYN = %v, NONE = %v, want both empty (no dynamic interface)", d, n)
	}
	// The built-in lists agree with the user lists that include them.
	all := s.InterfaceLists["all"]
	if !slices.Equal(all, s.InterfaceLists["static"]) || len(all) != 5 {
		t.Errorf("all = %v, static = %v, want the 5 interfaces each", all, s.InterfaceLists["static"])
	}
	if got := slices.DeleteFunc(slices.Clone(all), func(i string) bool { return i == "ether1" }); !slices.Equal(got, s.InterfaceLists["NOTWAN"]) {
		t.Errorf("NOTWAN = %v, want all minus ether1 = %v", s.InterfaceLists["NOTWAN"], got)
	}
	// A bridge port given as such a list is still only the Ethernet ports
	// (a bridge is no bridge port).
	run(t, r, `/interface bridge add name=br2
/interface bridge port add bridge=br2 interface=NOTWAN`)
	n := 0
	for _, b := range r.State().Bridges {
		if b.Name != "br2" {
			continue
		}
		for _, p := range b.Ports {
			n++
			if !strings.HasPrefix(p.Interface, "ether") {
				t.Errorf("br2 port %q, want Ethernet ports only", p.Interface)
			}
		}
	}
	if n == 0 {
		t.Errorf("br2 has no port, want ether2 from NOTWAN")
	}
}

// RouterOS 7's bridge port has no isolated property (forum42 item 6,
// docs/bridge.md): set isolated=yes is refused with its position and
// changes nothing; horizon, RouterOS's software port isolation, is taken
// (the control).
func TestBridgePortIsolatedRefused(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/interface bridge add name=bridge1\n/interface bridge port add bridge=bridge1 interface=ether2\n/interface bridge port add bridge=bridge1 interface=ether3")
	before := body(r.Export())
	if _, err := r.Run(context.Background(), "/interface bridge port set [find interface=ether2] isolated=yes"); err == nil || !strings.Contains(err.Error(), "expected end of command") {
		t.Errorf("isolated=yes: %v, want expected end of command", err)
	}
	if body(r.Export()) != before {
		t.Errorf("the refused set changed the model:\n%s", body(r.Export()))
	}
	run(t, r, "/interface bridge port set [find interface=ether2] horizon=1")
	if !strings.Contains(r.Export(), "horizon=1") {
		t.Errorf("horizon=1 not taken:\n%s", r.Export())
	}
}

// The interfaces of the other menus (a GRE tunnel, an EoIP tunnel, an
// L2TP client) are members of all and static too, so a LAN list made as
// "include=all exclude=WAN" holds them (forum42, Interface Lists page
// https://help.mikrotik.com/docs/x/LADWAg: "all (contains all
// interfaces)"). Control: exclude= still removes the WAN port.
func TestInterfaceListAllHoldsTunnelsAndVPNClients(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/interface gre add name=gre1 remote-address=198.51.100.2
/interface eoip add name=eoip1 remote-address=198.51.100.3 tunnel-id=7
/interface l2tp-client add name=l2tp-out1 connect-to=198.51.100.4 user=u password=p
/interface list
add name=WAN
add name=NOTWAN include=all exclude=WAN
/interface list member add list=WAN interface=ether1`)
	s := r.State()
	for _, l := range []string{"all", "static", "NOTWAN"} {
		got := s.InterfaceLists[l]
		for _, want := range []string{"ether2", "gre1", "eoip1", "l2tp-out1"} {
			if !slices.Contains(got, want) {
				t.Errorf("%s = %v, want %s in it", l, got, want)
			}
		}
	}
	if slices.Contains(s.InterfaceLists["NOTWAN"], "ether1") {
		t.Errorf("NOTWAN = %v, want ether1 excluded", s.InterfaceLists["NOTWAN"])
	}
	if d := s.InterfaceLists["dynamic"]; len(d) != 0 {
		t.Errorf("dynamic = %v, want empty (no dynamic interface)", d)
	}
}
