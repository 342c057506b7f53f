package config

import (
	"strings"
	"testing"
)

// Shapes of the thirteenth pass (helper h49): lines of public exports
// (6.45 to 7.21) that rosemu refused and RouterOS wrote.

// A 6.49.6 CHR export filters OSPF routes by their type: "/routing filter
// add action=discard chain=ospf-in ospf-type=intra-area" was "bad parameter
// ospf-type". The v6 manual's matchers and setters are stored; a value
// outside the manual's list stays refused, and RouterOS 7 has no such menu.
func TestH49RoutingFilterV6Matchers(t *testing.T) {
	src := "/routing filter\n" +
		"add action=discard chain=ospf-in comment=\"discard intra area routes\" ospf-type=intra-area\n" +
		"add action=accept bgp-atomic-aggregate=present chain=bgp-in route-tag=7 set-bgp-med=20 set-route-tag=9\n"
	r := runShape(t, "6.49.6", []string{"ether1"}, src)
	exp := unwrapExport(body(r.Export()))
	for _, want := range []string{"ospf-type=intra-area", "bgp-atomic-aggregate=present", "set-bgp-med=20", "set-route-tag=9"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %s:\n%s", want, exp)
		}
	}
	if got := refusedLines(validateShape("6.49.6", []string{"ether1"}, "/routing filter\nadd chain=ospf-in ospf-type=type-3\n")); len(got) != 1 || !strings.Contains(got[0], "invalid value for argument ospf-type") {
		t.Errorf("ospf-type=type-3: %v", got)
	}
	if len(refusedLines(validateShape("7.16.2", []string{"ether1"}, src))) != 2 {
		t.Error("RouterOS 7 took the v6 /routing filter")
	}
}

// A 6.49.6 CHR export keeps 100000 lines in memory actions: "add
// memory-lines=100000 name=IpsecOnScreenLog target=memory" was "invalid
// value for argument memory-lines", and the /system logging rules using
// the action were refused after it. RouterOS 7 stays held to 65535.
func TestH49LoggingMemoryLinesV6(t *testing.T) {
	src := "/system logging action\nadd memory-lines=100000 name=IpsecOnScreenLog target=memory\n" +
		"/system logging\nadd action=IpsecOnScreenLog topics=ipsec,!debug,!packet\n"
	r := runShape(t, "6.49.6", []string{"ether1"}, src)
	if exp := body(r.Export()); !strings.Contains(exp, "memory-lines=100000") || !strings.Contains(exp, "action=IpsecOnScreenLog") {
		t.Errorf("export:\n%s", exp)
	}
	if got := refusedLines(validateShape("7.16.2", []string{"ether1"}, src)); len(got) == 0 || !strings.Contains(got[0], "memory-lines") {
		t.Errorf("RouterOS 7 took memory-lines=100000: %v", got)
	}
	if len(refusedLines(validateShape("6.49.6", []string{"ether1"}, "/system logging action\nadd memory-lines=0 name=m target=memory\n"))) != 1 {
		t.Error("memory-lines=0 was taken")
	}
}

// A 6.48.4 RB4011 export gives CAPs their own pool by DHCP vendor class:
// "/ip dhcp-server vendor-class-id add address-pool=pool-vendor
// name=vendor-mikrotik-caps server=main-dhcp-server vid=mikrotik-cap" was
// "bad command name vendor-class-id". It is stored (rosemu's DHCP server
// matches no option); the pool and server must exist, and RouterOS 7,
// which has /ip dhcp-server matcher instead, refuses it.
func TestH49DHCPVendorClassV6(t *testing.T) {
	base := "/ip pool\nadd name=pool-main ranges=192.0.2.10-192.0.2.99\nadd name=pool-vendor ranges=192.0.2.200-192.0.2.220\n" +
		"/ip dhcp-server\nadd address-pool=pool-main interface=ether2 name=main-dhcp-server\n"
	line := "/ip dhcp-server vendor-class-id\nadd address-pool=pool-vendor name=vendor-mikrotik-caps server=main-dhcp-server vid=mikrotik-cap\n"
	v := validateShape("6.48.4", []string{"ether1", "ether2"}, base+line)
	if got := refusedLines(v); len(got) != 0 {
		t.Fatalf("refused: %v", got)
	}
	if v.Count(NotEnforced) == 0 {
		t.Error("the vendor class is not reported as not enforced")
	}
	r := runShape(t, "6.48.4", []string{"ether1", "ether2"}, base+line)
	if exp := unwrapExport(body(r.Export())); !strings.Contains(exp, "/ip dhcp-server vendor-class-id\nadd address-pool=pool-vendor name=vendor-mikrotik-caps server=main-dhcp-server vid=mikrotik-cap\n") {
		t.Errorf("export:\n%s", exp)
	}
	bad := strings.ReplaceAll(line, "address-pool=pool-vendor", "address-pool=pool-none")
	if got := refusedLines(validateShape("6.48.4", []string{"ether1", "ether2"}, base+bad)); len(got) != 1 || !strings.Contains(got[0], "address-pool") {
		t.Errorf("a missing pool: %v", got)
	}
	for _, ver := range []string{"7.16.2", "6.44.6"} {
		got := refusedLines(validateShape(ver, []string{"ether1", "ether2"}, base+line))
		if len(got) == 0 || !strings.Contains(got[len(got)-1], "bad command name vendor-class-id") {
			t.Errorf("%s took /ip dhcp-server vendor-class-id: %v", ver, got)
		}
	}
}

// An ISP's 6.47.10 to 6.49.8 routers (an RB1100AHx4, an RB450Gx4, an
// RB750Gr3, a CHR) dial their OVPN clients with "use-peer-dns=no": it was
// "bad parameter use-peer-dns" on 6, and the interface list members naming
// the client were refused after it.
func TestH49OVPNClientUsePeerDNSV6(t *testing.T) {
	src := "/interface ovpn-client\nadd certificate=c.crt_0 cipher=aes256 comment=VPN connect-to=192.0.2.1 name=vpn-out password=p use-peer-dns=no user=u\n" +
		"/interface list\nadd name=VPN\n/interface list member\nadd interface=vpn-out list=VPN\n"
	if got := refusedLines(validateShape("6.48.6", []string{"ether1"}, src)); len(got) != 0 {
		t.Fatalf("refused: %v", got)
	}
	r := runShape(t, "6.49.8", []string{"ether1"}, src)
	if exp := body(r.Export()); !strings.Contains(exp, "use-peer-dns=no") {
		t.Errorf("export lacks use-peer-dns=no:\n%s", exp)
	}
	if got := refusedLines(validateShape("6.48.6", []string{"ether1"}, strings.Replace(src, "use-peer-dns=no", "use-peer-dns=maybe", 1))); len(got) == 0 {
		t.Error("use-peer-dns=maybe was taken")
	}
}

// The same ISP's 6.48.6 and 6.49.8 routers put the simple queues their DHCP
// servers make for leases in place: "add add-arp=yes address-pool=pool
// insert-queue-before=aty interface=lan-rumah ... name=dhcp1
// parent-queue=\"--------ALL TRAFIK--------\"". Both were "bad parameter" on
// 6, and every lease and vendor class of the server was refused after it
// (19 lines of one export). rosemu makes no queue for a lease: stored.
func TestH49DHCPServerQueuesV6(t *testing.T) {
	src := "/queue simple\nadd max-limit=10M/10M name=aty target=192.0.2.26/32\nadd max-limit=1G/1G name=\"--------ALL TRAFIK--------\" target=192.0.2.0/24\n" +
		"/ip pool\nadd name=pool ranges=192.0.2.100-192.0.2.200\n" +
		"/ip dhcp-server\nadd add-arp=yes address-pool=pool disabled=no insert-queue-before=aty interface=ether2 lease-time=1m30s name=dhcp1 parent-queue=\"--------ALL TRAFIK--------\"\n" +
		"/ip dhcp-server lease\nadd address=192.0.2.26 client-id=1:b0:4e:26:9e:5c:79 comment=aty mac-address=B0:4E:26:9E:5C:79 server=dhcp1\n" +
		"/ip dhcp-server vendor-class-id\nadd disabled=yes name=\"Android 4.2\" server=dhcp1 vid=dhcpcd-5.5.6\n"
	v := validateShape("6.49.8", []string{"ether1", "ether2"}, src)
	if got := refusedLines(v); len(got) != 0 {
		t.Fatalf("refused: %v", got)
	}
	r := runShape(t, "6.49.8", []string{"ether1", "ether2"}, src)
	exp := unwrapExport(body(r.Export()))
	for _, want := range []string{"insert-queue-before=aty", "parent-queue=\"--------ALL TRAFIK--------\"", "name=\"Android 4.2\" server=dhcp1 vid=dhcpcd-5.5.6"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %s:\n%s", want, exp)
		}
	}
	// The server still has to exist.
	if got := refusedLines(validateShape("6.49.8", []string{"ether1", "ether2"}, strings.Replace(src, "name=dhcp1 parent", "name=dhcp9 parent", 1))); len(got) < 2 {
		t.Errorf("leases of a missing server were taken: %v", got)
	}
}

// A 6.48.6 RB750Gr3 export keeps an ARP entry with no MAC address:
// "/ip arp add address=192.168.66.14 interface=lan" was "mac-address not
// specified". RouterOS's default is 00:00:00:00:00:00, which an export
// leaves out; the address and interface stay required.
func TestH49ARPWithoutMAC(t *testing.T) {
	src := "/ip arp\nadd address=192.0.2.14 interface=ether2\n"
	r := runShape(t, "6.48.6", []string{"ether1", "ether2"}, src)
	if exp := body(r.Export()); !strings.Contains(exp, "/ip arp\nadd address=192.0.2.14 interface=ether2\n") {
		t.Errorf("export:\n%s", exp)
	}
	for _, bad := range []string{"add interface=ether2\n", "add address=192.0.2.15\n", "add address=192.0.2.16 interface=ether2 mac-address=zz\n"} {
		if len(refusedLines(validateShape("7.16.2", []string{"ether1", "ether2"}, "/ip arp\n"+bad))) != 1 {
			t.Errorf("%q was taken", bad)
		}
	}
}

// A 7.19.4 CCR2004's iBGP sessions carry the VPLS NLRI length format:
// "/routing bgp connection add cisco-vpls-nlri-len-fmt=auto-bits connect=yes
// listen=yes local.address=10.1.1.1 .role=ibgp ... templates=default" was
// "bad parameter cisco-vpls-nlri-len-fmt". Stored as the rest of BGP; the
// manual's four values only.
func TestH49BGPCiscoVPLSNLRILenFmt(t *testing.T) {
	src := "/routing bgp connection\nadd cisco-vpls-nlri-len-fmt=auto-bits connect=yes listen=yes local.address=10.1.1.1 .role=ibgp multihop=yes name=CR7 remote.address=10.2.0.107 .as=64512 .port=179 templates=default\n" +
		"/routing bgp template\nset default cisco-vpls-nlri-len-fmt=bytes\n"
	r := runShape(t, "7.19.4", []string{"ether1"}, src)
	exp := unwrapExport(body(r.Export()))
	for _, want := range []string{"cisco-vpls-nlri-len-fmt=auto-bits", "cisco-vpls-nlri-len-fmt=bytes"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %s:\n%s", want, exp)
		}
	}
	if got := refusedLines(validateShape("7.19.4", []string{"ether1"}, strings.Replace(src, "auto-bits", "nibbles", 1))); len(got) != 1 {
		t.Errorf("cisco-vpls-nlri-len-fmt=nibbles: %v", got)
	}
}

// A 7.8 CHR export names its own disk disk1 ("/disk set disk1
// slot=disk1"), where 7.9 and later write slot1: it was "no such item". A
// name that is neither a CHR disk nor added stays unknown.
func TestH49CHRDiskNamedDisk1(t *testing.T) {
	v := validateShape("7.8", []string{"ether1"}, "/disk\nset disk1 slot=disk1\n")
	if got := refusedLines(v); len(got) != 0 {
		t.Fatalf("refused: %v", got)
	}
	for _, bad := range []string{"set diskx slot=diskx\n", "set disk12345 slot=disk12345\n", "set data1 slot=data1\n"} {
		if got := refusedLines(validateShape("7.8", []string{"ether1"}, "/disk\n"+bad)); len(got) != 1 || !strings.Contains(got[0], "no such item") {
			t.Errorf("%q: %v", bad, got)
		}
	}
}

// A 6.49.7 hAP lite verbose export ("export verbose") writes every
// property, unset ones as "!name": 30 of its lines were refused. The
// firewall's "!routing-table", a route's "!bgp-as-path ... !check-gateway
// ... !route-tag !routing-mark", the port controller and extender menus,
// neighbour discovery's protocol and lldp-med-net-policy-vlan, SOCKS's
// auth-method and its access rules' unset matchers, traffic-flow's
// sampling and /mpls allow-fast-path all exist in 6.49.
func TestH49Verbose6497(t *testing.T) {
	src := `/interface bridge
add name=bridge
/interface bridge port-controller
# disabled
set bridge=none cascade-ports="" switch=none
/interface bridge port-extender
# disabled
set control-ports="" excluded-ports="" switch=none
/ip neighbor discovery-settings
set discover-interface-list=none lldp-med-net-policy-vlan=disabled protocol=cdp,lldp,mndp
/ip firewall filter
add action=accept chain=input !connection-bytes !connection-limit disabled=no dst-port=8080 !routing-mark !routing-table protocol=tcp src-address=192.0.2.42 !tls-host !ttl
/ip route
add !bgp-as-path !bgp-atomic-aggregate !bgp-communities !bgp-local-pref !bgp-med !bgp-origin !bgp-prepend !check-gateway disabled=no distance=1 dst-address=0.0.0.0/0 gateway=192.0.2.1 !route-tag !routing-mark scope=30 target-scope=10
/ip address
add address=192.0.2.2/24 interface=ether1 network=192.0.2.0
/ip socks
set auth-method=none connection-idle-timeout=2m enabled=no max-connections=200 port=1 version=4
/ip socks access
add action=deny disabled=no !dst-address !dst-port src-address=!198.51.100.128/25 !src-port
/ip traffic-flow
set active-flow-timeout=30m cache-entries=32k enabled=no inactive-flow-timeout=15s interfaces=all packet-sampling=no sampling-interval=0 sampling-space=0
/mpls
set allow-fast-path=yes dynamic-label-range=16-1048575 propagate-ttl=yes
`
	if got := refusedLines(validateShape("6.49.7", []string{"ether1"}, src)); len(got) != 0 {
		t.Fatalf("refused: %v", got)
	}
	r := runShape(t, "6.49.7", []string{"ether1"}, src)
	def := false
	for _, rt := range r.State().Routes {
		if rt.Dst.String() == "0.0.0.0/0" && rt.Gateway == "192.0.2.1" {
			def = rt.Table == "" || rt.Table == "main"
		}
	}
	if !def {
		t.Errorf("the default route is not in main: %+v", r.State().Routes)
	}
	// A route that sets a BGP attribute keeps it; a value outside the
	// manual's is refused.
	bgp := "/ip route\nadd bgp-origin=igp bgp-prepend=3 dst-address=198.51.100.0/24 gateway=192.0.2.1 route-tag=7\n"
	r2 := runShape(t, "6.49.7", []string{"ether1"}, "/ip address\nadd address=192.0.2.2/24 interface=ether1\n"+bgp)
	if exp := body(r2.Export()); !strings.Contains(exp, "bgp-origin=igp bgp-prepend=3") || !strings.Contains(exp, "route-tag=7") {
		t.Errorf("export:\n%s", exp)
	}
	if got := refusedLines(validateShape("6.49.7", []string{"ether1"}, "/ip route\nadd bgp-origin=ospf dst-address=198.51.100.0/24 gateway=192.0.2.1\n")); len(got) != 1 {
		t.Errorf("bgp-origin=ospf: %v", got)
	}
	// The settings come back in the export.
	pc := runShape(t, "7.16.2", []string{"ether1", "ether2"}, "/interface bridge\nadd name=bridge\n/interface bridge port-controller\nset bridge=bridge cascade-ports=ether2 switch=switch1\n")
	if exp := body(pc.Export()); !strings.Contains(exp, "/interface bridge port-controller\nset bridge=bridge cascade-ports=ether2 switch=switch1\n") {
		t.Errorf("export:\n%s", exp)
	}
	// RouterOS 7 has neither a route's BGP attributes nor the
	// firewall's routing-table; the port controller it has, and a bridge
	// it names must exist.
	if got := refusedLines(validateShape("7.16.2", []string{"ether1"}, "/interface bridge port-controller\nset bridge=bridge9\n")); len(got) != 1 {
		t.Errorf("a port controller on a missing bridge: %v", got)
	}
	for _, line := range []string{
		"/ip route\nadd bgp-med=5 dst-address=198.51.100.0/24 gateway=192.0.2.1\n",
		"/ip firewall filter\nadd chain=input !routing-table\n",
	} {
		if len(refusedLines(validateShape("7.16.2", []string{"ether1"}, "/ip address\nadd address=192.0.2.2/24 interface=ether1\n"+line))) == 0 {
			t.Errorf("7.16.2 took %q", line)
		}
	}
}
