package config

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/files"
)

// Shapes of the seventh pass (helper h17): lines of public exports (7.12
// to 7.21, and 6.4x) that rosemu refused and RouterOS wrote.

// refusedLines returns the refused findings of a validation.
func refusedLines(v *Validation) []string {
	var out []string
	for _, f := range v.Findings {
		if f.Verdict == Refused {
			out = append(out, f.Text+": "+f.Msg)
		}
	}
	return out
}

// unwrapExport joins an export's continued lines.
func unwrapExport(s string) string { return strings.ReplaceAll(s, "\\\n    ", "") }

// A 7.20.8 EVPN/VXLAN leaf: "/routing bgp evpn add disabled=no
// export.route-targets=1104:1104 import.route-targets=1104:1104
// instance=... name=... vni=1104" was "bad command name evpn". Its
// disabled=no, given, stays in the export as in the router's own
// (realcheck37).
func TestH17BGPEVPN(t *testing.T) {
	src := `/routing bgp instance
add as=4200000601 name=inst1 router-id=10.255.0.11
/routing bgp evpn
add disabled=no export.route-targets=2104:2104 import.route-targets=2104:2104 instance=inst1 name=evpn-2104 vni=2104
`
	r := runShape(t, "7.20.8", []string{"ether1"}, src)
	exp := body(r.Export())
	if !strings.Contains(unwrapExport(exp), "/routing bgp evpn\nadd disabled=no export.route-targets=2104:2104 import.route-targets=2104:2104 instance=inst1 name=evpn-2104 vni=2104\n") {
		t.Errorf("export:\n%s", exp)
	}
	if got := body(runShape(t, "7.20.8", []string{"ether1"}, exp).Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
	if !hasNotEnforced(r, "/routing bgp evpn", "") {
		t.Errorf("not reported as stored")
	}
	if _, err := r.Run(context.Background(), "/routing bgp evpn add name=x vni=16777216"); err == nil {
		t.Errorf("a VNI past 24 bits was taken")
	}
}

// 7.2x container mounts are named by their list ("/container/mounts add
// list=blocky_mounts src=disk1/blocky/cache dst=/app/cache", "mode=ro");
// without name= they were refused as "name not specified". A mount with
// neither a name nor a list still is.
func TestH17ContainerMountList(t *testing.T) {
	src := "/container mounts\nadd dst=/etc/pihole list=ph src=/usb1/etc\nadd dst=/config list=ph mode=ro src=/usb1/cfg\nadd dst=/data name=data src=/disk1/data\n"
	r := runShape(t, "7.21.1", []string{"ether1"}, src)
	exp := body(r.Export())
	for _, want := range []string{"add dst=/etc/pihole list=ph src=/usb1/etc", "mode=ro", "name=data"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %q:\n%s", want, exp)
		}
	}
	if _, err := r.Run(context.Background(), "/container mounts add dst=/x src=/y"); err == nil || !strings.Contains(err.Error(), "name not specified") {
		t.Errorf("a mount without name or list: %v", err)
	}
}

// A 7.18.2 export's NTP server ".north-america.pool.ntp.org" (a name with
// an empty first label) was "invalid value for argument address".
func TestH17NTPServerName(t *testing.T) {
	r := runShape(t, "7.18.2", []string{"ether1"}, "/system ntp client servers\nadd address=.north-america.pool.ntp.org\nadd address=mx.pool.ntp.org\n")
	if exp := body(r.Export()); !strings.Contains(exp, "add address=.north-america.pool.ntp.org\n") {
		t.Errorf("export:\n%s", exp)
	}
	for _, bad := range []string{`"a b"`, "a,b", `""`} {
		if _, err := r.Run(context.Background(), "/system ntp client servers add address="+bad); err == nil {
			t.Errorf("address=%s was taken", bad)
		}
	}
}

// A 7.16.2 wAP's export starts with ":delay 25s": RouterOS waits and
// goes on; validate refused it as "interrupted" (each command has a
// two-second bound). It now returns at once.
func TestH17ValidateDelay(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	start := time.Now()
	v := r.Validate(context.Background(), ":delay 25s\n/ip address\nadd address=192.168.88.1/24 interface=ether1\n:retry command={ :error x } delay=20s max=2 on-error={}\n", 2*time.Second)
	if refused := refusedLines(v); len(refused) > 0 {
		t.Errorf("refused: %q", refused)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("validate waited %v", d)
	}
}

// A 7.19.6 verbose export: the built-in MACsec profile, and a DHCPv6
// binding written whole with the queue settings a lease has.
func TestH17VerboseMacsecAndBinding(t *testing.T) {
	src := `/interface macsec profile
set [ find default-name=default ] name=default server-priority=10
/ipv6 pool
add name=ula prefix=fd00:1::/64 prefix-length=128
/ipv6 dhcp-server
add address-pool=ula interface=ether1 name=ula-dhcp
/ipv6 dhcp-server binding
add address=fd00:1::36/128 address-lists="" !allow-dual-stack-queue dhcp-option="" disabled=no duid=0x48750ccae3a454a0f9f03492c0c30000 ia-type=na iaid=2138897477 !insert-queue-before life-time=3d !parent-queue prefix-pool=ula !queue-type server=ula-dhcp
`
	r := New(Options{Ports: []string{"ether1"}, Version: "7.19.6"})
	if refused := refusedLines(r.Validate(context.Background(), src, 2*time.Second)); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	r = runShape(t, "7.19.6", []string{"ether1"}, src+"/interface macsec profile\nset default server-priority=20\n")
	if exp := body(r.Export()); !strings.Contains(exp, "server-priority=20") || !strings.Contains(exp, "ia-type=na") {
		t.Errorf("export:\n%s", exp)
	}
	v6 := runShape(t, "6.49.10", []string{"ether1"}, "")
	if _, err := v6.Run(context.Background(), "/interface macsec profile print"); err == nil {
		t.Errorf("6 has /interface macsec profile")
	}
}

// "/tool traffic-generator packet-template add ip-dst=1.0.0.1-9.9.9.9
// ip-gateway=... ip-protocol=udp ip-src=... name=pt0" of a 7.14alpha
// CCR2216 export, and a 6.x "add header-stack=raw name=id raw-header=k",
// were "bad command name packet-template".
func TestH17TrafficGeneratorTemplate(t *testing.T) {
	src := `/tool traffic-generator port
add interface=ether1 name=port0
/tool traffic-generator packet-template
add ip-dst=198.18.0.1-198.18.9.9 ip-gateway=172.16.20.1 ip-protocol=udp ip-src=10.1.2.100 name=pt0
add header-stack=mac,ip,udp ip-dst=2.2.2.1/32 name=pt1 port=port0
`
	r := runShape(t, "7.14", []string{"ether1"}, src)
	exp := body(r.Export())
	if u := unwrapExport(exp); !strings.Contains(u, "name=pt0") || !strings.Contains(u, "ip-dst=2.2.2.1/32 name=pt1 port=port0") {
		t.Errorf("export:\n%s", exp)
	}
	if !hasNotEnforced(r, "/tool traffic-generator packet-template", "") {
		t.Errorf("not reported as stored")
	}
	runShape(t, "6.48.3", []string{"ether1"}, "/tool traffic-generator packet-template\nadd header-stack=raw name=id raw-header=k\n")
	if _, err := r.Run(context.Background(), "/tool traffic-generator packet-template add name=pt0"); err == nil {
		t.Errorf("a second pt0 was taken")
	}
}

// A 7.13.1 setup script (an export's header, then commands): "/file print
// file=KEY" makes KEY.txt, "/file set KEY.txt contents=..." fills it and
// "/user ssh-keys import user= public-key-file=KEY.txt" adds the key.
// validate refused the first two for want of a file store ("the router's
// files cannot be written here", then "no such item") and the import as
// "bad command name import".
func TestH17FilePrintAndKeyImport(t *testing.T) {
	src := `/user add name=op group=full password=x
/file print file="op-key"
/file set "op-key.txt" contents="ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0 op@lab.example"
/user ssh-keys import user=op public-key-file="op-key.txt"
/file add name=done.txt contents=1
`
	r := New(Options{Ports: []string{"ether1"}, Version: "7.13.1"})
	if refused := refusedLines(r.Validate(context.Background(), src, 2*time.Second)); len(refused) > 0 {
		t.Errorf("validate refused: %q", refused)
	}
	store := &files.Store{}
	r = New(Options{Ports: []string{"ether1"}, Version: "7.13.1", Files: store})
	run(t, r, src)
	if data, err := store.ReadFile("op-key.txt"); err != nil || !strings.HasPrefix(string(data), "ssh-rsa ") {
		t.Errorf("op-key.txt = %q, %v", data, err)
	}
	out := run(t, r, ":put [/user ssh-keys get [find user=op] key]")
	if !strings.Contains(out, "op@lab.example") {
		t.Errorf("imported key: %q", out)
	}
	if _, err := r.Run(context.Background(), "/user ssh-keys import user=op public-key-file=missing.txt"); err == nil {
		t.Errorf("a missing key file was imported")
	}
	if _, err := r.Run(context.Background(), "/user ssh-keys import user=nobody public-key-file=op-key.txt"); err == nil {
		t.Errorf("a key for a missing user was imported")
	}
	run(t, r, "/ip address print file=addr")
	if _, err := store.ReadFile("addr.txt"); err != nil {
		t.Errorf("print file=addr: %v", err)
	}
}

// MLAG of a 7.17 CRS317 ("/interface bridge mlag set priority=127"), a
// 7.19 verbose export's "set bridge=none heartbeat=5s peer-port=none
// priority=128" and a bond's mlag-id were "bad command name mlag" and
// "bad parameter mlag-id".
func TestH17MLAG(t *testing.T) {
	src := `/interface bridge mlag
set bridge=none heartbeat=5s peer-port=none priority=128
/interface bridge
add name=bridge1 vlan-filtering=yes
/interface bonding
add mlag-id=10 mode=802.3ad name=bond1 slaves=ether2
/interface bridge mlag
set bridge=bridge1 peer-port=ether3 priority=127
`
	r := runShape(t, "7.17", []string{"ether1", "ether2", "ether3"}, src)
	exp := body(r.Export())
	for _, want := range []string{"mlag-id=10", "/interface bridge mlag\nset bridge=bridge1 peer-port=ether3 priority=127\n"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %q:\n%s", want, exp)
		}
	}
	if _, err := r.Run(context.Background(), "/interface bridge mlag set peer-port=nosuch"); err == nil {
		t.Errorf("a peer port that does not exist was taken")
	}
	v6 := runShape(t, "6.49.10", []string{"ether1"}, "")
	if _, err := v6.Run(context.Background(), "/interface bridge mlag set priority=1"); err == nil {
		t.Errorf("6 has MLAG")
	}
}

// A 7.18 hardware-offloaded VXLAN leaf writes "checksum=no rem-csum=none
// ttl=auto" on its VXLAN interfaces; checksum was a bad parameter.
func TestH17VXLANChecksumTTL(t *testing.T) {
	src := "/interface vxlan\nadd checksum=yes local-address=192.168.1.1 name=vx1 rem-csum=both ttl=16 vni=10010 vtep-vrf=main\n/interface vxlan vteps\nadd interface=vx1 remote-ip=192.168.1.2\n"
	r := runShape(t, "7.18.2", []string{"ether1"}, src)
	if exp := unwrapExport(body(r.Export())); !strings.Contains(exp, "checksum=yes") || !strings.Contains(exp, "rem-csum=both") || !strings.Contains(exp, "ttl=16") {
		t.Errorf("export:\n%s", exp)
	}
	if _, err := r.Run(context.Background(), "/interface vxlan add name=vx2 vni=2 ttl=300"); err == nil {
		t.Errorf("ttl=300 was taken")
	}
}

// A 7.24.4 verbose export (hAP ac²): properties 7.2x added to menus rosemu
// has, written in every verbose export, were refused as bad parameters
// (27 lines of one export). The lines are taken and stored; a firewall
// rule's "!tos" is an unset matcher, and a rule that sets tos never
// matches (rosemu cannot match the ToS byte).
func TestH17Verbose724Properties(t *testing.T) {
	src := `/interface macsec profile
set [ find default-name=default ] ciphers=aes-gcm-128 name=default server-priority=10
/ip ipsec profile
set [ find default=yes ] ppk=no
/ipv6 dhcp-relay option
set client_mac code=79 name=client_mac only-if-mac-available=yes value="0x0001\$(CLIENT_MAC)"
/ppp profile
add address-list="" !bridge !dhcpv6-lease-time !dhcpv6-use-radius dns-server=192.168.10.1 !idle-timeout local-address=192.168.8.250 name=ovpn-profile !remote-ipv6-prefix-reuse use-encryption=yes
/queue type
add cake-bandwidth=0bps cake-diffserv=diffserv3 kind=cake name=cake-download
/system logging action
set 3 add-topics-string=no remote-log-format=syslog
/certificate settings
set builtin-trust-store=default crl-use=no
/console settings
set log-script-errors=yes tab-width=4
/interface bridge
add !dhcp-agent-circuit-id !dhcpv6-agent-circuit-id dhcpv6-snooping=no mlag-heartbeat=5s mlag-peer-port=none mlag-priority=128 name=bridge ra-guard=no
/interface bridge port
add bridge=bridge interface=ether2 trusted-dhcpv6=no trusted-ra=no
/ip neighbor discovery-settings
set add-dns-entries=no add-dns-entries-suffix=lan dying-gasp=no lldp-med=yes
/ip settings
set ipv4-fragment-time=3 ipv4-high-fragment-thresh=1024.0KiB
/ipv6 settings
set accept-router-advertisements-on=all
/interface detect-internet
set request-interval=2m
/ip dhcp-client
add interface=ether1 use-broadcast=both
/ip pool
add name=p1 ranges=192.168.10.50-192.168.10.100
/ip dhcp-server
add add-dns-entries-suffix=lan address-pool=p1 dynamic-lease-identifiers=client-mac,client-id interface=bridge name=dhcp1 support-broadband-tr101=no
/ip dhcp-server lease
add address=192.168.10.245 agent-circuit-id="" agent-remote-id="" mac-address=02:D8:61:A3:80:BF server=dhcp1
/interface wireguard
add listen-port=51820 name=wg-vpn
/interface wireguard peers
add allowed-address=10.0.0.3/32 client-allowed-address="" client-endpoint="" endpoint-address="" endpoint-port=0 interface=wg-vpn name=p1 public-key="RmVkb3JhRmVkb3JhRmVkb3JhRmVkb3JhRmVkb3JhRmU="
/ip firewall filter
add action=accept chain=input connection-state=established !tls-host !tos
/ipv6 firewall filter
add action=accept chain=forward !connection-nat-state !headers !nth !tos
/ipv6 nd
add interface=bridge !pref64 !dns
/ipv6 nd prefix default
set dhcp6-pd-preferred=no
/ipv6 nd settings
set router-advertisement-route-distance=1
/ppp secret
add !local-address name=rw profile=ovpn-profile !remote-address service=any
/queue simple
add max-limit=500M/750M name=q target=bridge !time
/routing settings
set check-gateway-ping-count=2 check-gateway-ping-interval=10s policy-rules=mangle,vrf-lookup,vrf-unreach,local,user,main
/system package update
set check-certificate=yes ip-version=auto mode=https
/system resource hardware usb-settings
set authorization=no
`
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.24.4"})
	if refused := refusedLines(r.Validate(context.Background(), src, 2*time.Second)); len(refused) > 0 {
		t.Fatalf("refused:\n%s", strings.Join(refused, "\n"))
	}
	r = runShape(t, "7.24.4", []string{"ether1", "ether2"}, src+"/ip firewall filter\nadd action=drop chain=forward tos=4\n")
	if !hasNotEnforced(r, "/ip firewall filter", "tos") {
		t.Errorf("a rule with tos= is not reported")
	}
	if _, err := r.Run(context.Background(), "/queue type add kind=cake name=c2 cake-bandwidth=lots"); err == nil {
		t.Errorf("cake-bandwidth=lots was taken")
	}
}

// A 6.48.1 verbose export writes the IPsec mode-config's
// use-responder-dns and an SSTP client's authentication=; both were
// refused on 6 as bad parameters.
func TestH17V648VerboseIPsecSSTP(t *testing.T) {
	src := `/ip ipsec mode-config
set [ find default=yes ] name=request-only responder=no use-responder-dns=exclusively
/interface sstp-client
add authentication=pap,chap,mschap1,mschap2 connect-to=198.51.100.121:443 name=sstp-out1 user=farm
`
	r := New(Options{Ports: []string{"ether1"}, Version: "6.48.1"})
	if refused := refusedLines(r.Validate(context.Background(), src, 2*time.Second)); len(refused) > 0 {
		t.Errorf("refused: %q", refused)
	}
}

// A hand-kept 7.6 configuration writes the DHCP server's
// allow-dual-stack-queue and client-mac-limit (DHCP Server properties of
// the manual); both were bad parameters.
func TestH17DHCPServerDualStackMACLimit(t *testing.T) {
	src := "/ip pool\nadd name=g ranges=10.128.0.2-10.128.1.255\n/ip dhcp-server\nadd add-arp=no address-pool=g allow-dual-stack-queue=no always-broadcast=no authoritative=yes client-mac-limit=unlimited conflict-detection=yes interface=ether1 lease-time=12h name=guest relay=0.0.0.0 use-radius=no\n"
	r := runShape(t, "7.6", []string{"ether1"}, src)
	if exp := unwrapExport(body(r.Export())); !strings.Contains(exp, "allow-dual-stack-queue=no") {
		t.Errorf("export:\n%s", exp)
	}
	if _, err := r.Run(context.Background(), "/ip dhcp-server set guest client-mac-limit=lots"); err == nil {
		t.Errorf("client-mac-limit=lots was taken")
	}
}

// A 7.22.1 export's DHCP lease script named a static entry after a
// client's host name with spaces in it ("Perfume genie 3.np..."), and the
// export writes it so; it was "invalid value for argument name". The
// name is kept as written.
func TestH17DNSStaticNameWithSpaces(t *testing.T) {
	src := "/ip dns static\nadd address=172.16.1.197 comment=\"DHCP lease for 02:51:DB:09:48:A4\" name=\"Perfume genie 3.np.home.example\" type=A\n"
	r := runShape(t, "7.22.1", []string{"ether1"}, src)
	if exp := unwrapExport(body(r.Export())); !strings.Contains(exp, `name="Perfume genie 3.np.home.example"`) {
		t.Errorf("export:\n%s", exp)
	}
	for _, bad := range []string{`" lead.example"`, "\"a\tb.example\""} {
		if _, err := r.Run(context.Background(), "/ip dns static add address=10.0.0.1 name="+bad); err == nil {
			t.Errorf("name=%s was taken", bad)
		}
	}
}

// A 7.22.1 export's SYN-flood chain limits with a multiplier
// ("limit=10k,100:packet"); it was "invalid value for argument limit".
// The rule is taken and rendered (10000 packets a second).
func TestH17LimitWithMultiplier(t *testing.T) {
	src := "/ip firewall filter\nadd action=return chain=SYN-Protect connection-state=new limit=10k,100:packet protocol=tcp tcp-flags=syn\nadd action=return chain=SYN-Protect limit=1k,10:packet protocol=tcp\n"
	r := New(Options{Ports: []string{"ether1"}, Version: "7.22.1"})
	if refused := refusedLines(r.Validate(context.Background(), src, 2*time.Second)); len(refused) > 0 {
		t.Errorf("refused: %q", refused)
	}
	if _, err := New(Options{Ports: []string{"ether1"}, Version: "7.22.1"}).Run(context.Background(), "/ip firewall filter add chain=input action=accept limit=10q,1:packet"); err == nil {
		t.Errorf("limit=10q was taken")
	}
}

// A 7.22.1 export's policy rules include an IPv6 one ("add
// action=lookup-only-in-table disabled=no src-address=::/0 table=main");
// it was "invalid value for argument src-address". It is stored and
// reported, and left out of the kernel's (IPv4) rules; 6's /ip route rule
// stays IPv4 only.
func TestH17RoutingRuleIPv6(t *testing.T) {
	src := "/routing table\nadd fib name=via_primary\n/routing rule\nadd action=lookup-only-in-table dst-address=198.51.100.1/32 table=via_primary\nadd action=lookup-only-in-table disabled=no src-address=::/0 table=main\n"
	r := New(Options{Ports: []string{"ether1"}, Version: "7.22.1"})
	v := r.Validate(context.Background(), src, 2*time.Second)
	if refused := refusedLines(v); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	if f := v.Findings[len(v.Findings)-1]; f.Verdict != NotEnforced {
		t.Errorf("the IPv6 rule: %s %s", f.Verdict, f.Msg)
	}
	r = runShape(t, "7.22.1", []string{"ether1"}, src)
	if rules := r.State().RoutingRules; len(rules) != 1 {
		t.Errorf("kernel rules: %+v", rules)
	}
	v6 := runShape(t, "6.49.10", []string{"ether1"}, "")
	if _, err := v6.Run(context.Background(), "/ip route rule add src-address=::/0 table=main"); err == nil {
		t.Errorf("6 took an IPv6 rule")
	}
}
