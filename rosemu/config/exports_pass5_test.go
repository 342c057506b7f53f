package config

import (
	"context"
	"strings"
	"testing"
)

// Shapes of real exports read by the h10 pass (docs/rosemu-menus.md, "A
// fifth pass"): each was refused before.

// TestWireguardPeerClientAllowedAddress: a 7.23.2 CRS309 export's
// road-warrior peers carry the allowed addresses of the client
// configuration the router generates; RouterOS 6 has no WireGuard.
func TestWireguardPeerClientAllowedAddress(t *testing.T) {
	src := `/interface wireguard
add listen-port=13231 mtu=1420 name=wg-vpn
/interface wireguard peers
add allowed-address=10.20.100.2/32 client-address=10.20.100.2/24 \
    client-allowed-address=0.0.0.0/0 client-dns=10.20.20.99 client-endpoint=\
    home.example.net client-keepalive=21s client-listen-port=13231 \
    interface=wg-vpn name=Phone1 public-key=\
    "zlKYPIW4Uf3rWWtbO+qe3s48aXSOxiDepOW5qkSRAVM="
`
	r := runShape(t, "7.23.2", []string{"ether1"}, src)
	if !strings.Contains(r.Export(), "client-allowed-address=0.0.0.0/0") {
		t.Errorf("export lost client-allowed-address:\n%s", r.Export())
	}
}

// TestMPLSProviderEdgeMenus: a 7.x tower router's LDP label-binding
// filters, pseudowires with a Cisco static id and an LACP key, and a 7.21
// PE's BGP VPN and IS-IS; all stored and reported, exported and imported
// again. They were "bad command name accept-filter", "vpn", "isis" and
// "bad parameter cisco-static-id", "lacp-user-key".
func TestMPLSProviderEdgeMenus(t *testing.T) {
	src := `/interface bridge
add name=Loopback
add name=bridge1000 protocol-mode=none
/interface vpls
add arp=enabled bridge=bridge1000 bridge-horizon=1 cisco-static-id=1247 disabled=no mac-address=02:B5:5B:C0:0F:87 mtu=1500 name=vpls1000-bng1 peer=10.254.247.3 pw-control-word=disabled pw-l2mtu=1580 pw-type=raw-ethernet
/interface bonding
add lacp-user-key=1 mode=802.3ad name=bonding1 slaves=ether3,ether4 transmit-hash-policy=layer-2-and-3
/ip vrf
add interfaces=ether2 name=CUST
/routing isis instance
add areas=49.0001 name=CORE system-id=0000.0AFF.0003
/ip address
add address=10.255.0.3 interface=Loopback network=10.255.0.3
/mpls ldp
add disabled=no lsr-id=10.255.0.3 transport-addresses=10.255.0.3
/mpls ldp interface
add disabled=no interface=ether1
/mpls ldp accept-filter
add accept=no disabled=no prefix=10.2.0.14/32
add accept=yes disabled=no prefix=10.0.0.0/24
add accept=no disabled=no prefix=0.0.0.0/0
/mpls ldp advertise-filter
add advertise=yes disabled=no prefix=10.0.0.0/24
add advertise=no disabled=no prefix=0.0.0.0/0
/routing bgp connection
add afi=ip,vpnv4 as=65500 connect=yes disabled=no listen=yes local.address=10.255.0.3 .role=ibgp name=iBGP-RR \
    remote.address=10.255.0.5/32 .as=65500 routing-table=main vrf=main
/routing bgp vpn
add disabled=no export.redistribute=bgp .route-targets=65500:1 \
    import.route-targets=65500:1 instance=EBGP label-allocation-policy=\
    per-vrf name=bgp-mpls-vpn-1 route-distinguisher=65500:3 vrf=CUST
/routing isis interface-template
add instance=CORE interfaces=ether1,ether4 levels=l2 ptp
add instance=CORE interfaces=Loopback levels=l2 passive
`
	ports := []string{"ether1", "ether2", "ether3", "ether4"}
	r := runShape(t, "7.21.4", ports, src)
	out := r.Export()
	for _, want := range []string{"/mpls ldp accept-filter", "prefix=0.0.0.0/0", "/mpls ldp advertise-filter",
		"export.redistribute=bgp .route-targets=65500:1", "route-distinguisher=65500:3", "/routing isis instance", "system-id=0000.0AFF.0003",
		"/routing isis interface-template", "levels=l2 ptp", "levels=l2 passive", "cisco-static-id=1247", "lacp-user-key=1"} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
	for _, p := range []string{"/mpls ldp accept-filter", "/routing bgp vpn", "/routing isis instance", "/routing isis interface-template"} {
		if !hasNotEnforced(r, p, "") {
			t.Errorf("%s not reported as stored", p)
		}
	}
	runShape(t, "7.21.4", ports, body(out))
	// RouterOS 6 has the LDP filters (without vrf), not BGP VPN or IS-IS.
	runShape(t, "6.49.13", ports, "/mpls ldp accept-filter\nadd prefix=10.255.255.0/24 accept=yes\nadd accept=no\n/mpls ldp advertise-filter\nadd prefix=10.255.255.0/24 advertise=yes\nadd advertise=no\n")
	if _, err := New(Options{Ports: ports, Version: "6.49.13"}).Run(context.Background(), "/routing isis instance add name=x"); err == nil {
		t.Error("RouterOS 6 took /routing isis")
	}
}

// TestV724CampusShapes: lines of 7.24 exports that were refused: the
// scheduler's "add !days" (every 7.2x export with a scheduler writes it),
// /ip proxy direct, a bridge's DHCP option 82 strings, a DHCP server's
// parent-queue and kid control's tur-<day>. All are stored; !days is
// exported back as written.
func TestV724CampusShapes(t *testing.T) {
	src := `/interface bridge
add dhcp-agent-circuit-id="\$(INTERFACE):\$(VID)" dhcp-agent-remote-id=\
    "\$(BRIDGEMAC)" name=bridge0
/queue simple
add max-limit=300M/300M name=Lokal target=10.41.0.0/24
/ip pool
add name=p0 ranges=10.41.0.21-10.41.0.254
/ip dhcp-server
add address-pool=p0 always-broadcast=yes interface=bridge0 name=dhcp0 parent-queue=Lokal
/ip kid-control
add fri=0s-1d mon=0s-1d name=system-dummy sat=0s-1d sun=0s-1d thu=0s-1d tue=\
    0s-1d tur-fri=0s-1d tur-mon=0s-1d tur-sat=0s-1d tur-sun=0s-1d tur-thu=\
    0s-1d tur-tue=0s-1d tur-wed=0s-1d wed=0s-1d
/ip proxy access
add action=deny dst-host=*blocked.example*
/ip proxy direct
add action=deny dst-port=80,443
/system scheduler
add !days interval=2h name=FlashDNS on-event="/ip dns cache flush" policy=\
    ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon \
    start-time=startup
add days=mon,fri interval=1d name=weekly on-event=":log info x" start-time=startup
`
	r := runShape(t, "7.24.2", []string{"ether1"}, src)
	out := r.Export()
	for _, want := range []string{"add !days interval=2h name=FlashDNS", "days=mon,fri", "/ip proxy direct", "dst-port=80,443",
		"parent-queue=Lokal", "tur-wed=0s-1d", `dhcp-agent-circuit-id="\$(INTERFACE):\$(VID)"`} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
	if !hasNotEnforced(r, "/system scheduler", "days") || !hasNotEnforced(r, "/ip proxy direct", "") {
		t.Errorf("days or proxy direct not reported: %v", r.NotEnforced())
	}
	runShape(t, "7.24.2", []string{"ether1"}, body(out))
	// RouterOS 6 has no days: "!days" stays a syntax error there.
	if _, err := New(Options{Ports: []string{"ether1"}, Version: "6.49.13"}).Run(context.Background(), "/system scheduler add !days name=x on-event=y"); err == nil {
		t.Error("RouterOS 6 took !days")
	}
}

// TestKeymatDHCPv6OptionNDProxy: a 7.24.4 export's keymat provider, a
// DHCPv6 option and an ND proxy entry of home-router configurations are
// stored, exported and imported again (each was "bad command name").
func TestKeymatDHCPv6OptionNDProxy(t *testing.T) {
	src := `/interface bridge
add name=bridge
/system keymat-provider
add disabled=yes key-size=0 name=default qkd-cache-size=0 qkd-certificate=*0 type=qkd
/ipv6 dhcp-server option
add code=23 name=option23-dnsserver value="'fd00::1'"
add code=59 name=prov-url-v6 value="'https://pbx.example.org/'"
/ipv6 nd proxy
add address=2001:db8:971f:1f00:: comment="missing DUID" interface=bridge
`
	r := runShape(t, "7.24.4", []string{"ether1"}, src)
	out := r.Export()
	for _, want := range []string{"/system keymat-provider", "qkd-certificate=*0", "/ipv6 dhcp-server option", "code=59", "/ipv6 nd proxy", "address=2001:db8:971f:1f00::"} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
	runShape(t, "7.24.4", []string{"ether1"}, body(out))
	if _, err := New(Options{Ports: []string{"ether1"}, Version: "7.24.4"}).Run(context.Background(), "/ipv6 dhcp-server option add code=23 name=a\n/ipv6 dhcp-server option add code=24 name=a"); err == nil {
		t.Error("two DHCPv6 options of one name were taken")
	}
}

// TestBridgePortAll: point-to-point bridges of 6.47 and 6.48 exports
// write "add bridge=bridge interface=all": every port joins the bridge,
// but a port another entry names stays where that entry puts it. It was
// "input does not match any value of interface" on both versions.
func TestBridgePortAll(t *testing.T) {
	for _, v := range []string{"6.47.10", "7.18.2"} {
		src := "/interface bridge\nadd name=bridge\nadd name=br2\n/interface bridge port\nadd bridge=bridge interface=all\nadd bridge=br2 interface=ether3\n"
		r := runShape(t, v, []string{"ether1", "ether2", "ether3"}, src)
		var got []string
		for _, b := range r.State().Bridges {
			for _, p := range b.Ports {
				got = append(got, b.Name+":"+p.Interface)
			}
		}
		if strings.Join(got, " ") != "bridge:ether1 bridge:ether2 br2:ether3" {
			t.Errorf("%s: bridge ports %v", v, got)
		}
	}
}

// TestV6DHCPClientCreatedDisabled: RouterOS 6 creates a DHCP client
// disabled unless disabled=no is given, and its export writes disabled=no
// for a running one and nothing for a disabled one (realcheck33 D7: this
// test wanted "disabled=yes", which no 6.x export writes); a 6.48
// export's "add interface=bridge1" beside "add disabled=no
// interface=bridge1" was refused as a second enabled client. RouterOS 7
// creates the client enabled.
func TestV6DHCPClientCreatedDisabled(t *testing.T) {
	r := runShape(t, "6.48.3", []string{"ether1", "ether2"}, "/ip dhcp-client\nadd interface=ether2\nadd disabled=no interface=ether2\nadd interface=ether1\n")
	out := r.Export()
	if got := strings.TrimSpace(run(t, r, ":put [/ip dhcp-client get [find interface=ether1] disabled]")); got != "true" {
		t.Errorf("the client without disabled= is not disabled: %q", got)
	}
	for _, want := range []string{"add interface=ether2\n", "add disabled=no interface=ether2", "add interface=ether1\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
	runShape(t, "6.48.3", []string{"ether1", "ether2"}, body(out))
	r7 := runShape(t, "7.18.2", []string{"ether1"}, "/ip dhcp-client\nadd interface=ether1\n")
	if out := r7.Export(); strings.Contains(out, "disabled=") {
		t.Errorf("7's export has disabled=:\n%s", out)
	}
}

// TestPPPClientAuthentication: a 7.24.5 export's SSTP client writes
// authentication=mschap2 (was "bad parameter authentication").
func TestPPPClientAuthentication(t *testing.T) {
	r := runShape(t, "7.24.5", []string{"ether1"}, `/interface sstp-client add authentication=mschap2 comment=sstp-to-vds connect-to=192.0.2.73 disabled=no http-proxy=0.0.0.0 name=sstp-vds profile=default-encryption tls-version=only-1.2 user=site`)
	if !strings.Contains(r.Export(), "authentication=mschap2") {
		t.Errorf("export:\n%s", r.Export())
	}
}

// TestIPv6RoutePrefSrc: a 7.22.1 export's IPv6 default route with
// pref-src="" (was "bad parameter pref-src").
func TestIPv6RoutePrefSrc(t *testing.T) {
	runShape(t, "7.22.1", []string{"ether1"}, "/ipv6 route\nadd disabled=no dst-address=::/0 gateway=2001:db8:f23:31::1 pref-src=\"\" routing-table=main\n")
}

// TestV6VLANL2MTU: a 6.27 export's VLANs carry l2mtu=1594 (was "bad
// parameter l2mtu", and every line naming the VLANs was refused after).
func TestV6VLANL2MTU(t *testing.T) {
	r := runShape(t, "6.27", []string{"ether6"}, "/interface vlan\nadd interface=ether6 l2mtu=1594 name=VLAN-101-DATA vlan-id=101\n/ip address\nadd address=192.168.101.1/24 interface=VLAN-101-DATA\n")
	if !strings.Contains(r.Export(), "l2mtu=1594") {
		t.Errorf("export:\n%s", r.Export())
	}
}

// TestV6DHCPServerCreatedDisabled: a 6.28 export has two DHCP servers on
// one interface, neither with disabled=no: RouterOS 6 created both
// disabled. The second was refused ("server for this interface already
// exists"); the export writes disabled=no for a running server and
// nothing for a disabled one, as the 6.28 export does (realcheck33 D7).
func TestV6DHCPServerCreatedDisabled(t *testing.T) {
	src := "/ip pool\nadd name=p ranges=10.12.5.2-10.12.5.15\n/ip dhcp-server\nadd address-pool=p interface=ether3 name=dhcp1\nadd address-pool=p interface=ether3 name=dhcp2\nadd address-pool=p disabled=no interface=ether3 name=dhcp3\n"
	r := runShape(t, "6.28", []string{"ether3"}, src)
	out := r.Export()
	for _, want := range []string{"add address-pool=p interface=ether3 name=dhcp1\n", "disabled=no interface=ether3 name=dhcp3"} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
	if _, err := New(Options{Ports: []string{"ether3"}, Version: "7.18.2"}).Run(context.Background(), src); err == nil {
		t.Error("RouterOS 7 took two enabled servers on one interface")
	}
}

// TestRoMON628: RouterOS 6.28's /romon and /romon port (moved to /tool
// romon after 6.28); a 6.28 export writes "/romon port add disabled=no".
func TestRoMON628(t *testing.T) {
	r := runShape(t, "6.28", []string{"ether1"}, "/romon\nset enabled=yes\n/romon port\nadd disabled=no\n")
	if out := r.Export(); !strings.Contains(out, "/romon port") || !strings.Contains(out, "/romon\nset enabled=yes") {
		t.Errorf("export:\n%s", out)
	}
	if _, err := New(Options{Ports: []string{"ether1"}, Version: "7.18.2"}).Run(context.Background(), "/romon set enabled=yes"); err == nil {
		t.Error("RouterOS 7 took /romon")
	}
}

// TestPPPProfileDHCPv6UseRadius: a 7.23.2 export's VPN profiles write
// dhcpv6-use-radius=yes; the profile was refused, and the L2TP and OVPN
// servers naming it after it.
func TestPPPProfileDHCPv6UseRadius(t *testing.T) {
	runShape(t, "7.23.2", []string{"ether1"}, "/ip pool\nadd name=vpn_pool ranges=172.16.91.2-172.16.91.29\n/ppp profile\nadd dhcpv6-use-radius=yes dns-server=10.0.10.10 local-address=192.0.2.9 name=\"example.com l2tp\" only-one=no remote-address=vpn_pool use-encryption=yes wins-server=10.0.10.10\n/interface l2tp-server server\nset allow-fast-path=yes default-profile=\"example.com l2tp\" enabled=yes use-ipsec=yes\n")
}

// A RoMON port entry on an interface list, as a 7.19.1 border firewall
// forbids RoMON on its WAN list; a name that is neither an interface nor a
// list is still refused.
func TestRoMONPortOnList(t *testing.T) {
	r := runShape(t, "7.19.1", []string{"ether1"}, "/interface list\nadd name=Internet\n/tool romon port\nadd disabled=no forbid=yes interface=Internet\n")
	if exp := r.Export(); !strings.Contains(exp, "interface=Internet") {
		t.Errorf("export:\n%s", exp)
	}
	if _, err := r.Run(context.Background(), "/tool romon port add interface=Nowhere"); err == nil || !strings.Contains(err.Error(), "input does not match any value of interface") {
		t.Errorf("an unknown name: %v", err)
	}
}
