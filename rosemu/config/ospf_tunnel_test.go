package config

import (
	"strings"
	"testing"
)

// TestOSPFOverTunnel: an address on a GRE, IPIP or EoIP interface is an
// address of a running link (the iptunnel service carries it), so RouterOS
// neither flags it invalid nor leaves it out of OSPF: a template naming
// the tunnel runs OSPF on it (the site-to-site case "OSPF over GRE"), and
// on a VXLAN (the kernel's vxlan link) too. A tunnel in a bridge keeps
// its address invalid.
func TestOSPFOverTunnel(t *testing.T) {
	rec := &ospfRecorder{}
	r := New(Options{Ports: []string{"ether1", "ether2"}, Routing: rec})
	run(t, r, `/ip address add address=203.0.113.2/24 interface=ether1
/interface gre add name=gre-b local-address=203.0.113.2 remote-address=198.51.100.2
/interface ipip add name=ipip-c local-address=203.0.113.2 remote-address=198.51.100.3
/interface eoip add name=eoip-d local-address=203.0.113.2 remote-address=198.51.100.4 tunnel-id=4
/interface vxlan add name=vx1 vni=10 port=4789
/ip address
add address=172.16.0.1/30 interface=gre-b
add address=172.16.1.1/30 interface=ipip-c
add address=172.16.2.1/30 interface=eoip-d
add address=172.16.3.1/30 interface=vx1
/routing ospf instance add name=v2 router-id=1.1.1.1
/routing ospf area add instance=v2 name=bb
/routing ospf interface-template add area=bb interfaces=gre-b,ipip-c,eoip-d,vx1 type=ptp`)
	got := ospfSummary(rec.last)
	for _, want := range []string{"  gre-b [172.16.0.1/30] ptp", "  ipip-c [172.16.1.1/30] ptp", "  eoip-d [172.16.2.1/30] ptp", "  vx1 [172.16.3.1/30] ptp"} {
		if !strings.Contains(got, want) {
			t.Errorf("OSPF lacks %q:\n%s", want, got)
		}
	}
	out := run(t, r, `/ip address print`)
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "172.16.0.1/30") || strings.Contains(line, "172.16.1.1/30") || strings.Contains(line, "172.16.2.1/30") {
			if f := strings.Fields(line); len(f) > 1 && f[1] == "I" {
				t.Errorf("a tunnel's address is flagged invalid: %q", line)
			}
		}
	}
	// In a bridge the EoIP tunnel is a port: its address is invalid, as
	// on any bridge port, and OSPF leaves it.
	run(t, r, `/interface bridge add name=br1
/interface bridge port add bridge=br1 interface=eoip-d`)
	if got := ospfSummary(rec.last); strings.Contains(got, "eoip-d") {
		t.Errorf("OSPF runs on a bridge port:\n%s", got)
	}
	if out := run(t, r, `/ip address print where address="172.16.2.1/30"`); !strings.Contains(out, " I ") {
		t.Errorf("an address on a bridge port is not flagged invalid:\n%s", out)
	}
}
