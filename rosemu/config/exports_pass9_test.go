package config

import (
	"context"
	"strings"
	"testing"
)

// Shapes of the ninth pass (helper h27): lines of public exports and
// scripts (6.38 to 7.22) that rosemu refused and RouterOS takes.

// verdictOf returns the verdict of the finding whose text starts with
// prefix, and whether there is one.
func verdictOf(v *Validation, prefix string) (Verdict, bool) {
	for _, f := range v.Findings {
		if strings.HasPrefix(f.Text, prefix) {
			return f.Verdict, true
		}
	}
	return "", false
}

// exportRoundTrip checks that r's export holds want and that the router
// takes its own export back.
func exportRoundTrip(t *testing.T, ver string, ports []string, r *Router, want string) string {
	t.Helper()
	exp := r.Export()
	if want != "" && !strings.Contains(exp, want) {
		t.Errorf("%s: the export lacks %q:\n%s", ver, want, exp)
	}
	if refused := refusedLines(validateShape(ver, ports, exp)); len(refused) > 0 {
		t.Errorf("%s: its own export is refused: %q\n%s", ver, refused, exp)
	}
	return exp
}

// A container set-up script begins with "/system device-mode update
// container=yes": "bad command name device-mode" stopped it. The update
// is stored and reported (RouterOS waits for a button press rosemu cannot
// have); device-mode has no set, and RouterOS 6 has no device-mode.
func TestH27DeviceModeUpdate(t *testing.T) {
	src := "/system device-mode update container=yes activation-timeout=1m\n"
	v := validateShape("7.16.2", []string{"ether1"}, src)
	if refused := refusedLines(v); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	if got, _ := verdictOf(v, "/system device-mode update"); got != NotEnforced {
		t.Errorf("update verdict %v, want not enforced", got)
	}
	r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	out, err := r.Run(context.Background(), src+":put [/system device-mode get container]\n")
	if err != nil || !strings.Contains(out, "true") {
		t.Errorf("get container after the update: %q, %v", out, err)
	}
	if len(refusedLines(validateShape("7.16.2", []string{"ether1"}, "/system device-mode set container=yes\n"))) != 1 {
		t.Error("device-mode took set")
	}
	if len(refusedLines(validateShape("7.16.2", []string{"ether1"}, "/system device-mode update activation-timeout=soon\n"))) != 1 {
		t.Error("device-mode took activation-timeout=soon")
	}
	if len(refusedLines(validateShape("6.49.10", []string{"ether1"}, src))) != 1 {
		t.Error("6.49.10 took /system device-mode")
	}
}

// A 7.16.2 RB5009's DHCP server says where its leases' queues go:
// "add address-pool=default-dhcp insert-queue-before=*1 interface=bridge
// name=defconf" was "bad parameter insert-queue-before", and every lease,
// network and rule after it that named the server went with it.
func TestH27DHCPServerInsertQueueBefore(t *testing.T) {
	src := `/ip pool add name=default-dhcp ranges=192.168.88.10-192.168.88.254
/ip dhcp-server add address-pool=default-dhcp insert-queue-before=*1 interface=ether2 name=defconf
/ip dhcp-server lease add address=192.168.88.20 mac-address=02:00:00:00:00:20 server=defconf
`
	if refused := refusedLines(validateShape("7.16.2", []string{"ether1", "ether2"}, src)); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	r := runShape(t, "7.16.2", []string{"ether1", "ether2"}, src)
	if !hasNotEnforced(r, "/ip dhcp-server", "insert-queue-before") {
		t.Errorf("insert-queue-before not reported: %+v", r.NotEnforced())
	}
}

// HWMP+ meshes: "/interface mesh add name=mesh1" and "/interface mesh
// port add interface=wlan1 mesh=mesh1" (7.22.3 exports still write the
// port menu) were "bad command name mesh". The mesh is a stored interface;
// a port naming an interface that is not there (the export's interface=*22
// of a removed item) is refused as RouterOS refuses it.
func TestH27MeshInterface(t *testing.T) {
	src := `/interface mesh
add name=mesh1
/interface mesh port
add interface=ether2 mesh=mesh1
/ip address
add address=10.5.0.1/24 interface=mesh1 network=10.5.0.0
`
	for _, ver := range []string{"6.48.6", "7.22.3"} {
		if refused := refusedLines(validateShape(ver, []string{"ether1", "ether2"}, src)); len(refused) > 0 {
			t.Fatalf("%s refused: %q", ver, refused)
		}
		r := runShape(t, ver, []string{"ether1", "ether2"}, src)
		if !hasNotEnforced(r, "/interface mesh", "") || !hasNotEnforced(r, "/interface mesh port", "") {
			t.Errorf("%s: mesh not reported: %+v", ver, r.NotEnforced())
		}
		exportRoundTrip(t, ver, []string{"ether1", "ether2"}, r, "mesh=mesh1")
	}
	v := validateShape("7.22.3", []string{"ether1"}, "/interface mesh port\nadd interface=*22 mesh=*23\n")
	if refused := refusedLines(v); len(refused) != 1 || !strings.Contains(refused[0], "input does not match any value of interface") {
		t.Errorf("a port of removed items: %q", refused)
	}
}

// A 6.49.4 MPLS PE: RSVP-TE tunnel paths, a TE tunnel interface and the
// TE interfaces of the core links were "bad command name traffic-eng";
// the tunnel's address went with them. Stored and reported in RouterOS 6;
// a TE tunnel is disabled until disabled=no.
func TestH27V6TrafficEngineering(t *testing.T) {
	src := `/mpls traffic-eng tunnel-path
add name=To-PE2 record-route=yes
/interface traffic-eng
add bandwidth=100kbps disabled=no name=To-PE2 primary-path=To-PE2 \
    record-route=yes to-address=10.1.1.8
add name=spare to-address=10.1.1.9
/ip address
add address=10.9.9.1/30 interface=To-PE2 network=10.9.9.0
/mpls traffic-eng interface
add bandwidth=1Mbps interface=ether2
add interface=ether1
`
	ports := []string{"ether1", "ether2"}
	if refused := refusedLines(validateShape("6.49.4", ports, src)); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	r := runShape(t, "6.49.4", ports, src)
	for _, p := range []string{"/interface traffic-eng", "/mpls traffic-eng tunnel-path", "/mpls traffic-eng interface"} {
		if !hasNotEnforced(r, p, "") {
			t.Errorf("%s not reported: %+v", p, r.NotEnforced())
		}
	}
	if exp := exportRoundTrip(t, "6.49.4", ports, r, "disabled=no name=To-PE2"); !strings.Contains(exp, "name=spare") {
		t.Errorf("export:\n%s", exp)
	}
	if len(refusedLines(validateShape("6.49.4", ports, "/interface traffic-eng add name=t1 primary-path=nosuch\n"))) != 1 {
		t.Error("a TE tunnel took a path that is not there")
	}
	if len(refusedLines(validateShape("7.16.2", ports, "/mpls traffic-eng tunnel-path add name=p\n"))) == 0 {
		t.Error("7.16.2 took RouterOS 6's tunnel-path")
	}
}

// The same PE's BGP VPLS and the BGP side of its VRF:
// "/interface vpls bgp-vpls add ..." and "/routing bgp instance vrf add
// redistribute-other-bgp=yes routing-mark=..." were "bad command name".
func TestH27V6BgpVplsAndInstanceVrf(t *testing.T) {
	src := `/interface bridge
add name=bridge-vpls
/interface vpls bgp-vpls
add bridge=bridge-vpls bridge-horizon=101 export-route-targets=1:2 \
    import-route-targets=1:2 name=vpls route-distinguisher=1:2
/ip route vrf
add export-route-targets=100:1 import-route-targets=100:1 interfaces=\
    ether2 route-distinguisher=100:1 routing-mark="Client office 1"
/routing bgp instance vrf
add redistribute-other-bgp=yes routing-mark="Client office 1"
`
	ports := []string{"ether1", "ether2"}
	if refused := refusedLines(validateShape("6.49.4", ports, src)); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	r := runShape(t, "6.49.4", ports, src)
	if !hasNotEnforced(r, "/interface vpls bgp-vpls", "") || !hasNotEnforced(r, "/routing bgp instance vrf", "") {
		t.Errorf("not reported: %+v", r.NotEnforced())
	}
	if refused := refusedLines(validateShape("6.49.4", ports, "/routing bgp instance vrf add redistribute-static=yes\n")); len(refused) != 1 {
		t.Errorf("a VRF entry without routing-mark: %q", refused)
	}
}

// A 7.19.6 RB5009's router advertisements name their prefixes: "/ipv6 nd
// prefix add autonomous=no interface=bridge prefix=fd00:cafe::/64" was
// "bad command name add" (the menu had only its default settings). The
// prefixes are taken in 6 as in 7 and exported again; they go into the
// router advertisements of their interface (TestRAInterfaces).
func TestH27IPv6NDPrefix(t *testing.T) {
	src := `/ipv6 nd prefix
add autonomous=no interface=ether2 prefix=fd00:cafe::/64
add interface=ether2 prefix=2001:db8:80::/64 valid-lifetime=infinity
/ipv6 nd prefix default
set preferred-lifetime=1d
`
	ports := []string{"ether1", "ether2"}
	for _, ver := range []string{"6.48.6", "7.19.6"} {
		if refused := refusedLines(validateShape(ver, ports, src)); len(refused) > 0 {
			t.Fatalf("%s refused: %q", ver, refused)
		}
		r := runShape(t, ver, ports, src)
		exportRoundTrip(t, ver, ports, r, "add autonomous=no interface=ether2 prefix=fd00:cafe::/64")
	}
	if len(refusedLines(validateShape("7.19.6", ports, "/ipv6 nd prefix add interface=ether2 prefix=10.0.0.0/8\n"))) != 1 {
		t.Error("an IPv4 prefix was taken")
	}
}

// The same export's guest VLAN has no untagged port: "add bridge=bridge
// tagged=bridge,ether2 untagged=none vlan-ids=80" was "input does not
// match any value of untagged", and the VLAN was missing from the bridge.
// It is the empty list; RouterOS 6 has no such word.
func TestH27BridgeVLANUntaggedNone(t *testing.T) {
	src := `/interface bridge add name=bridge vlan-filtering=yes
/interface bridge port add bridge=bridge interface=ether2
/interface bridge vlan add bridge=bridge tagged=bridge,ether2 untagged=none vlan-ids=80
`
	ports := []string{"ether1", "ether2"}
	if refused := refusedLines(validateShape("7.19.6", ports, src)); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	r := runShape(t, "7.19.6", ports, src)
	s := r.State()
	if len(s.Bridges) != 1 || len(s.Bridges[0].VLANs) != 1 {
		t.Fatalf("bridges %+v", s.Bridges)
	}
	if v := s.Bridges[0].VLANs[0]; len(v.IDs) != 1 || v.IDs[0] != 80 || strings.Join(v.Tagged, ",") != "bridge,ether2" || len(v.Untagged) != 0 {
		t.Errorf("VLAN 80: %+v", v)
	}
	if len(refusedLines(validateShape("6.48.6", ports, src))) != 1 {
		t.Error("6.48.6 took untagged=none")
	}
}

// A 7.23.1 CRS328 authenticates its access ports by MAC address through
// RADIUS: "/interface dot1x server add auth-types=mac-auth
// interface=ether1" was "bad command name dot1x". Server and client are
// stored and reported (rosemu authenticates nobody and blocks no port);
// the server takes an interface list; 7.2's VLAN settings are refused by
// 7.1, the menus by 6.44.
func TestH27Dot1x(t *testing.T) {
	src := `/interface list add name=ACCESS
/interface list member add interface=ether3 list=ACCESS
/interface dot1x server
add auth-types=mac-auth interface=ether2
add auth-types=dot1x,mac-auth guest-vlan-id=99 interface=ACCESS reauth-timeout=1h
/interface dot1x client
add eap-methods=eap-peap identity=user1 interface=ether1 password=secret1
`
	ports := []string{"ether1", "ether2", "ether3"}
	if refused := refusedLines(validateShape("7.23.1", ports, src)); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	r := runShape(t, "7.23.1", ports, src)
	if !hasNotEnforced(r, "/interface dot1x server", "") || !hasNotEnforced(r, "/interface dot1x client", "") {
		t.Errorf("not reported: %+v", r.NotEnforced())
	}
	exportRoundTrip(t, "7.23.1", ports, r, "add auth-types=mac-auth interface=ether2")
	if refused := refusedLines(validateShape("7.1", ports, src)); len(refused) != 1 || !strings.Contains(refused[0], "guest-vlan-id") {
		t.Errorf("7.1: %q", refused)
	}
	// The commands under a menu 6.44 lacks are folded into the menu
	// line's refusal (one per block, TestValidateMenuBlock).
	if got := refusedLines(validateShape("6.44", ports, src)); len(got) != 2 {
		t.Errorf("6.44 took /interface dot1x: %q", got)
	}
	if len(refusedLines(validateShape("7.23.1", ports, "/interface dot1x server add auth-types=radius interface=ether2\n"))) != 1 {
		t.Error("auth-types=radius was taken")
	}
}

// A 7.x multicast lab joins a group on a CE's VLAN: "/routing gmp add
// disabled=no groups=239.0.0.1 interfaces=vlan201 sources=10.2.1.2" was
// "bad command name gmp". Stored and reported from 7.4, which brought the
// menu; exclude is a bare word.
func TestH27RoutingGMP(t *testing.T) {
	src := `/interface vlan add interface=ether2 name=vlan201 vlan-id=201
/routing gmp
add disabled=no groups=239.0.0.1 interfaces=vlan201 sources=10.2.1.2
add exclude groups=229.1.1.2,ff15::1 interfaces=all sources=10.2.1.3
`
	ports := []string{"ether1", "ether2"}
	if refused := refusedLines(validateShape("7.16.2", ports, src)); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	r := runShape(t, "7.16.2", ports, src)
	if !hasNotEnforced(r, "/routing gmp", "") {
		t.Errorf("not reported: %+v", r.NotEnforced())
	}
	exportRoundTrip(t, "7.16.2", ports, r, "exclude=yes")
	for _, ver := range []string{"7.3", "6.49.10"} {
		// One refusal: the lines under the menu are folded into it.
		if refused := refusedLines(validateShape(ver, ports, src)); len(refused) != 1 || !strings.Contains(refused[0], "bad command name gmp") {
			t.Errorf("%s: %q", ver, refused)
		}
	}
}

// A container autoheal script stops, repulls and starts each container
// ("/container\n:foreach ct in=[find] do={ ... stop $ct ... repull $ct
// ... start $ct }"): "bad command name stop" failed the whole script.
// The commands check their references and are reported as not enforced.
func TestH27ContainerStartStop(t *testing.T) {
	src := `/interface veth add address=172.17.0.2/24 gateway=172.17.0.1 name=veth1
/container add interface=veth1 name=bb remote-image=library/busybox:latest root-dir=disk1/bb
/container stop [find name=bb]
/container repull bb
/container start 0
/container
:foreach ct in=[find] do={ stop $ct; repull $ct; start $ct }
`
	v := validateShape("7.20.1", []string{"ether1"}, src)
	if refused := refusedLines(v); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	for _, verb := range []string{"stop", "repull", "start"} {
		if got, _ := verdictOf(v, "/container "+verb); got != NotEnforced {
			t.Errorf("%s: verdict %v, want not enforced", verb, got)
		}
	}
	if refused := refusedLines(validateShape("7.20.1", []string{"ether1"}, "/container start 5\n")); len(refused) != 1 || !strings.Contains(refused[0], "no such item") {
		t.Errorf("a container that is not there: %q", refused)
	}
}
