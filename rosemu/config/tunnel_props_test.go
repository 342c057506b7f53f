package config

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestTunnelClampMSS: a GRE, IPIP or EoIP tunnel's clamp-tcp-mss=yes, the
// default, clamps the SYNs it receives to its MTU less 40 (GRE, IPIP and
// EoIP pages: "a router will change the MSS size for received TCP SYN
// packets if the current MSS size exceeds the tunnel interface MTU"), so
// it is handed to the kernel and not reported; clamp-tcp-mss=no, a
// disabled tunnel and an EoIP tunnel in a bridge clamp nothing.
// clamp-tcp-mss=no is not reported as not enforced (forum58: it was, while
// the default that rosemu did not model went unsaid); dscp still is.
func TestTunnelClampMSS(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.16.2"})
	run(t, r, `/interface gre add name=gre1 remote-address=198.51.100.61 mtu=1400
/interface ipip add name=ipip1 remote-address=198.51.100.62
/interface eoip add name=eoip1 remote-address=198.51.100.63 tunnel-id=1
/interface eoip add name=eoip2 remote-address=198.51.100.64 tunnel-id=2
/interface bridge add name=bridge1
/interface bridge port add bridge=bridge1 interface=eoip2
/interface gre add name=gre2 remote-address=198.51.100.65 clamp-tcp-mss=no allow-fast-path=no
/interface gre add name=gre3 remote-address=198.51.100.66 disabled=yes
/interface gre add name=gre4 remote-address=198.51.100.67 dscp=10`)
	want := []kernel.MSSClamp{{Link: "gre1", MTU: 1400, Tunnel: true}, {Link: "gre4", MTU: 1476, Tunnel: true},
		{Link: "ipip1", MTU: 1480, Tunnel: true}, {Link: "eoip1", MTU: 1458, Tunnel: true}}
	if got := r.State().MSSClamps; !slices.Equal(got, want) {
		t.Errorf("clamps %+v, want %+v", got, want)
	}
	if hasNotEnforced(r, "/interface gre", "clamp-tcp-mss") {
		t.Errorf("clamp-tcp-mss reported as not enforced: %+v", r.NotEnforced())
	}
	if !hasNotEnforced(r, "/interface gre", "dscp") {
		t.Errorf("dscp=10 (control) not reported: %+v", r.NotEnforced())
	}
}

// TestTunnelFastPathNotReported: allow-fast-path=no on a GRE, IPIP or
// EoIP tunnel (the GRE page: "Must be disabled if IPsec tunneling is
// used") asks for what rosemu does, every packet through the firewall, so
// it is not reported as not enforced; it was, and the runner then gave
// every passed step through the tunnel a "could end otherwise on RouterOS"
// caveat (forum58 D3). Control: dscp=10 on the same tunnel still is.
func TestTunnelFastPathNotReported(t *testing.T) {
	for _, menu := range []string{"gre", "ipip", "eoip"} {
		r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
		run(t, r, "/interface "+menu+" add name=t1 remote-address=198.51.100.61 allow-fast-path=no dscp=10")
		if hasNotEnforced(r, "/interface "+menu, "allow-fast-path") {
			t.Errorf("%s: allow-fast-path=no reported as not enforced: %+v", menu, r.NotEnforced())
		}
		if !hasNotEnforced(r, "/interface "+menu, "dscp") {
			t.Errorf("%s: dscp=10 (control) not reported: %+v", menu, r.NotEnforced())
		}
	}
}

// TestDisabledTunnelNotStored: an address on a disabled GRE, IPIP or EoIP
// tunnel and a route through one are inactive, as on a disabled port, and
// are not reported as on an interface "stored only (no such link in the
// emulator)": the tunnel is modelled, just down (forum58 N1, seen after
// "/interface ipip disable ipip1"). validate says the same of the lines.
// Control: the same lines on a disabled gre6 tunnel, which rosemu does
// not build, are still reported.
func TestDisabledTunnelNotStored(t *testing.T) {
	for _, menu := range []string{"gre", "ipip", "eoip", "gre6"} {
		remote := "198.51.100.61"
		if menu == "gre6" {
			remote = "2001:db8::61"
		}
		tunnel := "/interface " + menu + " add name=t1 remote-address=" + remote + " disabled=yes\n"
		lines := "/ip address add address=10.66.1.1/30 interface=t1\n/ip route add dst-address=10.77.0.0/24 gateway=t1\n"
		v := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"}).Validate(context.Background(), tunnel+lines, time.Second)
		noted := false
		for _, f := range v.Findings {
			noted = noted || f.Line > 1 && f.Verdict == NotEnforced // the address and route lines
		}
		r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
		run(t, r, tunnel+lines)
		stored := hasNotEnforced(r, "/ip address", "interface") || hasNotEnforced(r, "/ip route", "gateway")
		if want := menu == "gre6"; stored != want || noted != want {
			t.Errorf("%s: reported as stored only: %v (validate: %v), want %v: %+v", menu, stored, noted, want, r.NotEnforced())
		}
	}
}
