package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/export"
)

func loadText(t *testing.T, text string) *Plan {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.rsc")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := export.Read(path, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Import(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const namesExport = `# 2025-01-01 by RouterOS 7.16
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=ether2
/ip dhcp-client
add interface=ether1
/ip cloud
set ddns-enabled=yes
/ip dns
set allow-remote-requests=yes servers=8.8.8.8 use-doh-server=https://dns.example/dns-query verify-doh-cert=yes
/ip dns static
add address=192.168.88.10 name=nas.home.example
add address=192.168.88.11 name=printer.home.example
add regexp=".*\\.ads\\.example" type=NXDOMAIN
add forward-to=10.0.0.1 name=corp.example type=FWD
/ip firewall address-list
add address=home.dyndns.example list=wan-ip
add address=192.168.88.0/24 comment=lan.example list=lan
add address=10.0.0.1-10.0.0.9 list=range
/ip firewall nat
add action=dst-nat chain=dstnat dst-port=443 in-interface=ether1 protocol=tcp to-addresses=192.168.88.10
add action=dst-nat chain=dstnat dst-port=8080 in-interface=ether1 protocol=tcp to-addresses=192.168.88.12
`

// The list wan-ip (home.dyndns.example) is matched by no NAT rule and
// filled by no script: nothing says it holds the router's address, so its
// name is not one of the public address (realcheck19 D4; this test
// expected it before, and forward 2 by it). TestRouterListNames has the
// list a dst-nat uses.
func TestNamesOfExport(t *testing.T) {
	p := loadText(t, namesExport)
	var got []string
	for _, n := range p.Names() {
		got = append(got, n.From+":"+n.Name)
	}
	want := "ip-cloud:" + labCloudSerial + ".sn.mynetname.net dns-static:nas.home.example dns-static:printer.home.example"
	if strings.Join(got, " ") != want {
		t.Fatalf("names %v\nwant %s", got, want)
	}
	// The forward to the NAS is tried by its own static name (method 1);
	// the other by the name that leads to the public address.
	if n, direct := p.byNameTarget(p.Forwards[0]); n != "nas.home.example" || !direct {
		t.Errorf("forward 1 by %q (direct %v)", n, direct)
	}
	if n, direct := p.byNameTarget(p.Forwards[1]); n != labCloudSerial+".sn.mynetname.net" || direct {
		t.Errorf("forward 2 by %q (direct %v)", n, direct)
	}
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	// Nothing leaves the lab: the upstream resolvers and DoH are replaced.
	if !strings.Contains(p.RSC, "servers=198.51.100.53") || strings.Contains(p.RSC, "8.8.8.8") || strings.Contains(p.RSC, "https://") {
		t.Errorf("the lab configuration still asks outside the lab:\n%s", p.RSC)
	}
	for _, s := range []string{
		"--zone, nas.home.example=203.0.113.2",
		"isp: {kind: dhcp, customer: wan, dns: [198.51.100.53]}",
		"  - probe: resolve-then-connect\n    from: client1\n    to: 192.168.88.1:53\n    name: nas.home.example\n    port: 443\n",
		"    name: " + labCloudSerial + ".sn.mynetname.net\n    port: 8080\n",
	} {
		if !strings.Contains(c.YAML, s) {
			t.Errorf("the case lacks %q:\n%s", s, c.YAML)
		}
	}
	if strings.Contains(c.YAML, "--zone, lan.example") || strings.Contains(c.YAML, "ads.example=") || strings.Contains(c.YAML, "home.dyndns.example=") {
		t.Error("a comment or a regexp became a name")
	}
	// Not repeated after a renumbering (the public DNS keeps the first address).
	if n := strings.Count(c.YAML, "resolve-then-connect"); n != 2 {
		t.Errorf("%d by-name probes, want 2", n)
	}
}

// TestRouterListNames: an address list's name is a name of the public
// address when a NAT rule matches the list as the router's address (a
// dst-nat's dst-address-list) or a script fills it; a third party's name
// in a list that only mark-routes sites into a VPN is not, and gets no
// zone and no by-name probe (realcheck19 D4: rutracker.org answered with
// the router's WAN address, five by-name rows "broken").
func TestRouterListNames(t *testing.T) {
	const base = `# 2025-01-01 by RouterOS 7.16
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=ether2
/ip dhcp-client
add interface=ether1
/routing table
add fib name=vpn
/ip firewall address-list
add address=example.org list=tunneled-sites
add address=home.dyndns.example list=wan-ip
/ip firewall mangle
add action=mark-routing chain=prerouting dst-address-list=tunneled-sites new-routing-mark=vpn passthrough=no
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
	for _, tc := range []struct {
		name, nat, want string
	}{
		{"dst-nat on the list", "add action=dst-nat chain=dstnat dst-address-list=wan-ip dst-port=8080 protocol=tcp to-addresses=192.168.88.10\n", "home.dyndns.example"},
		{"script fills the list", "add action=dst-nat chain=dstnat dst-address-type=local dst-port=8080 protocol=tcp to-addresses=192.168.88.10\n/system script\nadd name=wanip source=\":local ip [/ip address get [find interface=ether1] address]; /ip firewall address-list set [find list=wan-ip] address=\\$ip\"\n", "home.dyndns.example"},
		{"neither", "add action=dst-nat chain=dstnat dst-address-type=local dst-port=8080 protocol=tcp to-addresses=192.168.88.10\n", ""},
	} {
		p := loadText(t, base+tc.nat)
		var got []string
		for _, n := range p.Names() {
			got = append(got, n.Name)
		}
		if strings.Contains(strings.Join(got, " "), "example.org") {
			t.Errorf("%s: the VPN list's site is a name of the router: %v", tc.name, got)
		}
		if tc.want != "" && strings.Join(got, " ") != tc.want {
			t.Errorf("%s: names %v, want %s", tc.name, got, tc.want)
		}
		if tc.want == "" && len(got) != 0 {
			t.Errorf("%s: names %v, want none", tc.name, got)
		}
		c, err := p.Case(Fix{})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(c.YAML, "example.org=") || strings.Contains(c.YAML, "name: example.org") {
			t.Errorf("%s: the lab serves or probes example.org:\n%s", tc.name, c.YAML)
		}
	}
}

func TestNoNamesNoByName(t *testing.T) {
	p := load(t, "../export/testdata/hap-ac2.rsc")
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.YAML, "resolve-then-connect") || !strings.Contains(c.YAML, "name: dns") {
		t.Errorf("want the public DNS and no by-name probe:\n%s", c.YAML)
	}
}

func TestByNameSummary(t *testing.T) {
	outs := []Outcome{
		{Probe: Probe{Forward: 0, Path: "hairpin:bridge", Phase: "before"}, Result: "timeout"},
		{Probe: Probe{Forward: 0, Path: "byname:bridge", Phase: "before"}, Result: "ok"},
		{Probe: Probe{Forward: 1, Path: "hairpin:bridge", Phase: "before"}, Result: "timeout"},
		{Probe: Probe{Forward: 1, Path: "byname:bridge", Phase: "before"}, Result: "timeout"},
	}
	got := ByName(outs, nil, "before")
	if len(got) != 2 || !strings.Contains(got[0], "method 1") || !strings.Contains(got[1], "hairpin by name is broken too") {
		t.Fatalf("%q", got)
	}
	// A router whose DNS has no upstream (a PPPoE client without
	// use-peer-dns) answers servfail: the summary says what it lacks.
	outs = []Outcome{
		{Probe: Probe{Forward: 0, Path: "hairpin:bridge", Phase: "before"}, Result: "ok"},
		{Probe: Probe{Forward: 0, Path: "byname:bridge", Phase: "before"}, Result: "servfail"},
	}
	if got := ByName(outs, nil, "before"); len(got) != 1 || !strings.Contains(got[0], "use-peer-dns=yes") {
		t.Fatalf("%q", got)
	}
}

// A dynamic WAN's names follow it through IP Cloud, which the lab turns on
// (and says so) when the export does not; a static WAN's names do not
// need it.
func TestLabTurnsOnIPCloud(t *testing.T) {
	p := loadText(t, strings.Replace(namesExport, "/ip cloud\nset ddns-enabled=yes\n", "", 1))
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(p.RSC, "/ip cloud set ddns-enabled=yes\n") || !strings.Contains(strings.Join(p.Notes, "\n"), "turns IP Cloud on") {
		t.Errorf("IP Cloud is not on in the lab:\n%s\n%v", p.RSC, p.Notes)
	}
	if strings.Count(p.RSC, "ddns-enabled") != 1 {
		t.Errorf("IP Cloud turned on twice:\n%s", p.RSC)
	}
	// nas.home.example: the list wan-ip's name is no name of the router
	// (no NAT rule uses the list, realcheck19 D4).
	if !strings.Contains(c.YAML, "--zone-follow, nas.home.example=") {
		t.Errorf("the names do not follow the WAN:\n%s", c.YAML)
	}
	static := strings.Replace(strings.Replace(namesExport, "/ip cloud\nset ddns-enabled=yes\n", "", 1),
		"/ip dhcp-client\nadd interface=ether1\n", "/ip address\nadd address=198.18.3.2/24 interface=ether1\n", 1)
	p = loadText(t, static)
	c, err = p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(p.RSC, "ddns-enabled") || strings.Contains(c.YAML, "zone-follow") || !strings.Contains(c.YAML, "--zone, nas.home.example=198.18.3.2") {
		t.Errorf("a static WAN's lab:\n%s\n%s", p.RSC, c.YAML)
	}
}

func TestByNameRowShowsTheName(t *testing.T) {
	pr := Probe{To: "192.168.88.1:53", Name: "nas.home.example", Port: 443, Kind: "resolve-then-connect"}
	if got := pr.target(); got != "nas.home.example:443 (resolved by 192.168.88.1)" {
		t.Errorf("target %q", got)
	}
}

// The lab's own lines map to no export line, and rendering again (as the
// lab's changes do) keeps one entry per line of the configuration.
func TestLabLinesMapToNoExportLine(t *testing.T) {
	p := loadText(t, strings.Replace(namesExport, "/ip cloud\nset ddns-enabled=yes\n", "", 1))
	if _, err := p.Case(Fix{}); err != nil {
		t.Fatal(err)
	}
	n := strings.Count(p.RSC, "\n")
	if len(p.Lines) != n {
		t.Fatalf("%d line mappings for %d lines", len(p.Lines), n)
	}
	if p.ExportLine(n) != 0 || p.ExportLine(n-1) != 0 {
		t.Errorf("the lab's IP Cloud lines map to export lines %d, %d", p.ExportLine(n-1), p.ExportLine(n))
	}
}

// A UDP forward is tried by name too: the probe resolves, then exchanges
// a datagram with the answer (connect: udp), and its row says so.
func TestByNameUDP(t *testing.T) {
	p := load(t, "testdata/wireguard-home.rsc")
	found, _ := p.Diagnose()
	c, err := p.Case(p.Propose(found))
	if err != nil {
		t.Fatal(err)
	}
	udp := "  - probe: resolve-then-connect\n    from: client1\n    to: 192.168.88.1:53\n    name: c4ec4ec4ec4e.sn.mynetname.net\n    port: 51820\n    connect: udp\n"
	tcp := "    name: c4ec4ec4ec4e.sn.mynetname.net\n    port: 443\n  - probe"
	// Before and with the fix; the TCP forward's probe has no connect.
	if strings.Count(c.YAML, udp) != 2 || strings.Count(c.YAML, tcp) != 2 {
		t.Errorf("want the UDP and the TCP forward by name in both phases:\n%s", c.YAML)
	}
	var pr Probe
	for _, x := range c.Probes {
		if x.Path == "byname:bridge" && x.Connect == "udp" {
			pr = x
		}
	}
	if got := pr.target(); got != "c4ec4ec4ec4e.sn.mynetname.net:51820/udp (resolved by 192.168.88.1)" {
		t.Errorf("target %q", got)
	}
	if got := p.pathWords(c, pr); !strings.Contains(got, "exchanging UDP datagrams") {
		t.Errorf("path in words %q", got)
	}
	if pr.NoPublic {
		t.Error("a public WAN's name is marked as leading to no public address")
	}
	// The reports carry the row: failing as the export has it, the NAS
	// answering (and seeing the router) with the fix.
	var outs []Outcome
	for _, x := range c.Probes {
		o := Outcome{Probe: x, Result: "ok", Saw: "192.168.88.1", By: "server1"}
		if x.Phase == "before" && x.Forward >= 0 && x.Path != "internet" {
			o = Outcome{Probe: x, Result: "refused"}
		}
		outs = append(outs, o)
	}
	d := p.Document(&Result{Found: found, Fix: p.Propose(found), Case: c, Outcomes: outs}, "rosemu")
	md := string(d.Markdown())
	row := "| from LAN bridge (192.168.88.0/24) by the name c4ec4ec4ec4e.sn.mynetname.net, exchanging UDP datagrams | client1 → c4ec4ec4ec4e.sn.mynetname.net:51820/udp (resolved by 192.168.88.1) | ✗ refused | ✓ server saw the router (192.168.88.1) |"
	if !strings.Contains(md, row) {
		t.Errorf("check.md lacks the UDP by-name row %q:\n%s", row, md)
	}
	j, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(j), `"to": "c4ec4ec4ec4e.sn.mynetname.net:51820/udp (resolved by 192.168.88.1)"`) {
		t.Errorf("check.json lacks the UDP by-name path:\n%s", j)
	}
}

// A DHCP lease script writes each name twice, an A entry and an AAAA entry
// with the IPv4-mapped address (realcheck31's CCR2004). The AAAA entry
// written after the A one took the name's place in byNameTarget's table,
// ::ffff:10.3.11.1 is not the forward's 10.3.11.1, and the forward lost its
// method 1 name (and its by-name findings) once the lab router kept AAAA
// entries.
func TestByNameTargetAAAAMappedTwin(t *testing.T) {
	p := loadText(t, `# 2025-01-01 by RouterOS 7.16
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
/ip address
add address=10.3.11.254/24 interface=ether2
/ip dhcp-client
add interface=ether1
/ip dns
set allow-remote-requests=yes
/ip dns static
add address=10.3.11.1 name=nas.home.example
add address=::ffff:10.3.11.1 name=nas.home.example type=AAAA
/ip firewall nat
add action=dst-nat chain=dstnat dst-port=2201 in-interface=ether1 protocol=tcp to-addresses=10.3.11.1 to-ports=22
`)
	if n, direct := p.byNameTarget(p.Forwards[0]); n != "nas.home.example" || !direct {
		t.Errorf("byNameTarget = %q, %v; want nas.home.example, direct (the A entry)", n, direct)
	}
}
