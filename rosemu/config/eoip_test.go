package config

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// eoipSiteRsc is the forum's layer-2 site to site: an EoIP tunnel added
// to the LAN bridge, and a GRE tunnel (layer 3 only) put in the same
// bridge as the control.
const eoipSiteRsc = `/interface bridge add name=bridge1
/interface bridge port add bridge=bridge1 interface=ether2
/interface eoip add local-address=203.0.113.2 mac-address=02:00:5E:00:E0:01 name=eoip-tunnel1 remote-address=198.51.100.61 tunnel-id=42
/interface bridge port add bridge=bridge1 interface=eoip-tunnel1
/interface gre add name=gre1 remote-address=198.51.100.62
/interface bridge port add bridge=bridge1 interface=gre1`

// TestEoIPBuilt: an enabled EoIP tunnel is a TAP link with its mtu and
// mac-address, handed to the iptunnel service with its tunnel id, and
// its bridge port is the kernel's (validate accepts the line). Controls:
// a GRE tunnel's bridge port is left out and reported (a TUN carries no
// frames); a disabled EoIP tunnel has no link, no port and no service
// tunnel that carries anything.
func TestEoIPBuilt(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, eoipSiteRsc)
	s := r.State()
	if l := fmt.Sprint(s.TunLinks); !strings.Contains(l, "{eoip-tunnel1 1458 false false true 02:00:5E:00:E0:01 <nil>}") {
		t.Errorf("TUN links = %s, want eoip-tunnel1 a TAP with its MAC", l)
	}
	var bports []string
	for _, b := range s.Bridges {
		for _, p := range b.Ports {
			bports = append(bports, b.Name+":"+p.Interface)
		}
	}
	if got := strings.Join(bports, ","); got != "bridge1:ether2,bridge1:eoip-tunnel1" {
		t.Errorf("bridge ports = %s, want ether2 and eoip-tunnel1 (not gre1)", got)
	}
	if got := fmt.Sprint(r.IPTunnels()); !strings.Contains(got, "{eoip-tunnel1 eoip 42 203.0.113.2 198.51.100.61 10s 10 false}") {
		t.Errorf("tunnels handed to the service: %s", got)
	}
	v := New(Options{Ports: ports}).Validate(context.Background(), eoipSiteRsc, 10*time.Second)
	f := strings.Join(findings(v), "\n")
	for _, want := range []string{"3:1 accepted", "4:1 accepted", "6:1 stored-not-enforced interface: the interface is stored only"} {
		if !strings.Contains(f, want) {
			t.Errorf("validate lacks %q:\n%s", want, f)
		}
	}
	// A multicast MAC (group bit) is no interface's own: not given to
	// the kernel, and reported; a unicast one is not reported.
	if n := fmt.Sprint(r.NotEnforced()); strings.Contains(n, "mac-address") {
		t.Errorf("a unicast mac-address reported: %s", n)
	}
	run(t, r, "/interface eoip set eoip-tunnel1 mac-address=03:00:5E:00:E0:01")
	if l := fmt.Sprint(r.State().TunLinks); !strings.Contains(l, "{eoip-tunnel1 1458 false false true  <nil>}") {
		t.Errorf("multicast mac-address: TUN links = %s, want no MAC", l)
	}
	if n := fmt.Sprint(r.NotEnforced()); !strings.Contains(n, "mac-address: 1 (a multicast MAC address") {
		t.Errorf("multicast mac-address not reported: %s", n)
	}
	run(t, r, "/interface eoip disable eoip-tunnel1")
	s = r.State()
	if strings.Contains(fmt.Sprint(s.TunLinks), "eoip-tunnel1") || strings.Contains(fmt.Sprint(s.Bridges), "eoip-tunnel1") {
		t.Errorf("disabled: links %v bridges %v", s.TunLinks, s.Bridges)
	}
	if got := fmt.Sprint(r.IPTunnels()); !strings.Contains(got, "{eoip-tunnel1 eoip 42 203.0.113.2 198.51.100.61 10s 10 true}") {
		t.Errorf("disabled, handed to the service: %s", got)
	}
}
