package check

import (
	"fmt"
	"strings"
	"testing"
)

// recursiveDHCP is two DHCP WANs without default routes of their own and
// recursive failover over literal next hops, the LAN's copy of the forward
// on the IP Cloud name's list.
const recursiveDHCP = "# by RouterOS 7.16\n" + homeBridge + `/interface list member
add interface=ether1 list=WAN
add interface=ether3 list=WAN
/ip address
add address=192.168.70.1/24 interface=bridge
/ip dhcp-client
add interface=ether1 add-default-route=no
add interface=ether3 add-default-route=no
/ip firewall address-list
add address=0123456789ab.sn.mynetname.net list=WAN-IP
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=443 in-interface=ether1 protocol=tcp to-addresses=192.168.70.10
add action=dst-nat chain=dstnat dst-address-list=WAN-IP dst-port=443 in-interface-list=LAN protocol=tcp to-addresses=192.168.70.10
add action=masquerade chain=srcnat dst-address=192.168.70.10 src-address=192.168.70.0/24
/ip route
add dst-address=9.9.9.9/32 gateway=192.0.2.1 scope=10
add dst-address=1.0.0.1/32 gateway=198.51.100.1 scope=10
add check-gateway=ping distance=1 dst-address=0.0.0.0/0 gateway=9.9.9.9 target-scope=11
add check-gateway=ping distance=2 dst-address=0.0.0.0/0 gateway=1.0.0.1 target-scope=11
/ip cloud
set ddns-enabled=yes
`

// TestRecursiveDHCPGateways: the lab leases each DHCP WAN beside the next
// hop the export's routes name for it, its ISP answers the ping targets
// behind them, and the lab's internet moves off the second next hop's
// subnet. Without this the router had no way out in the lab and check
// called every forward broken.
func TestRecursiveDHCPGateways(t *testing.T) {
	p := loadText(t, recursiveDHCP)
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"- {name: wan, subnet: 192.0.2.0/24}", "- {network: wan, address: 192.0.2.1}", "args: [--local, 9.9.9.9]",
		"- {name: wan2, subnet: 198.51.100.0/24}", "- {network: wan2, address: 198.51.100.1}", "args: [--local, 1.0.0.1]",
	} {
		if !strings.Contains(c.YAML, want) {
			t.Errorf("the case lacks %q:\n%s", want, c.YAML)
		}
	}
	if strings.Contains(c.YAML, "{name: internet, subnet: 198.51.100.0/24}") {
		t.Error("the lab's internet is on the second WAN's next hop subnet")
	}
	// Both forwards' LAN paths wait for the name list to fill, before and
	// after the renumbering.
	if n := strings.Count(c.YAML, "within: "+nameListSettle); n < 2 {
		t.Errorf("%d probes wait %s for the name list, want the hairpin of both forwards:\n%s", n, nameListSettle, c.YAML)
	}
	if !strings.Contains(c.YAML, "within: "+nameListFollow) {
		t.Errorf("no probe waits %s after the renumbering", nameListFollow)
	}

	// The control: DHCP WANs that add their own default routes name no
	// next hop; the lab leases them its own subnets and no probe waits.
	plain := strings.NewReplacer(" add-default-route=no", "", "add action=dst-nat chain=dstnat dst-address-list=WAN-IP dst-port=443 in-interface-list=LAN protocol=tcp to-addresses=192.168.70.10\n", "").Replace(recursiveDHCP)
	plain = plain[:strings.Index(plain, "/ip route")]
	p = loadText(t, plain)
	c, err = p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.YAML, "--local") || strings.Contains(c.YAML, "address: 192.0.2.1}") || strings.Contains(c.YAML, "within: "+nameListSettle) {
		t.Errorf("a plain DHCP WAN got a pinned gateway, a local host or a wait:\n%s", c.YAML)
	}
}

// TestPolicyTableGatewayOnOtherWAN: two DHCP WANs, the second with the
// larger default-route distance, and a routing table's default route via
// a literal next hop: the lab puts that next hop on the second WAN, the
// line the main table does not use, not on the main one.
func TestPolicyTableGatewayOnOtherWAN(t *testing.T) {
	text := "# by RouterOS 7.16\n" + homeBridge + `/interface list member
add interface=ether1 list=WAN
add interface=ether3 list=WAN
/ip address
add address=192.168.70.1/24 interface=bridge
/ip dhcp-client
add interface=ether1
add default-route-distance=2 interface=ether3
/routing table
add fib name=to-isp2
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add dst-address=0.0.0.0/0 gateway=198.51.100.1 routing-table=to-isp2
`
	p := importNamed(t, "policy.rsc", []byte(text))
	for _, w := range p.WANs {
		switch {
		case w.Interface == "ether3" && w.Gateway.String() != "198.51.100.1":
			t.Errorf("ether3's gateway = %v, want 198.51.100.1 (the table's next hop)", w.Gateway)
		case w.Interface == "ether1" && w.Gateway.IsValid():
			t.Errorf("ether1 (the main WAN) got gateway %v, want none", w.Gateway)
		}
	}
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "the DHCP WAN ether3 an address beside it") {
		t.Errorf("no note that ether3 leases beside 198.51.100.1:\n%s", notes)
	}
}

// TestDHCPGatewayNotANextHop: routes whose gateway no ISP can stand at, or
// that is on-link through an address of the export, pin no DHCP WAN. A 7.1
// RB4011's distance-255 route to gateway=255.255.255.255 put the lab's ISP
// at 255.255.255.255 ("the broadcast address of wan", the lab refused); a
// 7.21 export with a static 10.10.10.1/24 beside ether1's DHCP client and
// policy routes via 10.10.10.2 leased ether2 10.10.10.1, the address
// ether1 holds, and renumber-wan then failed on ether1.
func TestDHCPGatewayNotANextHop(t *testing.T) {
	const base = "# by RouterOS 7.21.5\n" + homeBridge + `/interface list member
add interface=ether1 list=WAN
add interface=ether3 list=WAN
/ip address
add address=192.168.70.1/24 interface=bridge
%s/ip dhcp-client
add interface=ether1
add default-route-distance=2 interface=ether3
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/routing table
add fib name=to_LAN
/ip route
%s`
	for _, tt := range []struct{ name, addr, route, bad string }{
		{"broadcast", "", "add distance=255 dst-address=0.0.0.0/0 gateway=255.255.255.255\n", "255.255.255"},
		{"on-link", "add address=10.10.10.1/24 interface=ether1 network=10.10.10.0\n", "add gateway=10.10.10.2 routing-table=to_LAN\n", "10.10.10.0/24"},
	} {
		p := loadText(t, fmt.Sprintf(base, tt.addr, tt.route))
		for _, w := range p.WANs {
			if w.Gateway.IsValid() {
				t.Errorf("%s: WAN %s pinned to %s", tt.name, w.Interface, w.Gateway)
			}
		}
		c, err := p.Case(Fix{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if strings.Contains(c.YAML, "subnet: "+tt.bad) || strings.Contains(c.YAML, "address: "+tt.bad) {
			t.Errorf("%s: the lab has %s:\n%s", tt.name, tt.bad, c.YAML)
		}
	}
	// Control: a route by a gateway outside every address of the export
	// still pins the first DHCP WAN (TestRecursiveDHCPGateways has more).
	p := loadText(t, fmt.Sprintf(base, "", "add gateway=192.0.2.1\n"))
	if p.WANs[0].Gateway.String() != "192.0.2.1" {
		t.Errorf("control: WANs %+v", p.WANs)
	}
}

// notISPBase is a static WAN ether1 and a DHCP WAN ether3 with a route
// (%s) and more lines (%s): the shapes of likwrk/mikrotik (6.49, an L2TP
// server's branch routed by its PPP peer, a src-nat naming ether3's lease)
// and of mm1rza's AKUBISA router (a routing-mark route into a VPN client).
const notISPBase = "# by RouterOS 6.49.18\n" + homeBridge + `/interface list member
add interface=ether1 list=WAN
add interface=ether3 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge
add address=10.11.12.115/24 interface=ether1
/ip dhcp-client
add add-default-route=no disabled=no interface=ether3
%s/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add distance=1 gateway=10.11.12.1
%s`

// gatewayOf is the gateway the lab gives the DHCP WAN ether3.
func gatewayOf(t *testing.T, p *Plan) string {
	t.Helper()
	for _, w := range p.WANs {
		if w.Interface == "ether3" {
			if w.Gateway.IsValid() {
				return w.Gateway.String()
			}
			return ""
		}
	}
	t.Fatalf("no WAN ether3: %+v", p.WANs)
	return ""
}

// TestDHCPGatewayNotAPeer: a PPP peer (an L2TP branch's remote-address)
// and the next hop of a private network are no ISP's: the DHCP WAN is not
// put beside them. Controls: the same route without the PPP secret (to a
// public network) pins the WAN as before.
func TestDHCPGatewayNotAPeer(t *testing.T) {
	const secret = "/ppp secret\nadd local-address=172.16.100.1 name=filial1 password=x remote-address=172.16.100.2 service=l2tp\n"
	for _, tt := range []struct {
		name, lines, route, want string
	}{
		{"ppp peer", secret, "add dst-address=45.10.0.0/24 gateway=172.16.100.2\n", ""},
		{"ppp pool", "/ip pool\nadd name=pool-vpn ranges=172.16.100.101-172.16.100.200\n/ppp profile\nadd local-address=172.16.100.100 name=vpn remote-address=pool-vpn\n", "add dst-address=45.10.0.0/24 gateway=172.16.100.150\n", ""},
		{"private destination", "", "add dst-address=192.168.200.0/24 gateway=172.16.100.2\n", ""},
		{"control: public destination, no peer", "", "add dst-address=45.10.0.0/24 gateway=172.16.100.2\n", "172.16.100.2"},
	} {
		p := importText(t, fmt.Sprintf(notISPBase, tt.lines, tt.route))
		if got := gatewayOf(t, p); got != tt.want {
			t.Errorf("%s: ether3's gateway %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestDHCPGatewayFromSrcNAT: the only evidence of the DHCP WAN's lease is
// a src-nat out of it to 192.168.10.149 (likwrk's line 112): the lab
// leases ether3 192.168.10.149 with its ISP at 192.168.10.1, and a route's
// gateway elsewhere (the PPP peer's /24 without the secret) does not win
// over it. Control: without the src-nat the lab picks its own subnet.
func TestDHCPGatewayFromSrcNAT(t *testing.T) {
	const snat = "/ip firewall nat\nadd action=src-nat chain=srcnat out-interface=ether3 to-addresses=192.168.10.149\n"
	p := loadText(t, fmt.Sprintf(notISPBase, snat, "add dst-address=45.10.0.0/24 gateway=172.16.100.2\n"))
	if got := gatewayOf(t, p); got != "192.168.10.1" {
		t.Fatalf("ether3's gateway %q, want 192.168.10.1", got)
	}
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"subnet: 192.168.10.0/24}", "address: 192.168.10.149, role: wan}", "address: 192.168.10.1}"} {
		if !strings.Contains(c.YAML, want) {
			t.Errorf("the case lacks %q:\n%s", want, c.YAML)
		}
	}
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "from 192.168.10.149 (src-nat to-addresses=)") || strings.Contains(notes, "routes by 172.16.100.2") {
		t.Errorf("notes:\n%s", notes)
	}
	// Control: no src-nat; the lab's own subnet, no 192.168.10.0/24.
	q := loadText(t, fmt.Sprintf(notISPBase, "", ""))
	if got := gatewayOf(t, q); got != "" {
		t.Errorf("control: ether3's gateway %q, want none", got)
	}
	if c, err := q.Case(Fix{}); err != nil || strings.Contains(c.YAML, "192.168.10.") {
		t.Errorf("control: %v\n%v", err, c)
	}
}

// TestDHCPGatewayNotIntoTunnel: one DHCP WAN, a VPN client (L2TP), and a
// default route of routing-mark MNET by 10.123.223.1 (AKUBISA's line
// 284): that route leads into the tunnel, its gateway is the tunnel's far
// end, and the WAN keeps the lab's subnet. Control: the same export
// without the VPN client pins the WAN as before.
func TestDHCPGatewayNotIntoTunnel(t *testing.T) {
	const base = "# by RouterOS 6.49.18\n" + homeBridge + `/interface list member
add interface=ether1 list=WAN
%s/ip address
add address=192.168.88.1/24 interface=bridge
/ip dhcp-client
add disabled=no interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add comment=MNET-VPN distance=1 gateway=10.123.223.1 routing-mark=MNET
`
	const l2tp = "/interface l2tp-client\nadd comment=MNET-VPN connect-to=vpn.example.net disabled=no name=MNET-VPN-L2TP password=x user=u\n"
	p := importText(t, fmt.Sprintf(base, l2tp))
	if p.WANs[0].Gateway.IsValid() {
		t.Errorf("ether1 pinned to the tunnel's end %s", p.WANs[0].Gateway)
	}
	q := importText(t, fmt.Sprintf(base, ""))
	if q.WANs[0].Gateway.String() != "10.123.223.1" {
		t.Errorf("control: ether1's gateway %v, want 10.123.223.1", q.WANs[0].Gateway)
	}
}

// TestDHCPGatewayDefaultFirst: a route to a public network by one next
// hop comes before the default route by another; the main DHCP WAN takes
// the default route's, the second WAN the other. Before, the first route
// in the file took the main WAN.
func TestDHCPGatewayDefaultFirst(t *testing.T) {
	text := "# by RouterOS 7.16\n" + homeBridge + `/interface list member
add interface=ether1 list=WAN
add interface=ether3 list=WAN
/ip address
add address=192.168.70.1/24 interface=bridge
/ip dhcp-client
add add-default-route=no interface=ether1
add add-default-route=no interface=ether3
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add dst-address=45.10.0.0/24 gateway=192.0.2.1
add gateway=198.51.100.1
`
	p := importText(t, text)
	if g := p.WANs[0].Gateway.String(); g != "198.51.100.1" {
		t.Errorf("ether1's gateway %s, want 198.51.100.1 (the default route's)", g)
	}
	// Control: the routes in the other order give the same.
	q := importText(t, strings.Replace(text, "add dst-address=45.10.0.0/24 gateway=192.0.2.1\nadd gateway=198.51.100.1\n", "add gateway=198.51.100.1\nadd dst-address=45.10.0.0/24 gateway=192.0.2.1\n", 1))
	if g := q.WANs[0].Gateway.String(); g != "198.51.100.1" {
		t.Errorf("control: ether1's gateway %s, want 198.51.100.1", g)
	}
}

// recursivePPPoE is two PPPoE lines with recursive failover over the
// ISPs' ends (Rus1999/Network lab12, 7.4): host routes to 8.8.8.8 and
// 1.1.1.1 by the PPPoE peers 172.31.255.1 and 10.100.10.1 (in that
// order), default routes by 8.8.8.8 (distance 1) and 1.1.1.1 (2) that
// watch them: the main line's peer is the one the distance-1 route
// resolves through.
const recursivePPPoE = `# by RouterOS 7.4
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 user=ppp01@isp01 password=p
add add-default-route=yes default-route-distance=2 disabled=no interface=ether2 name=pppoe-out2 user=ppp01@isp02 password=p
/ip address
add address=192.168.3.1/24 interface=ether3 network=192.168.3.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pppoe-out1
add action=masquerade chain=srcnat out-interface=pppoe-out2
/ip route
add check-gateway=ping comment=ISP02 distance=1 dst-address=1.1.1.1/32 gateway=172.31.255.1 scope=30 target-scope=10
add check-gateway=ping comment=ISP01 distance=1 dst-address=8.8.8.8/32 gateway=10.100.10.1 scope=30 target-scope=10
add check-gateway=ping distance=1 dst-address=0.0.0.0/0 gateway=8.8.8.8 scope=30 target-scope=30
add check-gateway=ping distance=2 dst-address=0.0.0.0/0 gateway=1.1.1.1 scope=30 target-scope=30
`

// TestRecursivePPPoEPeers: the lab's PPPoE ISPs take the peer addresses
// the export's host routes name, and answer the hosts behind them, so the
// recursive default routes can become active. Before, the ISPs were
// 203.0.113.1 and 198.18.100.1 and the routes never were. Control: without
// the routes the lab keeps its own ISP addresses.
func TestRecursivePPPoEPeers(t *testing.T) {
	p := loadText(t, recursivePPPoE)
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"- {name: wan, subnet: 10.100.10.0/24}", "- {network: wan, address: 10.100.10.1}", "args: [--local, 8.8.8.8]",
		"- {name: wan2, subnet: 172.31.255.0/24}", "- {network: wan2, address: 172.31.255.1}", "args: [--local, 1.1.1.1]",
		"{network: wan, address: 10.100.10.2, role: wan}",
	} {
		if !strings.Contains(c.YAML, want) {
			t.Errorf("the case lacks %q:\n%s", want, c.YAML)
		}
	}
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "the lab's PPPoE ISP of pppoe-out1 takes it as its end of the session") {
		t.Errorf("notes:\n%s", notes)
	}
	q := loadText(t, recursivePPPoE[:strings.Index(recursivePPPoE, "/ip route")])
	c, err = q.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.YAML, "10.100.10.") || strings.Contains(c.YAML, "--local") || !strings.Contains(c.YAML, "address: 203.0.113.1}") {
		t.Errorf("control: the lab's own ISP addresses expected:\n%s", c.YAML)
	}
}

// TestPPPoEPeerByOnUpScript: both default routes at distance 1 (no order
// to go by) and each PPPoE profile's on-up script sets its own route's
// gateway to the session's peer, by comment: the route the script of
// pppoe-out1 sets is pppoe-out1's, although ISP02's comes first in the
// file. Before, file order gave pppoe-out1 ISP02's peer, and in the lab
// the scripts moved each host route to the other ISP, which did not
// answer its pings. Control: without the scripts, file order.
func TestPPPoEPeerByOnUpScript(t *testing.T) {
	const profiles = `/ppp profile
add name=isp01_profile on-up=":local newgw [/ip address get [find interface=\"pppoe-out1\"] network];\r\
    \n/ip route set [find comment=\"ISP01\"] gateway=\$newgw"
add name=isp02_profile on-up=":local newgw [/ip address get [find interface=\"pppoe-out2\"] network];\r\
    \n/ip route set [find comment=\"ISP02\"] gateway=\$newgw"
`
	text := strings.Replace(recursivePPPoE, "distance=2 dst-address=0.0.0.0/0", "distance=1 dst-address=0.0.0.0/0", 1)
	withScripts := strings.Replace(text, "/interface pppoe-client\n", profiles+"/interface pppoe-client\n", 1)
	withScripts = strings.Replace(withScripts, "name=pppoe-out1 ", "name=pppoe-out1 profile=isp01_profile ", 1)
	withScripts = strings.Replace(withScripts, "name=pppoe-out2 ", "name=pppoe-out2 profile=isp02_profile ", 1)
	p := importText(t, withScripts)
	if g := p.WANs[0].Gateway.String(); p.WANs[0].Interface != "pppoe-out1" || g != "10.100.10.1" {
		t.Errorf("%s's peer %s, want 10.100.10.1 (its script's route ISP01)", p.WANs[0].Interface, g)
	}
	if g := p.WANs[1].Gateway.String(); g != "172.31.255.1" {
		t.Errorf("%s's peer %s, want 172.31.255.1", p.WANs[1].Interface, g)
	}
	q := importText(t, text)
	if g := q.WANs[0].Gateway.String(); g != "172.31.255.1" {
		t.Errorf("control: %s's peer %s, want 172.31.255.1 (the first route in the file)", q.WANs[0].Interface, g)
	}
}

// TestDHCPGatewaySharedSubnet: two DHCP lines of one ISP subnet, told apart
// by gateway=109.172.104.1%wan1 and %wan2: the first takes the gateway, the
// second keeps a subnet of the lab's own (both there overlapped, and the
// lab was not built). Control: one line only pins as before.
func TestDHCPGatewaySharedSubnet(t *testing.T) {
	text := "# by RouterOS 6.49\n" + homeBridge + `/interface ethernet
set [ find default-name=ether1 ] name=wan1
set [ find default-name=ether3 ] name=wan2
/interface list member
add interface=wan1 list=WAN
add interface=wan2 list=WAN
/ip address
add address=192.168.70.1/24 interface=bridge
/ip dhcp-client
add add-default-route=no disabled=no interface=wan1
add add-default-route=no disabled=no interface=wan2
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add distance=1 gateway=109.172.104.1%wan1 routing-mark=isp1
add distance=1 gateway=109.172.104.1%wan2 routing-mark=isp2
add distance=1 gateway=109.172.104.1
`
	p := importText(t, text)
	if len(p.WANs) != 2 {
		t.Fatalf("WANs %+v", p.WANs)
	}
	if g := p.WANs[0].Gateway.String(); g != "109.172.104.1" {
		t.Errorf("wan1's gateway %s, want 109.172.104.1", g)
	}
	if p.WANs[1].Gateway.IsValid() {
		t.Errorf("wan2 pinned to %s too; the lab's networks would overlap", p.WANs[1].Gateway)
	}
	if _, err := p.Case(Fix{}); err != nil {
		t.Errorf("the lab is not built: %v", err)
	}
}

// TestDHCPGatewayOnLinkByInterfaceRoute: a PCC export's table routes go
// by 192.168.160.1 while dst-address=192.168.160.0/24 gateway=ether1-pldt
// makes that next hop on-link on the DHCP WAN: the WAN's ISP goes there.
// It was skipped as a covered next hop, and the router's answers by that
// table went where nobody was. Control: a route through another router's
// address still covers it.
func TestDHCPGatewayOnLinkByInterfaceRoute(t *testing.T) {
	text := "# by RouterOS 7.16\n" + homeBridge + `/interface ethernet
set [ find default-name=ether1 ] name=ether1-pldt
/interface list member
add interface=ether1-pldt list=WAN
/ip address
add address=192.168.70.1/24 interface=bridge
/ip dhcp-client
add add-default-route=no interface=ether1-pldt
/routing table
add fib name=to_WAN1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add dst-address=192.168.160.0/24 gateway=ether1-pldt routing-table=to_WAN1
add gateway=192.168.160.1 routing-table=to_WAN1
add gateway=192.168.160.1
`
	p := importText(t, text)
	if g := p.WANs[0].Gateway.String(); g != "192.168.160.1" {
		t.Errorf("ether1-pldt's gateway %q, want 192.168.160.1", g)
	}
	q := importText(t, strings.Replace(text, "gateway=ether1-pldt routing-table", "gateway=192.168.70.2 routing-table", 1))
	if q.WANs[0].Gateway.IsValid() {
		t.Errorf("control: pinned to %s through a route by a LAN router", q.WANs[0].Gateway)
	}
}
