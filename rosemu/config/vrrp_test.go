package config

import (
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestVRRPModel: a virtual router on a bridge is a kernel link, down
// until the service says master; then up, running and flagged RM, with
// its address in the advertisements' list. Disabling it forgets the
// state (the link goes down in the same commit). The controls: one on a
// GRE tunnel and an IPv6 one stay stored and are reported.
func TestVRRPModel(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.16.2"})
	run(t, r, `/interface bridge add name=bridge1
/interface bridge port add bridge=bridge1 interface=ether2
/interface gre add name=gre1 remote-address=10.0.0.2
/interface vrrp add interface=bridge1 name=vrrp1 vrid=9 priority=200 interval=500ms on-master=":log info up"
/interface vrrp add interface=gre1 name=vrrp2 vrid=2
/interface vrrp add interface=ether1 name=vrrp3 vrid=3 v3-protocol=ipv6
/ip address add address=192.168.88.1/24 interface=bridge1
/ip address add address=192.168.88.254 interface=vrrp1`)
	vs := r.VRRPs()
	if len(vs) != 1 || vs[0].Name != "vrrp1" || vs[0].Parent != "bridge1" || vs[0].VRID != 9 || vs[0].Priority != 200 ||
		vs[0].Interval.Milliseconds() != 500 || len(vs[0].Addresses) != 1 || vs[0].Addresses[0].String() != "192.168.88.254" {
		t.Fatalf("run VRRPs %+v", vs)
	}
	st := r.State()
	if len(st.VRRPs) != 1 || st.VRRPs[0].Master || st.VRRPs[0].Interface != "bridge1" {
		t.Fatalf("kernel VRRPs %+v", st.VRRPs)
	}
	vip := func(st *kernel.State) bool {
		for _, a := range st.Addresses {
			if a.Interface == "vrrp1" && a.Prefix.String() == "192.168.88.254/32" {
				return true
			}
		}
		return false
	}
	if vip(st) {
		t.Errorf("backup: the virtual address is the kernel's: %v", st.Addresses)
	}
	if out := run(t, r, "/interface vrrp print"); !strings.Contains(out, " B ") {
		t.Errorf("backup not flagged:\n%s", out)
	}
	if err := r.SetVRRPState(vs[0].ID, true); err != nil {
		t.Fatal(err)
	}
	if st := r.State(); !st.VRRPs[0].Master || !vip(st) {
		t.Errorf("master: kernel state %+v, addresses %v", st.VRRPs, st.Addresses)
	}
	if out := run(t, r, "/interface vrrp print"); !strings.Contains(out, "RM") {
		t.Errorf("master not flagged:\n%s", out)
	}
	if out := run(t, r, ":put [/interface get vrrp1 running]"); strings.TrimSpace(out) != "true" {
		t.Errorf("running %q", out)
	}
	run(t, r, "/interface vrrp disable vrrp1")
	if st := r.State(); st.VRRPs[0].Master {
		t.Error("disabled, still master")
	}
	run(t, r, "/interface vrrp enable vrrp1")
	if st := r.State(); st.VRRPs[0].Master {
		t.Error("enabled again, master before the service says so")
	}
	reasons := map[string]bool{}
	for _, n := range r.NotEnforced() {
		if n.Path == "/interface vrrp" {
			reasons[n.Reason] = true
		}
	}
	if len(reasons) != 2 {
		t.Errorf("stored virtual routers reported: %v", reasons)
	}
}

// TestVRRPGroup: a member of a group takes its authority's state (its
// link and address follow the authority's), and the service sees it as a
// follower; a member whose authority rosemu does not run (an IPv6 one)
// holds its own election and its group-authority is reported (the
// control).
func TestVRRPGroup(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2", "ether3"}, Version: "7.16.2"})
	run(t, r, `/interface vrrp add group-authority=self interface=ether2 name=vrrp-a vrid=1
/interface vrrp add group-authority=vrrp-a interface=ether3 name=vrrp-b vrid=2
/interface vrrp add interface=ether1 name=vrrp-6 vrid=3 v3-protocol=ipv6
/interface vrrp add group-authority=vrrp-6 interface=ether1 name=vrrp-c vrid=4
/ip address add address=10.0.2.254 interface=vrrp-b`)
	follows := map[string]string{}
	var idA string
	for _, v := range r.VRRPs() {
		follows[v.Name] = v.Follows
		if v.Name == "vrrp-a" {
			idA = v.ID
		}
	}
	if follows["vrrp-b"] != "vrrp-a" || follows["vrrp-a"] != "" || follows["vrrp-c"] != "" {
		t.Fatalf("follows %v", follows)
	}
	master := func() map[string]bool {
		out := map[string]bool{}
		for _, v := range r.State().VRRPs {
			out[v.Name] = v.Master
		}
		return out
	}
	if m := master(); m["vrrp-b"] {
		t.Errorf("member master before its authority: %v", m)
	}
	if err := r.SetVRRPState(idA, true); err != nil {
		t.Fatal(err)
	}
	if m := master(); !m["vrrp-a"] || !m["vrrp-b"] || m["vrrp-c"] {
		t.Errorf("after the authority became master: %v", m)
	}
	for _, v := range r.VRRPs() {
		if v.Name == "vrrp-b" && !v.Master {
			t.Error("the service does not see the member master")
		}
	}
	found := false
	for _, n := range r.NotEnforced() {
		if n.Path == "/interface vrrp" && n.Property == "group-authority" {
			found = n.Count == 1 && strings.Contains(n.Reason, "vrrp-6")
		}
	}
	if !found {
		t.Errorf("the member of the stored authority is not reported: %v", r.NotEnforced())
	}
}

// TestVRRPOnBridgePort: a virtual router on a port the bridge takes, by
// name or through an interface list, is stored (the bridge has its
// frames); on the bridge itself it runs (the control).
func TestVRRPOnBridgePort(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2", "ether3"}, Version: "7.16.2"})
	run(t, r, `/interface bridge add name=bridge1
/interface list add name=ports
/interface list member add interface=ether3 list=ports
/interface bridge port add bridge=bridge1 interface=ether2
/interface bridge port add bridge=bridge1 interface=ports
/interface vrrp add interface=ether2 name=v2 vrid=2
/interface vrrp add interface=ether3 name=v3 vrid=3
/interface vrrp add interface=bridge1 name=vb vrid=4`)
	var run []string
	for _, v := range r.VRRPs() {
		run = append(run, v.Name)
	}
	if strings.Join(run, ",") != "vb" {
		t.Errorf("run virtual routers %v, want only vb", run)
	}
}
