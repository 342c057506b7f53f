package config

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// vxlanSiteRsc bridges the LAN port with a VXLAN to the other site, the
// manual's and the forum's L2-over-L3 shape.
const vxlanSiteRsc = `/interface bridge add name=bridge1
/interface bridge port add bridge=bridge1 interface=ether2
/interface vxlan add name=vxlan1 vni=10 local-address=203.0.113.2 max-fdb-size=512 learning=no mac-address=02:00:5E:00:10:01
/interface vxlan vteps add interface=vxlan1 remote-ip=198.51.100.2
/interface vxlan vteps add interface=vxlan1 remote-ip=198.51.100.3 port=4789
/interface bridge port add bridge=bridge1 interface=vxlan1`

// vxlanOf is the TunLink of the VXLAN name in s.
func vxlanOf(t *testing.T, s *kernel.State, name string) kernel.TunLink {
	t.Helper()
	for _, tl := range s.TunLinks {
		if tl.Name == name {
			if tl.VXLAN == nil {
				t.Fatalf("%s is not a VXLAN link: %+v", name, tl)
			}
			return tl
		}
	}
	t.Fatalf("no link %s in %+v", name, s.TunLinks)
	return kernel.TunLink{}
}

// TestVXLANState: RouterOS's VXLAN settings become the kernel link's:
// the vni, RouterOS's default port 8472 (not Linux's 4789), mtu 1500,
// local-address, learning, max-fdb-size, mac-address, each VTEP with its
// port (unset: the interface's, which it follows on a set); the bridge port is the kernel's and nothing of it is reported.
// Controls: a disabled VXLAN has no link; an IPv6 VTEP is left out and
// reported; group without interface is reported and not used; port and
// mtu follow a set.
func TestVXLANState(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, vxlanSiteRsc)
	tl := vxlanOf(t, r.State(), "vxlan1")
	want := kernel.VXLAN{VNI: 10, Port: 8472, Local: netip.MustParseAddr("203.0.113.2"), MaxFDB: 512,
		VTEPs: []kernel.VTEP{{Remote: netip.MustParseAddr("198.51.100.2"), Port: 8472}, {Remote: netip.MustParseAddr("198.51.100.3"), Port: 4789}}}
	if got := fmt.Sprintf("%+v", *tl.VXLAN); got != fmt.Sprintf("%+v", want) {
		t.Errorf("VXLAN = %s\nwant    %s", got, fmt.Sprintf("%+v", want))
	}
	if tl.MTU != 1500 || tl.MAC != "02:00:5E:00:10:01" || tl.Sink || tl.TAP {
		t.Errorf("link = %+v, want mtu 1500, its MAC, no sink", tl)
	}
	var bports []string
	for _, b := range r.State().Bridges {
		for _, p := range b.Ports {
			bports = append(bports, b.Name+":"+p.Interface)
		}
	}
	if got := strings.Join(bports, ","); got != "bridge1:ether2,bridge1:vxlan1" {
		t.Errorf("bridge ports = %s, want ether2 and vxlan1", got)
	}
	if n := fmt.Sprint(r.NotEnforced()); strings.Contains(n, "vxlan") {
		t.Errorf("reported: %s", n)
	}
	v := New(Options{Ports: ports}).Validate(context.Background(), vxlanSiteRsc, 10*time.Second)
	f := strings.Join(findings(v), "\n")
	for _, want := range []string{"3:1 accepted", "4:1 accepted", "6:1 accepted"} {
		if !strings.Contains(f, want) {
			t.Errorf("validate lacks %q:\n%s", want, f)
		}
	}
	run(t, r, `/interface vxlan set vxlan1 port=4789 mtu=1450 learning=yes group=239.1.1.1
/interface vxlan vteps add interface=vxlan1 remote-ip=2001:db8::2`)
	tl = vxlanOf(t, r.State(), "vxlan1")
	// The VTEP without a port of its own follows the interface's port.
	if tl.VXLAN.Port != 4789 || tl.MTU != 1450 || !tl.VXLAN.Learning || tl.VXLAN.Group.IsValid() || len(tl.VXLAN.VTEPs) != 2 ||
		tl.VXLAN.VTEPs[0].Port != 4789 || tl.VXLAN.VTEPs[1].Port != 4789 {
		t.Errorf("after set: %+v %+v", tl, *tl.VXLAN)
	}
	n := fmt.Sprint(r.NotEnforced())
	for _, want := range []string{"an IPv6 VTEP is stored", "a multicast group is used only with its interface"} {
		if !strings.Contains(n, want) {
			t.Errorf("not reported %q: %s", want, n)
		}
	}
	run(t, r, `/interface vxlan set vxlan1 dont-fragment=disabled`)
	if n := fmt.Sprint(r.NotEnforced()); strings.Contains(n, "dont-fragment") {
		t.Errorf("dont-fragment=disabled, what rosemu does, reported: %s", n)
	}
	run(t, r, `/interface vxlan set vxlan1 dont-fragment=inherit`)
	if n := fmt.Sprint(r.NotEnforced()); !strings.Contains(n, "never carry DF") {
		t.Errorf("dont-fragment=inherit not reported: %s", n)
	}
	run(t, r, `/interface vxlan set vxlan1 interface=ether1`)
	if tl = vxlanOf(t, r.State(), "vxlan1"); tl.VXLAN.Group.String() != "239.1.1.1" || tl.VXLAN.Interface != "ether1" {
		t.Errorf("group with its interface: %+v", *tl.VXLAN)
	}
	run(t, r, `/interface vxlan set vxlan1 disabled=yes`)
	for _, l := range r.State().TunLinks {
		if l.Name == "vxlan1" {
			t.Errorf("a disabled VXLAN has a link: %+v", l)
		}
	}
}

// TestVXLANSameVNIAndPort: Linux's vxlan driver takes one link per VNI
// and UDP port, whatever the local addresses, so a second VXLAN of the
// same VNI and port made the run fail ("create vxlan interface vxlan-b:
// file exists") on a configuration validate had accepted. The second is
// now a link that drops, its bridge port is left out, and validate and
// the run report it. Controls: another port, or the first disabled,
// builds it.
func TestVXLANSameVNIAndPort(t *testing.T) {
	const rsc = `/interface bridge add name=bridge1
/interface vxlan add name=vxlan-a vni=10 local-address=203.0.113.2
/interface vxlan add name=vxlan-b vni=10
/interface bridge port add bridge=bridge1 interface=vxlan-b`
	r := New(Options{Ports: ports})
	run(t, r, rsc)
	s := r.State()
	if tl := vxlanOf(t, s, "vxlan-a"); tl.VXLAN.VNI != 10 {
		t.Errorf("vxlan-a = %+v, want VNI 10 built", tl)
	}
	for _, tl := range s.TunLinks {
		if tl.Name == "vxlan-b" && (tl.VXLAN != nil || !tl.Sink) {
			t.Errorf("vxlan-b = %+v, want a sink, no second vxlan link of VNI 10 and port 8472", tl)
		}
	}
	for _, b := range s.Bridges {
		for _, p := range b.Ports {
			if p.Interface == "vxlan-b" {
				t.Errorf("bridge port vxlan-b is in the kernel's state, want it left out")
			}
		}
	}
	if n := fmt.Sprint(r.NotEnforced()); !strings.Contains(n, "one VXLAN per VNI and port") {
		t.Errorf("not reported: %s", n)
	}
	v := New(Options{Ports: ports}).Validate(context.Background(), rsc, 10*time.Second)
	if f := strings.Join(findings(v), "\n"); !strings.Contains(f, "3:1 stored-not-enforced") || !strings.Contains(f, "2:1 accepted") {
		t.Errorf("validate:\n%s", f)
	}
	for _, ctl := range []string{"/interface vxlan set vxlan-b port=4789", "/interface vxlan set vxlan-a disabled=yes"} {
		c := New(Options{Ports: ports})
		run(t, c, rsc+"\n"+ctl)
		if tl := vxlanOf(t, c.State(), "vxlan-b"); tl.VXLAN.VNI != 10 {
			t.Errorf("%s: vxlan-b = %+v, want it built", ctl, tl)
		}
		if n := fmt.Sprint(c.NotEnforced()); strings.Contains(n, "one VXLAN per VNI and port") {
			t.Errorf("%s: reported: %s", ctl, n)
		}
	}
}
