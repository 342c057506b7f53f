package config

import (
	"strings"
	"testing"
	"time"
)

// TestRunningTunnelVLANs: with no running tunnel no VLAN leads into one
// (runningTunnel's early answer); with one, a VLAN on a VLAN on it does,
// a VLAN on a port does not, and a firewall rule naming it gets
// tunnelArgWhy's note while an /interface vlan line gets none.
func TestRunningTunnelVLANs(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	run(t, r, `/interface vlan add name=v10 vlan-id=10 interface=ether1
/interface vlan add name=v20 vlan-id=20 interface=v10`)
	if got := runningTunnel(r.m)("v20"); got != "" {
		t.Errorf("no tunnel: v20 leads into %q", got)
	}
	run(t, r, `/interface gre add name=gre1 remote-address=10.9.9.9
/interface vlan add name=v30 vlan-id=30 interface=gre1
/interface vlan add name=v31 vlan-id=31 interface=v30`)
	tunnelOf := runningTunnel(r.m)
	for name, want := range map[string]string{"v31": "gre1", "v30": "gre1", "gre1": "gre1", "v20": "", "ether1": ""} {
		if got := tunnelOf(name); got != want {
			t.Errorf("%s leads into %q, want %q", name, got, want)
		}
	}
	v := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"}).Validate(t.Context(), `/interface gre add name=gre1 remote-address=10.9.9.9
/interface vlan add name=v30 vlan-id=30 interface=gre1
/interface vlan add name=v31 vlan-id=31 interface=v30
/ip firewall filter add chain=forward in-interface=v31 action=drop`, time.Minute)
	if f := v.Findings[3]; !strings.Contains(f.Msg, "a VLAN on gre1") {
		t.Errorf("filter rule on v31: %v %q", f.Verdict, f.Msg)
	}
	if f := v.Findings[2]; strings.Contains(f.Msg, "gre1") {
		t.Errorf("vlan line: %v %q", f.Verdict, f.Msg)
	}
	run(t, r, `/interface gre set gre1 disabled=yes`)
	if got := runningTunnel(r.m)("v31"); got != "" {
		t.Errorf("gre1 disabled: v31 leads into %q", got)
	}
}

// TestVLANSameIDDisabled: checkVLAN refuses a second enabled VLAN with an
// id on an interface, not a disabled one, nor one beside a disabled one.
func TestVLANSameIDDisabled(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	run(t, r, `/interface vlan add name=a vlan-id=3 interface=ether1
/interface vlan add name=b vlan-id=3 interface=ether1 disabled=yes
/interface vlan add name=c vlan-id=4 interface=ether1 disabled=yes
/interface vlan add name=d vlan-id=4 interface=ether1`)
	if _, err := r.Run(t.Context(), "/interface vlan add name=e vlan-id=3 interface=ether1"); err == nil || !strings.Contains(err.Error(), "vlan with vlan-id 3 already exists on ether1") {
		t.Errorf("second vlan-id 3: %v", err)
	}
}

// TestBridgeVLANShared: an entry that gives an interface a VLAN another
// entry of the bridge gives it is refused naming the lowest such VLAN and
// the other entry's first such interface; entries that share VLANs but no
// interface, or interfaces but no VLAN, are taken.
func TestBridgeVLANShared(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2", "ether3"}, Version: "7.16.2"})
	run(t, r, `/interface bridge add name=br
/interface bridge port add bridge=br interface=ether1
/interface bridge port add bridge=br interface=ether2
/interface bridge port add bridge=br interface=ether3
/interface bridge vlan add bridge=br vlan-ids=10,30-32 tagged=ether2,ether1
/interface bridge vlan add bridge=br vlan-ids=31 tagged=ether3
/interface bridge vlan add bridge=br vlan-ids=40 tagged=ether1`)
	_, err := r.Run(t.Context(), "/interface bridge vlan add bridge=br vlan-ids=32,31,50 tagged=ether1 untagged=ether2")
	if err == nil || !strings.Contains(err.Error(), "vlan 31 already has ether2 in another entry") {
		t.Errorf("shared 31 and 32 on ether1 and ether2: %v", err)
	}
}
