package config

import (
	"context"
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
