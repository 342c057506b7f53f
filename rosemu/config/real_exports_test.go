package config

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// realShapes are lines shaped like those of real v7 exports of small
// office and home-lab routers (VRRP on VLANs, containers, OSPF with
// filters, RADIUS, TFTP, layer-7 patterns): each menu is stored and
// reported, none refused.
const realShapes = `/interface bridge
add name=br-lan vlan-filtering=yes
/interface 6to4
add comment=he-tunnel !keepalive local-address=198.51.100.7 mtu=1480 name=sit1 remote-address=203.0.113.9
/interface l2tp-server
add name=l2tp-branch user=branch1
/interface veth
add address=172.18.0.2/24 gateway=172.18.0.1 gateway6="" name=veth-dns
/interface macvlan
add interface=ether1 mac-address=02:11:22:33:44:55 name=macvlan-isp2
/interface vlan
add interface=br-lan name=vlan10 vlan-id=10
/interface vrrp
add group-authority=self interface=vlan10 name=vrrp10 priority=200 version=2 vrid=10
/container mounts
add dst=/etc/dns name=dns-etc src=/usb1/dns
/container envs
add key=TZ list=dns-env value=Europe/Berlin
/disk
add slot=scratch tmpfs-max-size=64000000 type=tmpfs
/routing table
add fib name=via-isp2
/routing id
add id=10.255.0.1 name=rid-main select-dynamic-id=""
/routing ospf instance
add disabled=no in-filter-chain=ospf-in name=ospf-v2 originate-default=always redistribute="" router-id=rid-main routing-table=via-isp2
/routing ospf area
add disabled=no instance=ospf-v2 name=backbone
add area-id=0.0.0.1 default-cost=10 disabled=no instance=ospf-v2 name=stub1 no-summaries type=stub
/ip address
add address=10.10.10.1/24 interface=vlan10 network=10.10.10.0
add address=10.10.10.254 interface=vrrp10 network=10.10.10.254
/ip firewall layer7-protocol
add name=speedtest regexp="^.+(speedtest).*\$"
/ip firewall connection tracking
set udp-timeout=30s
/ip firewall filter
add action=drop chain=forward layer7-protocol=speedtest
/ip accounting
set enabled=yes threshold=300
/ip tftp
add real-filename=/boot/ipxe.efi req-filename=ipxe.efi
/ip tftp settings
set max-block-size=8192
/radius
add address=10.10.10.5 secret=s3cret service=ppp,login timeout=1s
/radius incoming
set accept=yes
/routing bfd configuration
add disabled=no interfaces=all min-rx=300ms min-tx=300ms multiplier=3
/routing ospf interface-template
add area=backbone disabled=no interfaces=vlan10 networks=10.10.10.0/24 passive
add area=stub1 disabled=no interfaces=l2tp-branch type=ptp
/container
add envlists=dns-env interface=veth-dns logging=yes mounts=dns-etc remote-image=example/dns:latest root-dir=/usb1/dns-root start-on-boot=yes
/container config
set registry-url=https://registry-1.docker.io tmpdir=/usb1/pull
/disk settings
set auto-media-interface=br-lan
/tool sniffer
set filter-port=dns streaming-enabled=yes streaming-server=10.10.10.5
`

func TestRealExportShapes(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.18.2"})
	if _, err := r.Run(context.Background(), realShapes); err != nil {
		t.Fatal(err)
	}
	exp := body(r.Export())
	for _, want := range []string{
		"/interface vrrp\nadd group-authority=self interface=vlan10 name=vrrp10 priority=200",
		"add area=backbone disabled=no interfaces=vlan10 networks=10.10.10.0/24 \\\n    passive\n",
		`!keepalive local-address=198.51.100.7`,
		"/ip firewall connection tracking\nset udp-timeout=30s\n",
	} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %q:\n%s", want, exp)
		}
	}
	if strings.Index(exp, "/interface vlan\n") > strings.Index(exp, "/interface vrrp\n") {
		t.Errorf("VRRP exported before the VLAN it runs on:\n%s", exp)
	}
	r2 := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.18.2"})
	if _, err := r2.Run(context.Background(), exp); err != nil {
		t.Fatalf("re-import: %v\n%s", err, exp)
	}
	if got := body(r2.Export()); got != exp {
		t.Errorf("re-import differs:\n%s\nwant\n%s", got, exp)
	}
	reported := map[string]bool{}
	for _, n := range r.NotEnforced() {
		reported[n.Path] = true
	}
	// /interface l2tp-server is not in the list: the L2TP server's sessions take a binding's name (f64).
	for _, p := range []string{"/interface veth", "/interface macvlan", "/interface 6to4",
		"/container", "/container mounts", "/container envs", "/container config", "/disk", "/disk settings",
		"/routing ospf instance", "/routing ospf area", "/routing ospf interface-template", "/routing bfd configuration",
		"/radius", "/radius incoming", "/ip firewall layer7-protocol", "/ip accounting", "/ip tftp", "/ip tftp settings", "/tool sniffer"} {
		if !reported[p] {
			t.Errorf("%s not reported as not enforced", p)
		}
	}
	// The VRRP interface runs: the address on it is the kernel's.
	if reported["/ip address"] {
		t.Errorf("the address on the run VRRP interface is reported as not enforced: %v", r.NotEnforced())
	}
}

// TestRealExportShapesRefused: the stored menus still check what they
// name, in RouterOS's words, and add's "!name" is only for properties
// that have something to unset.
func TestRealExportShapesRefused(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"/routing ospf area add instance=nope name=a", "input does not match any value of instance (line 1 column 24)"},
		{"/routing ospf instance add name=i\n/routing ospf area add instance=i name=a\n/routing ospf interface-template add area=a interfaces=ether9", "input does not match any value of interfaces (line 3 column 45)"},
		{"/interface vrrp add interface=ether9 name=v1", "input does not match any value of interface (line 1 column 21)"},
		{"/interface vrrp add interface=ether1 name=v1 priority=255", "invalid value for argument priority (line 1 column 46)"},
		{"/container add interface=ether1 remote-image=x", "input does not match any value of interface (line 1 column 16)"},
		{"/interface veth add name=ether1", "failure: already have interface with such name (line 1 column 21)"},
		{"/interface gre add !name remote-address=10.0.0.1", "expected end of command (line 1 column 20)"},
		{"/ip firewall connection tracking set udp-timeout=soon", "invalid value for argument udp-timeout (line 1 column 38)"},
	} {
		r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.18.2"})
		_, err := r.Run(context.Background(), c.src)
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: %v, want %q", c.src, err, c.want)
		}
	}
}

// TestStoredParentsStayOutOfKernel: a VLAN on a VRRP interface and a
// container's veth in a bridge are stored like their parents: the kernel
// gets neither (it has no such link), and the address on the VLAN is
// reported, while the VLAN on a real port still reaches the kernel.
func TestStoredParentsStayOutOfKernel(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.18.2"})
	src := `/interface bridge add name=containers
/interface veth add address=172.18.0.2/24 gateway=172.18.0.1 name=veth1
/interface vrrp add interface=ether2 name=vrrp1
/interface vlan add interface=vrrp1 name=vlan-on-vrrp vlan-id=10
/interface vlan add interface=ether2 name=vlan-on-port vlan-id=20
/interface bridge port add bridge=containers interface=veth1
/interface bridge port add bridge=containers interface=ether1
/ip address add address=10.0.10.1/24 interface=vlan-on-vrrp
/ip address add address=10.0.20.1/24 interface=vlan-on-port
`
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	s := r.State()
	var vlans []string
	for _, v := range s.VLANs {
		vlans = append(vlans, v.Name)
	}
	if strings.Join(vlans, ",") != "vlan-on-port" {
		t.Errorf("kernel VLANs %v, want only vlan-on-port", vlans)
	}
	for _, b := range s.Bridges {
		for _, p := range b.Ports {
			if p.Interface == "veth1" {
				t.Error("the veth reached the kernel's bridge")
			}
		}
	}
	for _, a := range s.Addresses {
		if a.Interface == "vlan-on-vrrp" {
			t.Error("the address on the VLAN over VRRP reached the kernel")
		}
	}
	found := false
	for _, n := range r.NotEnforced() {
		if n.Path == "/ip address" && n.Property == "interface" && n.Count == 1 {
			found = true
		}
	}
	if !found {
		t.Errorf("the address on the VLAN over VRRP is not reported: %v", r.NotEnforced())
	}
}

// TestHomeExportShapes: kid-control, DNS forwarders, DHCP matchers, the
// hotspot and fasttrack's hw-offload as real 7.x home and small-business
// exports write them.
func TestHomeExportShapes(t *testing.T) {
	src := `/interface bridge
add name=bridge
/ip pool
add name=lan ranges=192.168.50.10-192.168.50.200
add name=phones ranges=192.168.50.201-192.168.50.250
/ip dhcp-server
add address-pool=lan interface=bridge lease-time=1d name=lan-dhcp use-reconfigure=yes
/ip hotspot profile
add hotspot-address=192.168.50.1 login-by=http-chap,mac-cookie name=guests
/ip hotspot
add address-pool=lan disabled=no interface=bridge name=hs1 profile=guests
/ip dhcp-server matcher
add address-pool=phones code=60 name=android server=lan-dhcp value=android-dhcp
/ip dns
set allow-remote-requests=yes
/ip dns forwarders
add doh-servers=https://dns.example.net/dns-query name=doh1 verify-doh-cert=no
/ip address
add address=192.168.50.1/24 interface=bridge network=192.168.50.0
/ip dhcp-client
add default-route-tables=main interface=ether1
/ip dhcp-server network
add address=192.168.50.0/24 caps-manager=192.168.50.1 gateway=192.168.50.1
/ip firewall filter
add action=fasttrack-connection chain=forward comment="defconf: fasttrack" connection-state=established,related hw-offload=yes
/ip hotspot user
add name=guest1 password=pw1 profile=default
/ip hotspot ip-binding
add mac-address=02:00:00:00:00:0A type=bypassed
/ip hotspot walled-garden
add dst-host=*.example.org
/ip hotspot walled-garden ip
add action=accept dst-address=192.0.2.10
/ip kid-control
add fri=0s-1d mon=16h-20h name=kids rate-limit=2M
/ip kid-control device
add mac-address=02:00:00:00:00:0B name=tablet user=kids
`
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.19"})
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	exp := body(r.Export())
	r2 := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.19"})
	if _, err := r2.Run(context.Background(), exp); err != nil {
		t.Fatalf("re-import: %v\n%s", err, exp)
	}
	if got := body(r2.Export()); got != exp {
		t.Errorf("re-import differs:\n%s\nwant\n%s", got, exp)
	}
	reported := map[string]bool{}
	for _, n := range r.NotEnforced() {
		reported[n.Path+" "+n.Property] = true
	}
	for _, p := range []string{"/ip kid-control ", "/ip kid-control device ", "/ip dns forwarders doh-servers", "/ip dhcp-server matcher ",
		"/ip hotspot address-pool", "/ip hotspot profile login-by",
		"/ip firewall filter hw-offload", "/ip dhcp-server use-reconfigure", "/ip dhcp-server network caps-manager"} {
		if !reported[p] {
			t.Errorf("%q not reported: %v", p, r.NotEnforced())
		}
	}
	// rosemu's hotspot runs the server, its user, its walled-garden
	// entries and the binding by MAC (hotspot.go): they are not reported.
	for _, p := range []string{"/ip hotspot ", "/ip hotspot user ", "/ip hotspot walled-garden ", "/ip hotspot walled-garden ip ", "/ip hotspot ip-binding mac-address"} {
		if reported[p] {
			t.Errorf("%q reported", p)
		}
	}
	for _, c := range []struct{ src, want string }{
		{"/ip kid-control add name=k mon=16h", "invalid value for argument mon (line 1 column 28)"},
		{"/ip kid-control device add name=d user=nobody", "input does not match any value of user (line 1 column 35)"},
		{"/ip hotspot add interface=ether9 name=h", "input does not match any value of interface (line 1 column 17)"},
		{"/ip firewall filter add action=fasttrack-connection chain=forward hw-offload=maybe", "invalid value for argument hw-offload (line 1 column 67)"},
	} {
		r := New(Options{Ports: []string{"ether1"}, Version: "7.19"})
		if _, err := r.Run(context.Background(), c.src); err == nil || err.Error() != c.want {
			t.Errorf("%q: %v, want %q", c.src, err, c.want)
		}
	}
	// RouterOS 6 has no hw-offload.
	r6 := New(Options{Ports: []string{"ether1"}, Version: "6.49.15"})
	if _, err := r6.Run(context.Background(), "/ip firewall filter add action=fasttrack-connection chain=forward hw-offload=yes"); err == nil {
		t.Error("6.49 accepted hw-offload")
	}
}

// TestBGPDottedParams: RouterOS 7 exports write BGP's dotted properties
// with the prefix left out after the first ("local.address=... .role=");
// the parser expands them, an unknown dotted name is refused, and the
// upgrade's default template is changed by name.
func TestBGPDottedParams(t *testing.T) {
	src := `/routing bgp template
set default as=65010 disabled=no output.network=bgp-nets
/routing bgp connection
add as=65010 local.address=10.9.0.1 .role=ebgp multihop=yes name=upstream output.default-originate=never .remove-private-as=yes remote.address=10.9.0.2/32 .as=64500 templates=default
/routing filter rule
add chain=bgp-in rule="if (dst-len > 24) { reject; } else { accept; }"
`
	r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	out := run(t, r, ":put [/routing bgp connection get [find name=upstream] local.role]; :put [/routing bgp connection get [find name=upstream] remote.as]; :put [/routing bgp template get default output.network]")
	if out != "ebgp\n64500\nbgp-nets\n" {
		t.Errorf("got %q", out)
	}
	exp := body(r.Export())
	r2 := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	if _, err := r2.Run(context.Background(), exp); err != nil {
		t.Fatalf("re-import: %v\n%s", err, exp)
	}
	if got := body(r2.Export()); got != exp {
		t.Errorf("re-import differs:\n%s\nwant\n%s", got, exp)
	}
	_, err := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"}).Run(context.Background(), "/routing bgp connection add name=x local.address=10.0.0.1 .colour=red")
	if err == nil || err.Error() != "expected end of command (line 1 column 59)" {
		t.Errorf("unknown dotted parameter: %v", err)
	}
}

// TestBuiltinGroupPolicy: real exports change the built-in groups'
// policies ("/user group set read policy=..."); the change is exported by
// the group's name and imports back, while renaming or removing a
// built-in group stays refused.
func TestBuiltinGroupPolicy(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "7.20"})
	if _, err := r.Run(context.Background(), "/user group set read policy=local,ssh,read,test,winbox,web,api,!telnet,!ftp,!reboot,!write,!policy,!password,!sniff,!sensitive,!romon,!rest-api"); err != nil {
		t.Fatal(err)
	}
	if got := run(t, r, ":put [/user group get read policy]"); got != "local,ssh,read,test,winbox,web,api,!telnet,!ftp,!reboot,!write,!policy,!password,!sniff,!sensitive,!romon,!rest-api\n" {
		t.Errorf("policy %q", got)
	}
	exp := body(r.Export())
	if !strings.Contains(exp, "/user group\nset read ") {
		t.Errorf("export:\n%s", exp)
	}
	r2 := New(Options{Ports: []string{"ether1"}, Version: "7.20"})
	if _, err := r2.Run(context.Background(), exp); err != nil || body(r2.Export()) != exp {
		t.Errorf("re-import: %v\n%s", err, body(r2.Export()))
	}
	for _, c := range []struct{ src, want string }{
		{"/user group set full name=boss", "failure: cannot change dynamic or builtin item (line 1 column 1)"},
		{"/user group remove write", "failure: cannot remove builtin (line 1 column 1)"},
	} {
		if _, err := r.Run(context.Background(), c.src); err == nil || err.Error() != c.want {
			t.Errorf("%q: %v, want %q", c.src, err, c.want)
		}
	}
}

// TestPPPoEServerMenu: a PPPoE access concentrator as ISP and forum
// configurations write it; a new service is disabled unless the line says
// disabled=no, and it must name an interface and an existing profile. The
// server is modelled (pppoe_server.go): only its stored settings are
// reported, here one-session-per-host's neighbour mrru.
func TestPPPoEServerMenu(t *testing.T) {
	src := `/ppp profile add local-address=10.50.0.1 name=subscribers remote-address=10.50.0.2
/interface pppoe-server server add default-profile=subscribers disabled=no interface=ether2 one-session-per-host=yes service-name=isp
/interface pppoe-server server add interface=ether1 service-name=spare mrru=1600
`
	for _, v := range []string{"6.49.15", "7.16.2"} {
		r := New(Options{Ports: []string{"ether1", "ether2"}, Version: v})
		if _, err := r.Run(context.Background(), src); err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if got := run(t, r, ":put [/interface pppoe-server server get [find service-name=spare] disabled]"); got != "true\n" {
			t.Errorf("%s: a new service's disabled = %q", v, got)
		}
		exp := body(r.Export())
		if !strings.Contains(exp, "disabled=no interface=ether2") {
			t.Errorf("%s: export:\n%s", v, exp)
		}
		found := false
		for _, n := range r.NotEnforced() {
			if n.Path == "/interface pppoe-server server" {
				found = n.Property == "mrru" && n.Count == 1
			}
		}
		if !found {
			t.Errorf("%s: not reported: %v", v, r.NotEnforced())
		}
	}
	for _, c := range []struct{ src, want string }{
		{"/interface pppoe-server server add interface=ether9", "input does not match any value of interface (line 1 column 36)"},
		{"/interface pppoe-server server add interface=ether1 default-profile=nope", "input does not match any value of default-profile (line 1 column 53)"},
	} {
		r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
		if _, err := r.Run(context.Background(), c.src); err == nil || err.Error() != c.want {
			t.Errorf("%q: %v, want %q", c.src, err, c.want)
		}
	}
}

// TestDNSForwarderNames: a static FWD entry may name an /ip dns
// forwarders entry (7.17+); the DNS service then asks the forwarder's
// dns-servers. A name that is neither a forwarder nor an address is
// refused.
func TestDNSForwarderNames(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "7.18.2"})
	src := `/ip dns forwarders add dns-servers=10.3.0.53,10.3.0.54 name=corp
/ip dns static add forward-to=corp match-subdomain=yes name=corp.example type=FWD
/ip dns static add address-list=vpn-sites forward-to=9.9.9.9 name=video.example type=FWD
`
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	c := r.DNS()
	if len(c.Static) != 2 || fmt.Sprint(c.Static[0].ForwardTo) != "[10.3.0.53 10.3.0.54]" {
		t.Errorf("static entries %+v", c.Static)
	}
	exp := body(r.Export())
	if !strings.Contains(exp, "forward-to=corp") {
		t.Errorf("export:\n%s", exp)
	}
	// address-list is enforced (dnslist.go): the entry hands it to the
	// DNS service and nothing reports it as stored.
	if c.Static[1].AddressList != "vpn-sites" {
		t.Errorf("the entry's address list: %+v", c.Static[1])
	}
	for _, n := range r.NotEnforced() {
		if n.Path == "/ip dns static" && n.Property == "address-list" {
			t.Errorf("address-list reported as stored: %v", n)
		}
	}
	_, err := New(Options{Ports: []string{"ether1"}, Version: "7.18.2"}).Run(context.Background(), "/ip dns static add forward-to=nowhere name=x.example type=FWD")
	if err == nil || err.Error() != "invalid value for argument forward-to (line 1 column 20)" {
		t.Errorf("unknown forwarder: %v", err)
	}
}

// TestDNSForwardersReport: an /ip dns forwarders entry with dns-servers
// only is enforced (a FWD entry naming it asks those servers), so neither
// validate nor the run's report calls it not enforced; doh-servers is
// (rosemu does not use DoH). Versions before 7.17 have no such menu and
// refuse it in RouterOS's words (forum28 D6: always "not enforced (DoH)",
// and taken on 6.49 and 7.16.2).
func TestDNSForwardersReport(t *testing.T) {
	src := "/ip dns forwarders add name=corp dns-servers=198.51.100.53\n/ip dns static add name=corp.example type=FWD forward-to=corp match-subdomain=yes\n"
	r := New(Options{Ports: []string{"ether1"}, Version: "7.17"})
	v := r.Validate(context.Background(), src, time.Second)
	if got, want := findings(v), []string{"1:1 accepted", "2:1 accepted"}; !slices.Equal(got, want) {
		t.Errorf("7.17 dns-servers only: %v, want %v", got, want)
	}
	for _, n := range r.NotEnforced() {
		if n.Path == "/ip dns forwarders" {
			t.Errorf("reported as not enforced: %v", n)
		}
	}
	r = New(Options{Ports: []string{"ether1"}, Version: "7.17"})
	v = r.Validate(context.Background(), "/ip dns forwarders add name=d doh-servers=https://dns.example.net/dns-query\n", time.Second)
	if got, want := findings(v), []string{"1:1 stored-not-enforced doh-servers: " + forwarderReason}; !slices.Equal(got, want) {
		t.Errorf("7.17 doh-servers: %v, want %v", got, want)
	}
	if n := r.NotEnforced(); len(n) != 1 || n[0].Path != "/ip dns forwarders" || n[0].Property != "doh-servers" {
		t.Errorf("doh-servers not reported: %v", n)
	}
	for _, ver := range []string{"6.49.18", "7.16.2"} {
		v := New(Options{Ports: []string{"ether1"}, Version: ver}).Validate(context.Background(), src, time.Second)
		if got := findings(v); len(got) == 0 || got[0] != "1:9 refused bad command name forwarders" {
			t.Errorf("%s: %v, want the menu refused", ver, got)
		}
	}
}

// TestCHRExportLines: lines every real CHR export of its version carries:
// "/port set 0 name=serial0" and "set 1 name=serial1" (a CHR has the two
// serial ports of its virtual machine) and, in
// RouterOS 6 and 7 before 7.13, the default wireless security profile.
// From 7.13 the wireless menu word is refused, as a CHR refuses it.
func TestCHRExportLines(t *testing.T) {
	src := `/interface wireless security-profiles
set [ find default=yes ] supplicant-identity=MikroTik
/port
set 0 name=serial0
set 1 name=serial1
`
	for _, c := range []struct{ version, want string }{
		{"6.48.7", ""},
		{"7.10.1", ""},
		{"7.12.1", ""},
		{"7.13", "bad command name wireless (line 1 column 12)"},
		{"7.18.2", "bad command name wireless (line 1 column 12)"},
	} {
		r := New(Options{Ports: []string{"ether1"}, Version: c.version})
		_, err := r.Run(context.Background(), src)
		if got := fmt.Sprint(err); (c.want == "" && err != nil) || (c.want != "" && got != c.want) {
			t.Errorf("%s: %v, want %q", c.version, err, c.want)
		}
	}
	r := New(Options{Ports: []string{"ether1"}, Version: "7.18.2"})
	if _, err := r.Run(context.Background(), "/port set 0 name=serial0 baud-rate=9600"); err != nil {
		t.Fatal(err)
	}
	if exp := body(r.Export()); !strings.Contains(exp, "/port\nset 0 baud-rate=9600\n") {
		t.Errorf("export:\n%s", exp)
	}
	if _, err := r.Run(context.Background(), "/port set 2 name=usb1"); err == nil || err.Error() != "no such item (line 1 column 1)" {
		t.Errorf("third serial port: %v", err)
	}
}

// TestV6DynamicRouting: RouterOS 6's OSPF and BGP as v6 exports write
// them (the built-in instance "default" and area "backbone", networks,
// interfaces, peers, /routing filter) are stored; RouterOS 7 refuses the
// v6 menu words and has no built-in OSPF instance.
func TestV6DynamicRouting(t *testing.T) {
	src := `/routing bgp instance
set default as=65001 router-id=10.0.0.1
/routing ospf instance
set [ find default=yes ] redistribute-connected=as-type-1 router-id=10.0.0.1
/routing ospf area
add area-id=0.0.0.5 name=branch
/routing bgp peer
add name=isp remote-address=10.0.0.2 remote-as=65000
/routing filter
add action=accept chain=ospf-in prefix=10.0.0.0/8 prefix-length=8-32
/routing ospf interface
add interface=ether1 network-type=point-to-point passive=yes
/routing ospf network
add area=backbone network=10.0.0.0/24
add area=branch network=10.5.0.0/24
`
	r := New(Options{Ports: []string{"ether1"}, Version: "6.49.13"})
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	exp := body(r.Export())
	r2 := New(Options{Ports: []string{"ether1"}, Version: "6.49.13"})
	if _, err := r2.Run(context.Background(), exp); err != nil || body(r2.Export()) != exp {
		t.Errorf("re-import: %v\n%s\nwant\n%s", err, body(r2.Export()), exp)
	}
	if _, err := r.Run(context.Background(), "/routing ospf network add area=nowhere network=10.9.0.0/24"); err == nil || err.Error() != "input does not match any value of area (line 1 column 27)" {
		t.Errorf("unknown area: %v", err)
	}
	r7 := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	if _, err := r7.Run(context.Background(), "/routing ospf network add network=10.0.0.0/24"); err == nil || err.Error() != "bad command name network (line 1 column 15)" {
		t.Errorf("7.16 ospf network: %v", err)
	}
	if got := run(t, r7, ":put [:len [/routing ospf instance find]]"); got != "0\n" {
		t.Errorf("7.16 has %q OSPF instances", got)
	}
}
