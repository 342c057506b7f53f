package check

import (
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/export"
)

// freeHost stays inside its prefix: on a /30 with the router and a server
// there is no room (a walk from an address outside the prefix never ended),
// and on a /24 it skips what is taken.
func TestFreeHost(t *testing.T) {
	p := netip.MustParsePrefix("10.71.1.1/30")
	taken := map[netip.Addr]bool{netip.MustParseAddr("10.71.1.1"): true}
	if a, ok := freeHost(p, 100, taken); !ok || a != netip.MustParseAddr("10.71.1.2") {
		t.Errorf("/30 with the router: %v %v, want 10.71.1.2", a, ok)
	}
	taken[netip.MustParseAddr("10.71.1.2")] = true
	if a, ok := freeHost(p, 100, taken); ok {
		t.Errorf("/30 with the router and a server: %v, want none (.3 is the broadcast)", a)
	}
	if a, ok := freeHost(netip.MustParsePrefix("192.0.2.1/32"), 100, nil); !ok || a != netip.MustParseAddr("192.0.2.1") {
		t.Errorf("/32: %v %v", a, ok)
	}
	l := netip.MustParsePrefix("192.168.88.1/24")
	taken = map[netip.Addr]bool{netip.MustParseAddr("192.168.88.100"): true}
	if a, ok := freeHost(l, 100, taken); !ok || a != netip.MustParseAddr("192.168.88.101") {
		t.Errorf("/24: %v %v, want .101", a, ok)
	}
}

// A WAN list member with no address and no client (the old ISP's port)
// beside the port that has the WAN's address and the default route: the
// addressed port is the WAN, the idle member is left out (the lab leased
// it a DHCP address before, and the run failed: "router has no address on
// ether1").
func TestIdleWANListMember(t *testing.T) {
	p := importText(t, `# 2026-11-28 09:14:51 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether5 network=203.0.113.0
/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.1
`)
	if len(p.WANs) != 1 || p.WANs[0].Interface != "ether5" || p.WANs[0].Kind != "static" {
		t.Fatalf("WANs: %+v", p.WANs)
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "ether1 as idle") {
		t.Errorf("notes: %q", p.Notes)
	}
}

// TestRecursiveMarkedDefaultRoutes: a PCC export whose only default routes
// are in routing marks and go by public resolvers (9.9.9.9), each reached
// by a host route through an ISP's next hop on a WAN port, has those
// ports as WANs. It was refused: "cannot tell which port is the WAN (...
// or default route)". Control: without the host routes the next hops are
// nowhere, and the export is refused as before.
func TestRecursiveMarkedDefaultRoutes(t *testing.T) {
	text := twoISPs + `/ip route
add check-gateway=ping distance=1 gateway=9.9.9.9 routing-mark=to_isp1
add check-gateway=ping distance=1 gateway=149.112.112.112 routing-mark=to_isp2
add distance=1 dst-address=9.9.9.9/32 gateway=192.168.1.1 scope=10
add distance=1 dst-address=149.112.112.112/32 gateway=192.168.2.1 scope=10
`
	p := importText(t, text)
	var wans []string
	for _, w := range p.WANs {
		wans = append(wans, w.Interface)
	}
	if strings.Join(wans, ",") != "ether1,ether2" || !strings.Contains(p.WANs[0].Why, "9.9.9.9 (through 192.168.1.1)") {
		t.Errorf("WANs %v (%+v), want ether1 and ether2 by their recursive next hops", wans, p.WANs)
	}
	if err := importErr(t, strings.Split(text, "add distance=1 dst-address=9.9.9.9")[0]); err == nil || !strings.Contains(err.Error(), "cannot tell which port is the WAN") {
		t.Errorf("control without host routes: %v", err)
	}
}

// TestRecursiveMainDefaultRoutes: two static lines with recursive failover
// in the main table (gateway=8.8.8.8 and 1.1.1.1, each through a host
// route by the ISP's next hop) are both WANs, in the routes' order.
// Control: without the host routes there is no WAN to tell.
func TestRecursiveMainDefaultRoutes(t *testing.T) {
	text := `# by RouterOS 7.16
/ip address
add address=192.168.1.2/24 interface=ether1
add address=192.168.2.2/24 interface=ether2
add address=192.168.10.1/24 interface=ether5
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=masquerade chain=srcnat out-interface=ether2
/ip route
add check-gateway=ping distance=1 gateway=8.8.8.8
add check-gateway=ping distance=2 gateway=1.1.1.1
add distance=1 dst-address=8.8.8.8/32 gateway=192.168.1.1 scope=10
add distance=1 dst-address=1.1.1.1/32 gateway=192.168.2.1 scope=10
`
	p := importText(t, text)
	if len(p.WANs) != 2 || p.WANs[0].Interface != "ether1" || p.WANs[1].Interface != "ether2" ||
		!strings.Contains(p.WANs[0].Why, "8.8.8.8 (through 192.168.1.1)") || p.WANs[0].Gateway.String() != "192.168.1.1" {
		t.Errorf("WANs %+v, want ether1 then ether2 by their recursive next hops", p.WANs)
	}
	// The ISP routers in front (the WANs are private) answer the hosts
	// the failover pings, so the silent-line test means something.
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`address: 192\.168\.1\.1}\n\s+args: \[--local, 8\.8\.8\.8\]`, `address: 192\.168\.2\.1}\n\s+args: \[--local, 1\.1\.1\.1\]`} {
		if !regexp.MustCompile(want).MatchString(c.YAML) {
			t.Errorf("the lab lacks %q:\n%s", want, c.YAML)
		}
	}
	if err := importErr(t, strings.Split(text, "add distance=1 dst-address=8.8.8.8")[0]); err == nil || !strings.Contains(err.Error(), "cannot tell which port is the WAN") {
		t.Errorf("control without host routes: %v", err)
	}
}

// TestLANAddressWithoutPrefix: an address without a prefix length is a /32
// on RouterOS; where the export serves a DHCP network around it, check
// says so with the line, rather than dropping the LAN without a word.
// Controls: with /24 the LAN is a segment; a VRRP virtual address and a
// loopback, /32 by design and with no DHCP network around them, get no
// note (realcheck17 D1: 26 such notes on 7 exports, none right).
func TestLANAddressWithoutPrefix(t *testing.T) {
	text := "# by RouterOS 6.40.9\n/interface bridge\nadd name=lan\n/interface bridge port\nadd bridge=lan interface=ether2\n/ip address\nadd address=192.168.23.1 interface=lan network=192.168.23.1\n/ip dhcp-client\nadd disabled=no interface=ether1\n/ip dhcp-server network\nadd address=192.168.23.0/24 gateway=192.168.23.1\n/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n"
	p := importText(t, text)
	if len(p.Segments) != 0 || !hasNote(p.Notes, "line 7 gives lan the address 192.168.23.1 without a prefix length", "192.168.23.1/32", "DHCP network 192.168.23.0/24 (line 11)", "address=192.168.23.1/24") {
		t.Errorf("segments %+v, notes %q", p.Segments, p.Notes)
	}
	vrrp := "# by RouterOS 7.18\n/interface bridge\nadd name=lan\nadd name=lo0\n/interface bridge port\nadd bridge=lan interface=ether2\n/interface vrrp\nadd interface=lan name=vrrp1\n/ip address\nadd address=192.168.1.10/24 interface=lan network=192.168.1.0\nadd address=192.168.1.1 interface=vrrp1 network=192.168.1.1\nadd address=10.255.0.1 interface=lo0 network=10.255.0.1\n/ip dhcp-client\nadd interface=ether1\n/ip dhcp-server network\nadd address=192.168.1.0/24 gateway=192.168.1.1\nadd address=10.255.0.0/24\n/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n"
	if p := importText(t, vrrp); hasNote(p.Notes, "without a prefix length") {
		t.Errorf("VRRP and loopback /32s: notes %q", p.Notes)
	}
	p = importText(t, strings.Replace(text, "address=192.168.23.1 ", "address=192.168.23.1/24 ", 1))
	if len(p.Segments) != 1 || hasNote(p.Notes, "without a prefix length") {
		t.Errorf("control: segments %+v, notes %q", p.Segments, p.Notes)
	}
}

// TestNoWANHints: when no WAN is found, the message says what came close:
// a RouterOS 6 DHCP client without disabled=no, a DHCP client on the LAN
// bridge whose uplink is a radio. It said "no DHCP client" of exports that
// have one. Control: an export with nothing close gets the bare message.
func TestNoWANHints(t *testing.T) {
	refused := func(text string) string {
		t.Helper()
		err := importErr(t, text)
		if err == nil {
			t.Fatalf("imported:\n%s", text)
		}
		return err.Error()
	}
	v6 := "# by RouterOS 6.28\n/ip address\nadd address=192.168.88.1/24 interface=ether2\n/ip dhcp-client\nadd interface=ether1\n"
	if msg := refused(v6); !strings.Contains(msg, "what comes close: the DHCP client on ether1 at line 5 is disabled: RouterOS 6 adds") {
		t.Errorf("6.x client: %s", msg)
	}
	sta := "# by RouterOS 7.21\n/interface bridge\nadd name=bridge\n/interface bridge port\nadd bridge=bridge interface=ether2\nadd bridge=bridge interface=wifi2\n/ip dhcp-client\nadd interface=bridge\n/interface list\nadd name=LAN\n/interface list member\nadd interface=bridge list=LAN\n"
	if msg := refused(sta); !strings.Contains(msg, "the DHCP client at line 8 is on bridge, a LAN of the router's whose uplink may be the radio wifi2") {
		t.Errorf("station bridge: %s", msg)
	}
	if msg := refused("# by RouterOS 7.16\n/ip address\nadd address=192.168.88.1/24 interface=ether2\n"); strings.Contains(msg, "what comes close") {
		t.Errorf("control: %s", msg)
	}
}

// TestRadioBridgeWAN: a WAN list whose member is a bridge over a radio in
// station mode is named so, not "a bond or tunnel".
func TestRadioBridgeWAN(t *testing.T) {
	text := "# by RouterOS 7.14.1\n/interface bridge\nadd name=bridge-wlan\nadd name=lan\n/interface bridge port\nadd bridge=bridge-wlan interface=wlan1\nadd bridge=lan interface=ether2\n/interface list\nadd name=WAN\n/interface list member\nadd interface=bridge-wlan list=WAN\n/ip address\nadd address=192.168.88.1/24 interface=lan\n"
	if err := importErr(t, text); err == nil || !strings.Contains(err.Error(), "reach the internet by radio (bridge-wlan's uplink is the radio wlan1)") {
		t.Errorf("Import: %v", err)
	}
}

// importErr is Import's error for an export's text (nil when it imports).
func importErr(t *testing.T, text string) error {
	t.Helper()
	f, err := export.Read("x.rsc", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Import(f, Options{})
	return err
}
