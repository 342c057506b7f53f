package check

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/export"
)

func load(t *testing.T, path string) *Plan {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return importNamed(t, path, data)
}

// withCause returns the findings of one cause, in order.
func withCause(found []Finding, c Cause) []Finding {
	var out []Finding
	for _, f := range found {
		if f.Cause == c {
			out = append(out, f)
		}
	}
	return out
}

// importNamed reads data as the export path and imports it.
func importNamed(t testing.TB, path string, data []byte) *Plan {
	t.Helper()
	f, err := export.Read(path, data)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Import(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportHomeRouter(t *testing.T) {
	p := load(t, "../export/testdata/hap-ac2.rsc")
	if len(p.WANs) != 1 || p.WANs[0].Port != "ether1" || p.WANs[0].Kind != "dhcp" {
		t.Fatalf("WANs %+v", p.WANs)
	}
	if len(p.Segments) != 1 || p.Segments[0].Interface != "bridge" || p.Segments[0].Port != "ether2" || p.Segments[0].Prefix.String() != "192.168.88.1/24" {
		t.Fatalf("segments %+v", p.Segments)
	}
	if len(p.Forwards) != 2 || p.Forwards[0].DstPort != 8443 || p.Forwards[0].ToPort != 443 || p.Forwards[1].Protocol != "udp" || p.Forwards[1].Position != 2 {
		t.Fatalf("forwards %+v", p.Forwards)
	}
	if p.PortCount() != 5 {
		t.Fatalf("ports %+v", p.Ports)
	}
	// Wireless, its security profile and the bridge ports of the radios
	// are set aside with a reason; nothing of them reaches the lab.
	var reasons []string
	for _, a := range p.Aside {
		reasons = append(reasons, a.Menu+": "+a.Reason)
	}
	if len(p.Aside) != 5 {
		t.Fatalf("set aside %d:\n%s", len(p.Aside), strings.Join(reasons, "\n"))
	}
	for _, bad := range []string{"wireless", "wlan1", "wlan2"} {
		if strings.Contains(p.RSC, bad) {
			t.Errorf("the lab configuration still has %s:\n%s", bad, p.RSC)
		}
	}
	if !strings.Contains(p.RSC, "/ip firewall nat add action=dst-nat chain=dstnat comment=\"nas web\" dst-port=8443") {
		t.Errorf("the forward is not in the lab configuration:\n%s", p.RSC)
	}
}

func TestImportMovesOddPortsOntoLabPorts(t *testing.T) {
	src := `# jan/02/2024 10:00:00 by RouterOS 6.49.10
/interface ethernet
set [ find default-name=sfp-sfpplus1 ] name=uplink
/interface bridge
add name=br-lan
/interface bridge port
add bridge=br-lan interface=ether2
add bridge=br-lan interface=combo1
/ip address
add address=198.18.0.2/30 interface=uplink
add address=10.10.0.1/24 interface=br-lan
/ip route
add distance=1 gateway=198.18.0.1
`
	f, err := export.Read("ccr.rsc", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Import(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.WANs) != 1 || p.WANs[0].Interface != "uplink" || p.WANs[0].Kind != "static" || p.WANs[0].Gateway.String() != "198.18.0.1" {
		t.Fatalf("WANs %+v", p.WANs)
	}
	for _, want := range []string{"set [ find default-name=ether3 ] name=uplink", "/interface ethernet set [ find default-name=ether4 ] name=combo1"} {
		if !strings.Contains(p.RSC, want) {
			t.Errorf("lab configuration lacks %q:\n%s", want, p.RSC)
		}
	}
	if p.PortCount() != 4 {
		t.Fatalf("port count %d: %+v", p.PortCount(), p.Ports)
	}
}

func TestImportNeedsAWAN(t *testing.T) {
	f, _ := export.Read("x.rsc", []byte("/ip address\nadd address=10.0.0.1/24 interface=ether2\n"))
	if _, err := Import(f, Options{}); err == nil || !strings.Contains(err.Error(), "--map") {
		t.Fatalf("err = %v", err)
	}
	if p, err := Import(f, Options{Map: map[string]string{"ether2": "wan"}}); err != nil || p.WANs[0].Port != "ether2" {
		t.Fatalf("--map: %v %+v", err, p)
	}
	// A port the export does not name is given to the lab router
	// (realcheck19 D9); a name that is no port is refused.
	if _, err := Import(f, Options{Map: map[string]string{"lte1": "wan"}}); err == nil || !strings.Contains(err.Error(), "lte1") {
		t.Fatalf("a map naming no port: %v", err)
	}
}

func causes(fs []Finding) map[Cause]int {
	m := map[Cause]int{}
	for _, f := range fs {
		m[f.Cause]++
	}
	return m
}

func TestDiagnoseHomeRouter(t *testing.T) {
	p := load(t, "../export/testdata/hap-ac2.rsc")
	found, exp := p.Diagnose()
	c := causes(found)
	// Forward 1 is bound to ether1: LAN clients never match it. Forward 2
	// (udp, in-interface-list=WAN) too. Neither has a hairpin rule, but the
	// binding stops them first.
	if c[BoundToWAN] != 2 || c[HidesClients] != 0 {
		for _, x := range found {
			t.Log(x)
		}
		t.Fatalf("causes %v", c)
	}
	works := map[string]bool{}
	for _, e := range exp {
		works[fmt_(e)] = e.Works
	}
	if !works["0 internet"] || works["0 hairpin:bridge"] || !works["1 internet"] {
		t.Fatalf("predictions %v", works)
	}
}

func fmt_(e Expect) string { return strings.Join([]string{string(rune('0' + e.Forward)), e.Path}, " ") }

func TestDiagnoseCauses(t *testing.T) {
	base := `/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=LAN
add interface=ether3 list=LAN
/ip address
add address=203.0.113.2/24 interface=ether1
add address=192.168.88.1/24 interface=ether2
add address=192.168.89.1/24 interface=ether3
/ip route
add gateway=203.0.113.1
`
	cases := []struct {
		name string
		rsc  string
		want Cause
		none bool
	}{
		{"no hairpin", "/ip firewall nat\nadd chain=srcnat action=masquerade out-interface-list=WAN\nadd chain=dstnat action=dst-nat dst-address=203.0.113.2 protocol=tcp dst-port=80 to-addresses=192.168.88.10\n", NoHairpin, false},
		{"hairpin rule present", "/ip firewall nat\nadd chain=srcnat action=masquerade src-address=192.168.88.0/24 dst-address=192.168.88.10\nadd chain=srcnat action=masquerade out-interface-list=WAN\nadd chain=dstnat action=dst-nat dst-address=203.0.113.2 protocol=tcp dst-port=80 to-addresses=192.168.88.10\n", "", true},
		{"tcp only hairpin", "/ip firewall nat\nadd chain=srcnat action=masquerade protocol=tcp src-address=192.168.88.0/24 dst-address=192.168.88.10\nadd chain=srcnat action=masquerade out-interface-list=WAN\nadd chain=dstnat action=dst-nat dst-address=203.0.113.2 protocol=udp dst-port=5000 to-addresses=192.168.88.10\n", HairpinTCPOnly, false},
		{"hairpin rule on the public port", "/ip firewall nat\nadd chain=srcnat action=masquerade protocol=tcp dst-port=8080 src-address=192.168.88.0/24 dst-address=192.168.88.10\nadd chain=srcnat action=masquerade out-interface-list=WAN\nadd chain=dstnat action=dst-nat dst-address=203.0.113.2 protocol=tcp dst-port=8080 to-addresses=192.168.88.10 to-ports=80\n", HairpinPublicPort, false},
		{"hairpin rule on the server's port", "/ip firewall nat\nadd chain=srcnat action=masquerade protocol=tcp dst-port=80 src-address=192.168.88.0/24 dst-address=192.168.88.10\nadd chain=srcnat action=masquerade out-interface-list=WAN\nadd chain=dstnat action=dst-nat dst-address=203.0.113.2 protocol=tcp dst-port=8080 to-addresses=192.168.88.10 to-ports=80\n", "", true},
		{"masquerade everything", "/ip firewall nat\nadd chain=srcnat action=masquerade\nadd chain=dstnat action=dst-nat dst-address=203.0.113.2 protocol=tcp dst-port=80 to-addresses=192.168.88.10\n", HidesClients, false},
		{"forward filter", "/ip firewall filter\nadd chain=forward action=drop in-interface=ether3 out-interface=ether2\n/ip firewall nat\nadd chain=srcnat action=masquerade src-address=192.168.88.0/24 dst-address=192.168.88.10\nadd chain=srcnat action=masquerade out-interface-list=WAN\nadd chain=dstnat action=dst-nat dst-address=203.0.113.2 protocol=tcp dst-port=80 to-addresses=192.168.88.10\n", ForwardDrops, false},
		{"local takes the router's address", "/ip firewall nat\nadd chain=srcnat action=masquerade src-address=192.168.88.0/24 dst-address=192.168.88.10\nadd chain=srcnat action=masquerade out-interface-list=WAN\nadd chain=dstnat action=dst-nat dst-address-type=local protocol=tcp dst-port=80 to-addresses=192.168.88.10\n", TakesOwnAddress, false},
	}
	for _, tc := range cases {
		f, err := export.Read(tc.name, []byte(base+tc.rsc))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Import(f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		found, _ := p.Diagnose()
		c := causes(found)
		if tc.none && len(found) != 0 || !tc.none && c[tc.want] == 0 {
			var s []string
			for _, x := range found {
				s = append(s, x.String())
			}
			t.Errorf("%s: found %v", tc.name, s)
		}
	}
}

func TestProposeFixes(t *testing.T) {
	p := load(t, "../export/testdata/hap-ac2.rsc")
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	joined := strings.Join(fx.Lines, "\n")
	for _, want := range []string{
		"/ip firewall address-list add list=hairpin-lan address=192.168.88.0/24",
		`/ip firewall nat set [ find where comment="nas web" ] !in-interface dst-address-type=local dst-address-list=!hairpin-lan`,
		`set [ find where action=dst-nat and chain=dstnat and dst-port=51820 and in-interface-list=WAN and protocol=udp and to-addresses=192.168.88.11 ] !in-interface-list`,
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("fix lacks %q:\n%s", want, joined)
		}
	}
	if !strings.Contains(fx.Method, "4:") {
		t.Errorf("method %q", fx.Method)
	}
	// A router with nothing wrong gets no fix.
	f, _ := export.Read("ok.rsc", []byte(`/ip address
add address=203.0.113.2/24 interface=ether1
add address=192.168.88.1/24 interface=ether2
/ip route
add gateway=203.0.113.1
/ip firewall nat
add chain=srcnat action=masquerade src-address=192.168.88.0/24 dst-address=192.168.88.10
add chain=srcnat action=masquerade out-interface=ether1
add chain=dstnat action=dst-nat dst-address=203.0.113.2 protocol=tcp dst-port=80 to-addresses=192.168.88.10
`))
	ok, err := Import(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	found, _ = ok.Diagnose()
	if fx := ok.Propose(found); len(found) != 0 || len(fx.Lines) != 0 {
		t.Fatalf("a working router: findings %v, fix %v", found, fx.Lines)
	}
}

// TestDiagnoseExports runs the import and the diagnosis on the exports of
// testdata, each in the shape of a real router's, with the causes expected.
func TestDiagnoseExports(t *testing.T) {
	for _, tc := range []struct {
		file  string
		want  []Cause
		fixes []string
	}{
		{"all-good.rsc", nil, nil},
		{"cgnat.rsc", []Cause{NoPublicAddress}, nil},
		{"pppoe-bound.rsc", []Cause{BoundToWAN, NoHairpin}, []string{"!in-interface dst-address-type=local", "out-interface=bridge-lan"}},
		{"rb5009-vlans.rsc", []Cause{ForwardDrops}, []string{"connection-nat-state=dstnat"}},
	} {
		p := load(t, "testdata/"+tc.file)
		found, _ := p.Diagnose()
		got := causes(found)
		if len(got) != len(tc.want) {
			t.Errorf("%s: causes %v, want %v", tc.file, got, tc.want)
		}
		for _, c := range tc.want {
			if got[c] == 0 {
				t.Errorf("%s: %q not found (found %v)", tc.file, c, got)
			}
		}
		fx := p.Propose(found)
		joined := strings.Join(fx.Lines, "\n")
		for _, w := range tc.fixes {
			if !strings.Contains(joined, w) {
				t.Errorf("%s: fix lacks %q:\n%s", tc.file, w, joined)
			}
		}
		if tc.want == nil && len(fx.Lines) > 0 {
			t.Errorf("%s: a working router got a fix", tc.file)
		}
	}
}

// Behind CGNAT the peer tries the ISP's shared address, the path is
// marked as one no rule on the router opens, and the verdict is
// unfixable, with or without a fix for the LAN's paths.
func TestCGNATVerdict(t *testing.T) {
	p := load(t, "testdata/cgnat.rsc")
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	if len(fx.Lines) != 0 || !strings.Contains(fx.None, "carrier-grade NAT") || !strings.Contains(fx.None, "tunnel") {
		t.Fatalf("fix %+v", fx)
	}
	c, err := p.Case(fx)
	if err != nil {
		t.Fatal(err)
	}
	var internet Probe
	for _, pr := range c.Probes {
		if pr.Path == "internet" {
			internet = pr
		}
	}
	if internet.To != "isp1.public:25565" || !internet.NoPublic {
		t.Fatalf("the internet's probe %+v", internet)
	}
	hairpin := Probe{Forward: 0, Path: "hairpin:ether2", Phase: "before"}
	in := internet
	in.Phase = "before"
	outs := []Outcome{{Probe: in, Result: "refused"}, {Probe: hairpin, Result: "ok"}}
	if w, text, code := Verdict(found, fx, outs); w != "unfixable" || code != 1 || !strings.Contains(text, "no public address") || !strings.Contains(text, "every other path works") {
		t.Errorf("verdict %s %q %d", w, text, code)
	}
	// Without the hairpin the fix answers the LAN; the internet stays
	// out, which is not the fix failing.
	broken := append([]Finding{}, found...)
	broken = append(broken, Finding{Forward: 0, Path: "hairpin:ether2", Cause: NoHairpin, Line: 14})
	fx = p.Propose(broken)
	if len(fx.Lines) != 1 || fx.None == "" {
		t.Fatalf("fix %+v", fx)
	}
	inFixed, hpFixed := in, hairpin
	inFixed.Phase, hpFixed.Phase = "fixed", "fixed"
	outs = []Outcome{{Probe: in, Result: "refused"}, {Probe: hairpin, Result: "timeout"}, {Probe: inFixed, Result: "refused"}, {Probe: hpFixed, Result: "ok"}}
	if w, text, _ := Verdict(broken, fx, outs); w != "unfixable" || !strings.Contains(text, "the fix makes the other 1 broken path(s) work") {
		t.Errorf("verdict %s %q", w, text)
	}
	// The control: the fix leaving a LAN path broken is still fix-fails.
	outs[3].Result = "timeout"
	if w, _, _ := Verdict(broken, fx, outs); w != "fix-fails" {
		t.Errorf("verdict %s, want fix-fails", w)
	}
}

// A RouterBOARD port's PoE and SFP parameters are left out of its line,
// which a CHR would refuse whole, and the rest of the line is kept; a line
// left with nothing to set is dropped. Each parameter is reported.
func TestImportDropsHardwarePortParameters(t *testing.T) {
	src := "# by RouterOS 6.49.13\n/interface ethernet\n" +
		"set [ find default-name=ether1 ] speed=100Mbps\n" +
		"set [ find default-name=ether2 ] name=lan-nas poe-out=forced-on poe-priority=5\n" +
		"set [ find default-name=ether5 ] poe-out=off\n" +
		"/ip address\nadd address=192.168.88.1/24 interface=lan-nas\n/ip dhcp-client\nadd disabled=no interface=ether1\n"
	f, err := export.Read("poe.rsc", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Import(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, a := range p.Aside {
		reasons = append(reasons, a.Reason)
	}
	if len(p.Aside) != 3 || !strings.HasPrefix(reasons[0], "poe-out=forced-on only: PoE") || !strings.HasPrefix(reasons[2], "poe-out=off only") {
		t.Fatalf("set aside:\n%s", strings.Join(reasons, "\n"))
	}
	if strings.Contains(p.RSC, "poe-") || strings.Contains(p.RSC, "ether5") {
		t.Errorf("the lab configuration still has a PoE parameter or the empty ether5 line:\n%s", p.RSC)
	}
	if !strings.Contains(p.RSC, "set [ find default-name=ether2 ] name=lan-nas\n") || !strings.Contains(p.RSC, "speed=100Mbps") {
		t.Errorf("the rest of the port lines is lost:\n%s", p.RSC)
	}
	// Rendered again (as the lab does after its own changes), the line
	// keeps the rest as well.
	p.render(p.export, p.keeper(p.export))
	if !strings.Contains(p.RSC, "set [ find default-name=ether2 ] name=lan-nas\n") {
		t.Errorf("a second rendering lost the port's line:\n%s", p.RSC)
	}
}

// A RouterOS 6 export runs on a lab router of its own version, or of 6.49
// when it is older, with a note; a v7 export on its own; no header, on the
// emulator's default.
func TestLabVersion(t *testing.T) {
	for _, c := range []struct{ header, want string }{
		{"# jan/02/2023 by RouterOS 6.49.10\n", "6.49.10"},
		{"# jan/02/2021 by RouterOS 6.48.6\n", "6.49.18"},
		{"# 2025-01-02 by RouterOS 7.18.2\n", "7.18.2"},
		{"", ""},
	} {
		f, err := export.Read("v.rsc", []byte(c.header+"/ip address\nadd address=192.168.88.1/24 interface=ether2\n/ip dhcp-client\nadd disabled=no interface=ether1\n"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Import(f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := p.LabVersion(); got != c.want {
			t.Errorf("%q: LabVersion = %q, want %q", c.header, got, c.want)
		}
		if noted := strings.Contains(strings.Join(p.Notes, "\n"), "nearest version"); noted != (c.want == "6.49.18") {
			t.Errorf("%q: notes %q", c.header, p.Notes)
		}
	}
}

// TestDiagnoseCitesTheRuleBehind: a cause that a rule other than the
// forward makes is reported with that rule's line: the TCP-only hairpin
// rule, the hairpin rule written with the public port, and a forward
// drop that takes the internet's connection (said as such, not as a
// hairpin's).
func TestDiagnoseCitesTheRuleBehind(t *testing.T) {
	base := "/interface list\nadd name=WAN\nadd name=LAN\n/interface list member\nadd interface=ether1 list=WAN\nadd interface=ether2 list=LAN\n" +
		"/ip address\nadd address=203.0.113.2/24 interface=ether1\nadd address=192.168.88.1/24 interface=ether2\n/ip route\nadd gateway=203.0.113.1\n"
	// base is 11 lines; the case's lines follow.
	cases := []struct {
		name, rsc, path string
		want            Cause
		line            int
	}{
		{"tcp only hairpin", "/ip firewall nat\nadd chain=dstnat action=dst-nat dst-address=203.0.113.2 protocol=udp dst-port=5000 to-addresses=192.168.88.10\nadd chain=srcnat action=masquerade protocol=tcp src-address=192.168.88.0/24 dst-address=192.168.88.10\n",
			"hairpin:ether2", HairpinTCPOnly, 14},
		{"public port", "/ip firewall nat\nadd chain=dstnat action=dst-nat dst-address=203.0.113.2 protocol=tcp dst-port=8080 to-addresses=192.168.88.10 to-ports=80\nadd chain=srcnat action=masquerade protocol=tcp dst-port=8080 dst-address=192.168.88.10\n",
			"hairpin:ether2", HairpinPublicPort, 14},
		{"forward drop from the WAN", "/ip firewall filter\nadd chain=forward action=drop in-interface-list=!LAN\n/ip firewall nat\nadd chain=dstnat action=dst-nat dst-address=203.0.113.2 protocol=tcp dst-port=25 to-addresses=192.168.88.10\nadd chain=srcnat action=masquerade src-address=192.168.88.0/24 dst-address=192.168.88.10\n",
			"internet", ForwardDropsWAN, 13},
	}
	for _, tc := range cases {
		f, err := export.Read(tc.name, []byte(base+tc.rsc))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Import(f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		found, _ := p.Diagnose()
		ok := false
		var s []string
		for _, x := range found {
			s = append(s, fmt.Sprintf("%s %s line %d", x.Path, x.Cause, x.Line))
			if x.Path == tc.path && x.Cause == tc.want && x.Line == tc.line {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s: want %s %q at line %d, found %v", tc.name, tc.path, tc.want, tc.line, s)
		}
	}
}

// Netwatch entries are set aside in check's lab, with the reason: their
// hosts are not there, and a failing probe's down-script would take the
// WAN's route out of use. The rest of the export is kept.
func TestImportSetsNetwatchAside(t *testing.T) {
	src := `# 2025-03-01 12:00:00 by RouterOS 7.18.1
/ip address
add address=192.168.50.1/24 interface=ether2
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=dst-nat chain=dstnat dst-port=8080 in-interface=ether1 protocol=tcp to-addresses=192.168.50.10 to-ports=80
/ip route
add comment=isp1 gateway=ether1
/tool netwatch
add down-script="/ip route disable [find comment=isp1]" host=8.8.8.8 interval=5s up-script="/ip route enable [find comment=isp1]"
`
	p := importNamed(t, "nw.rsc", []byte(src))
	var found bool
	for _, a := range p.Aside {
		found = found || (a.Menu == "tool netwatch" && a.Line == 12 && strings.Contains(a.Reason, "not in the lab"))
	}
	if !found {
		t.Errorf("netwatch not set aside: %+v", p.Aside)
	}
	if strings.Contains(p.RSC, "8.8.8.8") || !strings.Contains(p.RSC, "to-addresses=192.168.50.10") {
		t.Errorf("lab configuration:\n%s", p.RSC)
	}
}
