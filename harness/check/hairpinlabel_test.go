package check

import (
	"net/netip"
	"strings"
	"testing"
)

// forum38 D6: a hairpin by src-nat to-addresses=<the DHCP WAN's address>:
// the server sees the router's WAN address, and the report said "server
// saw the client (203.0.113.2)". Now it names the router's WAN address,
// its former one after the renumbering. The controls: the client's own
// address is still "the client", the LAN address of a masquerade hairpin
// still "the router".
func TestHairpinSrcnatToWANIsNotTheClient(t *testing.T) {
	const rsc = `# 2026-12-06 02:50:00 by RouterOS 7.16.2
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=LAN
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input in-interface-list=!LAN
add action=accept chain=forward connection-state=established,related,untracked
add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-type=local dst-address=!192.168.88.1 dst-port=8443 protocol=tcp to-addresses=192.168.88.10 to-ports=443
add action=src-nat chain=srcnat src-address=192.168.88.0/24 dst-address=192.168.88.10 to-addresses=203.0.113.2 comment=hairpin
`
	p := importText(t, rsc)
	found, _ := p.Diagnose()
	c, err := p.Case(p.Propose(found))
	if err != nil {
		t.Fatal(err)
	}
	if !c.routerWAN[netip.MustParseAddr("203.0.113.2")] {
		t.Fatalf("lab WAN addresses %v", c.routerWAN)
	}
	hairpin := func(phase, saw string) Outcome {
		return Outcome{Probe: Probe{Forward: 0, Path: "hairpin:ether2", Phase: phase, From: "client1", To: "router.wan:8443", Kind: "tcp"}, Result: "ok", Saw: saw, By: "server1"}
	}
	for _, tt := range []struct {
		o    Outcome
		want string
	}{
		{hairpin("before", "203.0.113.2"), "✓ server saw the router's WAN address (203.0.113.2)"},
		{hairpin("renumbered", "203.0.113.2"), "✓ server saw the router's former WAN address (203.0.113.2)"},
		{hairpin("before", "192.168.88.100"), "✓ server saw the client (192.168.88.100)"},
		{hairpin("before", "192.168.88.1"), "✓ server saw the router (192.168.88.1)"},
		{hairpin("before", "10.9.9.9"), "✓ server saw 10.9.9.9"},
	} {
		if got := p.describe(c, tt.o); got != tt.want {
			t.Errorf("saw %s (%s): %q, want %q", tt.o.Saw, tt.o.Probe.Phase, got, tt.want)
		}
	}
	if strings.Contains(p.describe(c, hairpin("before", "203.0.113.2")), "client") {
		t.Error("the WAN address labelled the client")
	}
}
