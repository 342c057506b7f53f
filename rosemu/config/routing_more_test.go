package config

import (
	"context"
	"strings"
	"testing"
)

// TestRoutingMoreStored: OSPF ranges, NBMA neighbors, virtual links,
// OSPFv3, RIP and BFD interfaces of RouterOS 6, and RIP, PIM-SM, area
// ranges and the filter lists of RouterOS 7 are taken, exported, taken
// again and reported; each version refuses the other's menus.
func TestRoutingMoreStored(t *testing.T) {
	v6 := `/routing ospf area
add area-id=0.0.0.1 name=area1
/routing ospf area range
add area=area1 range=10.0.0.0/16
/routing ospf-v3 instance
set [ find default=yes ] router-id=10.0.0.1
/routing ospf nbma-neighbor
add address=10.0.0.9
/routing ospf virtual-link
add neighbor-id=10.0.0.8 transit-area=area1
/routing ospf-v3 interface
add interface=ether1
/routing rip
set redistribute-static=yes
/routing rip interface
add interface=ether1 receive=v2 send=v2
/routing rip network
add network=10.0.0.0/8
/routing bfd interface
set [ find default=yes ] min-rx=300ms
`
	v7 := `/routing ospf instance
add name=v2 router-id=10.0.0.1
/routing ospf area
add instance=v2 name=bb
/routing ospf area range
add area=bb prefix=10.0.0.0/16
/routing rip instance
add name=rip1 redistribute=connected
/routing rip interface-template
add instance=rip1 interfaces=ether1
/routing pimsm instance
add name=pim1
/routing pimsm interface-template
add instance=pim1 interfaces=ether1
/routing filter num-list
add list=asn range=64512-65534
/routing filter community-list
add communities=65000:1 list=c1
`
	for _, c := range []struct{ version, src, other string }{
		{"6.49.10", v6, "/routing rip instance add name=x"},
		{"7.16.2", v7, "/routing ospf-v3 instance print"},
	} {
		r := runShape(t, c.version, []string{"ether1"}, c.src)
		exp := body(r.Export())
		if got := body(runShape(t, c.version, []string{"ether1"}, exp).Export()); got != exp {
			t.Errorf("%s re-import:\n%s\nwant\n%s", c.version, got, exp)
		}
		if !strings.Contains(exp, "range") || !strings.Contains(exp, "10.0.0.0/16") {
			t.Errorf("%s export lacks the area range:\n%s", c.version, exp)
		}
		n := 0
		for _, ne := range r.NotEnforced() {
			n += ne.Count
		}
		// RouterOS 7's OSPF instance and area run (ospf.go); the rest
		// of each source is stored.
		if want := map[string]int{"6.49.10": 8, "7.16.2": 7}[c.version]; n < want {
			t.Errorf("%s: %d not-enforced entries: %v", c.version, n, r.NotEnforced())
		}
		bad := New(Options{Ports: []string{"ether1"}, Version: c.version})
		if _, err := bad.Run(context.Background(), c.other); err == nil {
			t.Errorf("%s took %q", c.version, c.other)
		}
	}
}

// TestVPLSStored: a VPLS interface is a stored interface in 6
// (remote-peer) and 7 (peer), may be a bridge port and is exported; 7
// refuses 6's remote-peer.
func TestVPLSStored(t *testing.T) {
	for _, c := range []struct{ version, peer string }{{"6.49.10", "remote-peer"}, {"7.16.2", "peer"}} {
		src := "/interface bridge\nadd name=br-vpls\n/interface vpls\nadd name=vpls1 " + c.peer + "=10.0.0.2 vpls-id=100:1\n/interface bridge port\nadd bridge=br-vpls interface=vpls1\n"
		r := runShape(t, c.version, []string{"ether1"}, src)
		exp := body(r.Export())
		if !strings.Contains(exp, "add name=vpls1 "+c.peer+"=10.0.0.2 vpls-id=100:1\n") {
			t.Errorf("%s export:\n%s", c.version, exp)
		}
		if got := body(runShape(t, c.version, []string{"ether1"}, exp).Export()); got != exp {
			t.Errorf("%s re-import:\n%s\nwant\n%s", c.version, got, exp)
		}
	}
	bad := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	if _, err := bad.Run(context.Background(), "/interface vpls add name=v remote-peer=10.0.0.2 vpls-id=1:1"); err == nil {
		t.Errorf("7 took remote-peer")
	}
}

// TestL2TPEtherStored: RouterOS 7's L2TPv3 Ethernet interface is stored,
// may be a bridge port, exports and imports again; 6 refuses the menu.
func TestL2TPEtherStored(t *testing.T) {
	src := "/interface bridge\nadd name=br\n/interface l2tp-ether\nadd connect-to=vpn.example.net disabled=yes name=l2e1 use-l2-specific-sublayer=no\n/interface bridge port\nadd bridge=br interface=l2e1\n"
	r := runShape(t, "7.20", []string{"ether1"}, src)
	exp := body(r.Export())
	if !strings.Contains(exp, "add connect-to=vpn.example.net disabled=yes name=l2e1\n") {
		t.Errorf("export:\n%s", exp)
	}
	if got := body(runShape(t, "7.20", []string{"ether1"}, exp).Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
	v6 := New(Options{Ports: []string{"ether1"}, Version: "6.49.10"})
	if _, err := v6.Run(context.Background(), "/interface l2tp-ether add connect-to=192.0.2.1 name=x"); err == nil {
		t.Errorf("6 took /interface l2tp-ether")
	}
}

// TestIPv6TunnelsStored: gre6, ipipv6 and eoipv6 are stored interfaces in
// 6 and 7 (a 6.47 ISP export's gre6 with keepalive), exported and taken
// again.
func TestIPv6TunnelsStored(t *testing.T) {
	src := "/interface gre6\nadd keepalive=5s local-address=2001:db8::2 name=g6 remote-address=2001:db8:1::2\n/interface ipipv6\nadd name=i6 remote-address=2001:db8:1::3\n/interface eoipv6\nadd name=e6 remote-address=2001:db8:1::4 tunnel-id=7\n/ipv6 address\nadd address=2001:db8:99::1/64 interface=g6\n"
	for _, v := range []string{"6.47.1", "7.16.2"} {
		r := runShape(t, v, []string{"ether1"}, src)
		exp := body(r.Export())
		if !strings.Contains(exp, "add keepalive=5s local-address=2001:db8::2 name=g6") || !strings.Contains(exp, "add name=e6 remote-address=2001:db8:1::4 tunnel-id=7") {
			t.Errorf("%s export:\n%s", v, exp)
		}
		if got := body(runShape(t, v, []string{"ether1"}, exp).Export()); got != exp {
			t.Errorf("%s re-import:\n%s\nwant\n%s", v, got, exp)
		}
	}
}

// TestWireGuardResponder: a 7.18 export's peer "responder=yes" is taken
// and exported; 7.16 takes only is-responder.
func TestWireGuardResponder(t *testing.T) {
	src := "/interface wireguard\nadd listen-port=13231 name=wg0\n/interface wireguard peers\nadd allowed-address=10.100.10.1/32 interface=wg0 name=p1 public-key=\"i/thQFtyJPTmq8QC44PV6QeETM6VlMQQs1tKWzTCqDU=\" responder=yes\n"
	r := runShape(t, "7.18", []string{"ether1"}, src)
	if !strings.Contains(body(r.Export()), "responder=yes") {
		t.Errorf("export:\n%s", r.Export())
	}
	old := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	if _, err := old.Run(context.Background(), src); err == nil {
		t.Errorf("7.16 took responder=")
	}
}

// TestIPv6RouteDefault711: a 7.1.1 export's IPv6 default route
// ("dst-address=/0") with check-gateway=ping is taken as ::/0 and exported
// so; 6 refuses the "/0".
func TestIPv6RouteDefault711(t *testing.T) {
	r := runShape(t, "7.1.1", []string{"ether1"}, "/ipv6 route\nadd check-gateway=ping comment=HE disabled=yes distance=5 dst-address=/0 gateway=2001:db8:a:5c2::1\n")
	if exp := body(r.Export()); !strings.Contains(exp, "check-gateway=ping") || strings.Contains(exp, "dst-address=/0") {
		t.Errorf("export:\n%s", exp)
	}
	v6 := New(Options{Ports: []string{"ether1"}, Version: "6.49.10"})
	if _, err := v6.Run(context.Background(), "/ipv6 route add dst-address=/0 gateway=2001:db8::1"); err == nil {
		t.Error("6 took dst-address=/0")
	}
}
