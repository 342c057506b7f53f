package check

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

func TestVerdictCases(t *testing.T) {
	fw := func(path, phase, result string) Outcome {
		return Outcome{Probe: Probe{Forward: 0, Path: path, Phase: phase}, Result: result}
	}
	www := func(phase, by string) Outcome {
		return Outcome{Probe: Probe{Forward: -1, Path: "service:www@bridge", Phase: phase, Kind: "http"}, Result: "ok", By: by}
	}
	hide := func(o Outcome) Outcome { o.Hidden = true; return o }
	finding := []Finding{{Forward: 0, Path: "internet", Cause: EarlierRule, Line: 9}}
	fix := Fix{Lines: []string{"/ip firewall nat set [ find ] dst-address-list=!hairpin-lan"}}
	for _, tt := range []struct {
		name  string
		found []Finding
		fx    Fix
		outs  []Outcome
		word  string
		code  int
		text  string
	}{
		// The rules predicted trouble; every probe passed: the lab decides.
		{"prediction not confirmed", finding, Fix{}, []Outcome{fw("internet", "before", "ok"), www("before", "router")}, "ok", 0, "which the lab did not confirm"},
		// A host's own src-nat the lab had no host to probe: not
		// confirmed is not said of it, and it stands (realcheck18 D10);
		// probed and passed, the lab decides.
		{"finding never probed", []Finding{{Forward: -1, Path: "srcnat:192.168.188.10", Cause: ShadowedSrcNAT}}, Fix{}, []Outcome{www("before", "router")}, "broken", 1, "1 finding(s) of the rules alone were not probed: the lab has no probe of their path (srcnat:192.168.188.10)"},
		// The router's VPN server dropped on input, a VPN pool without
		// masquerade: no lab client dials it, so the lab proves nothing
		// either way (forum54: "did not confirm", exit 0).
		{"vpn server never probed", []Finding{{Forward: -1, Path: "service:l2tp@wan", Cause: VPNInputDrops}, {Forward: -1, Path: "vpn-internet:vpn", Cause: NoVPNMasquerade}}, Fix{}, []Outcome{www("before", "router")}, "broken", 1,
			"2 finding(s) of the rules alone were not probed: the lab has no probe of their path (service:l2tp@wan, vpn-internet:vpn); no lab host dials the router's VPN servers"},
		// Any router finding no probe answered stands (chkv53): a
		// routing table that leaves the FIB and a VLAN on a bridge port
		// were "not confirmed", exit 0, by a lab with no probe of them.
		{"policy routing never probed", []Finding{{Forward: -1, Path: "policy routing", Cause: TableNoFIBOut}, {Forward: -1, Path: "router's interface vlan10", Cause: VLANOnBridgePort}}, Fix{}, []Outcome{www("before", "router")}, "broken", 1,
			"2 finding(s) of the rules alone were not probed: the lab has no probe of their path (policy routing, router's interface vlan10)"},
		// Proven under another path: a LAN address on a bridge port by
		// the LAN's probe of the router's web page, the WAN port in the
		// LAN bridge by the internet's probes of the router; both
		// answered, the lab decides.
		{"bridge findings probed elsewhere", []Finding{{Forward: -1, Path: "router's address on ether3", Cause: AddressOnBridgePort}, {Forward: -1, Path: "router's WAN ether1", Cause: WANPortInBridge}}, Fix{},
			[]Outcome{www("before", "router"), {Probe: Probe{Forward: -1, Path: "service:winbox@wan", Phase: "before", To: "router.wan:8291", Kind: "port"}, Result: "filtered"}}, "ok", 0, "which the lab did not confirm"},
		// An input accept below the drop is answered by the probe of its
		// own port only: another port's probe leaves it standing.
		{"input accept, another port probed", []Finding{{Forward: -1, Path: "router's input from the internet", Cause: InputAcceptBelowDrop, Rule: "add action=accept chain=input dst-port=22 protocol=tcp"}}, Fix{},
			[]Outcome{www("before", "router"), {Probe: Probe{Forward: -1, Path: "input:tcp/8291", Phase: "before", To: "router.wan:8291", Kind: "port"}, Result: "open"}}, "broken", 1,
			"1 finding(s) of the rules alone were not probed: the lab has no probe of their path (router's input from the internet)"},
		{"finding probed, not confirmed", []Finding{{Forward: -1, Path: "srcnat:192.168.188.10", Cause: ShadowedSrcNAT}}, Fix{}, []Outcome{www("before", "router"), {Probe: Probe{Forward: -1, Path: "srcnat:192.168.188.10", Phase: "before"}, Result: "ok"}}, "ok", 0, "which the lab did not confirm"},
		// Its probe could not be carried out (error: no address to send
		// from or to): no packet took the path, the finding stands.
		{"finding's probe not carried out", []Finding{{Forward: -1, Path: "srcnat:192.168.188.10", Cause: ShadowedSrcNAT}}, Fix{}, []Outcome{www("before", "router"), {Probe: Probe{Forward: -1, Path: "srcnat:192.168.188.10", Phase: "before"}, Result: "error"}}, "broken", 1,
			"1 finding(s) of the rules alone were not probed: the lab has no probe of their path (srcnat:192.168.188.10)"},
		// Only after the ISP renumbers does the forward break: it counts.
		{"breaks after renumbering", finding, fix, []Outcome{fw("internet", "before", "ok"), fw("internet", "renumbered", "timeout"), fw("internet", "fixed", "ok")}, "broken", 1, "1 path(s) broken as the export has it"},
		// Broken both before and after the renumbering: one path.
		{"one path in two phases", finding, fix, []Outcome{fw("internet", "before", "timeout"), fw("internet", "renumbered", "timeout"), fw("internet", "fixed", "ok")}, "broken", 1, "1 path(s) broken"},
		// The router's DNS has no upstream: the names fail, apart from NAT.
		{"no upstream DNS", nil, Fix{}, []Outcome{fw("internet", "before", "ok"), fw("byname:bridge", "before", "servfail"), fw("byname:bridge", "fixed", "servfail")}, "broken", 1, "every forward works by address, but names do not resolve"},
		// Every forward works but WebFig answers from the NAS.
		// A masquerade on everything: every path connects, the server
		// sees the router for the internet's; the fix shows the client.
		{"hidden client", []Finding{{Forward: 0, Path: "internet", Cause: HidesClients}}, fix, []Outcome{hide(fw("internet", "before", "ok")), fw("internet", "fixed", "ok")}, "broken", 1, "the server sees the router's address instead of the client's"},
		{"hidden with the fix too", []Finding{{Forward: 0, Path: "internet", Cause: HidesClients}}, fix, []Outcome{hide(fw("internet", "before", "ok")), hide(fw("internet", "fixed", "ok"))}, "fix-fails", 1, "also with the fix"},
		{"hijack only", []Finding{{Forward: 0, Cause: TakesOwnAddress}}, fix, []Outcome{fw("internet", "before", "ok"), www("before", "server1"), www("fixed", "router")}, "broken", 1, "takes the router's own web page"},
	} {
		word, text, code := Verdict(tt.found, tt.fx, tt.outs)
		if word != tt.word || code != tt.code || !strings.Contains(text, tt.text) {
			t.Errorf("%s: Verdict = %s, %q, %d; want %s, %q, %d", tt.name, word, text, code, tt.word, tt.text, tt.code)
		}
	}
}

// A DHCP WAN in VLAN 10, a masquerade on everything (the only hairpin
// source NAT) and a forward only some remote networks may use.
func TestFixKeepsTheHairpinAndSourceRestrictions(t *testing.T) {
	p := load(t, "testdata/rb5009-vlan10-allowlist.rsc")
	var restricted []string
	for _, fw := range p.Forwards {
		if fw.Sources != "" {
			restricted = append(restricted, fw.Sources)
		}
	}
	if len(restricted) != 1 || restricted[0] != "src-address-list=allowed-remote" {
		t.Errorf("restricted forwards %q", restricted)
	}
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	all := strings.Join(fx.Lines, "\n")
	// Narrowing the masquerade to the WAN takes the hairpin's source NAT
	// away: the fix brings a hairpin rule with it.
	if !strings.Contains(all, "out-interface-list=WAN") || !strings.Contains(all, `comment="hairpin to 10.1.100.15"`) {
		t.Errorf("fix:\n%s", all)
	}
	// Paths of the restricted forward are not counted broken.
	outs := []Outcome{{Probe: Probe{Forward: 1, Path: "internet", Phase: "before", ByDesign: true}, Result: "timeout"}}
	if b := Broken(outs, "before"); len(b) != 0 {
		t.Errorf("Broken counts a path that fails by design: %+v", b)
	}
}

// A hairpin rule on a list of the WAN's DNS name: the reading cannot say
// whether it takes the router's own address, so no fix replaces its list.
func TestNoFixReplacesAnAddressList(t *testing.T) {
	p := load(t, "testdata/rb4011-fqdn-hairpin.rsc")
	found, _ := p.Diagnose()
	for _, f := range found {
		if f.Cause == TakesOwnAddress {
			t.Errorf("uncertain finding: %+v", f)
		}
	}
	if all := strings.Join(p.Propose(found).Lines, "\n"); strings.Contains(all, "dst-address-list=!") {
		t.Errorf("fix replaces the rule's own address list:\n%s", all)
	}
}

// A DHCP WAN whose forward names 192.168.1.50: an ISP router in front
// leases that address (double NAT). The lab puts one there, leasing it,
// and the internet's path is one no rule on this router can open.
func TestDHCPWANBehindAnISPRouter(t *testing.T) {
	p := load(t, "testdata/hex-dhcp-behind-isp-router.rsc")
	if len(p.WANs) != 1 || p.WANs[0].Behind() != "cpe" || p.WANs[0].Private.String() != "192.168.1.50" {
		t.Fatalf("WANs %+v", p.WANs)
	}
	found, _ := p.Diagnose()
	var causes []string
	for _, f := range found {
		causes = append(causes, string(f.Cause))
		if f.Cause == LiteralWAN {
			t.Errorf("a literal WAN finding for an address the ISP router leases: %+v", f)
		}
	}
	if !strings.Contains(strings.Join(causes, "\n"), string(NoPublicAddress)) {
		t.Errorf("causes %q", causes)
	}
	c, err := p.Case(p.Propose(found))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"role: cpe", "serve: [dhcp]", "--dhcp-offer, 192.168.1.50", "to: cpe1.public:"} {
		if !strings.Contains(c.YAML, want) {
			t.Errorf("the lab lacks %q:\n%s", want, c.YAML)
		}
	}
	if strings.Contains(c.YAML, "renumber-wan") {
		t.Error("a WAN behind an ISP router is renumbered")
	}
	file := filepath.Join(t.TempDir(), "case.yaml")
	if err := os.WriteFile(file, []byte(c.YAML), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := scenario.Read(file); err != nil {
		t.Fatalf("the case does not load: %v", err)
	}
}

// MarkHidden flags only the internet's paths that connected with a source
// other than the peer's: a hairpin seen as the router is as it should be.
func TestMarkHidden(t *testing.T) {
	peer := netip.MustParseAddr("198.51.100.50")
	outs := []Outcome{
		{Probe: Probe{Forward: 0, Path: "internet", From: "peer", Phase: "before"}, Result: "ok", Saw: "192.168.88.1"},
		{Probe: Probe{Forward: 0, Path: "internet", From: "peer", Phase: "fixed"}, Result: "ok", Saw: "198.51.100.50"},
		{Probe: Probe{Forward: 0, Path: "hairpin:ether2", From: "client1", Phase: "before"}, Result: "ok", Saw: "192.168.88.1"},
		{Probe: Probe{Forward: 0, Path: "internet", From: "peer", Phase: "renumbered"}, Result: "timeout"},
		{Probe: Probe{Forward: -1, Path: "service:www@wan", From: "peer", Phase: "before"}, Result: "ok", Saw: "router"},
	}
	MarkHidden(outs, peer)
	for i, want := range []bool{true, false, false, false, false} {
		if outs[i].Hidden != want {
			t.Errorf("outcome %d (%s %s): Hidden = %v, want %v", i, outs[i].Probe.Path, outs[i].Probe.Phase, outs[i].Hidden, want)
		}
	}
}

// A router that resolves for its LAN and drops only some TCP ports from
// the WAN (a v6 hEX): the check asks its DNS from the internet, and an
// answer of any kind is an open resolver.
func TestOpenResolverProbe(t *testing.T) {
	p := load(t, "testdata/hex-v6-open-resolver.rsc")
	c, err := p.Case(p.Propose(nil))
	if err != nil {
		t.Fatal(err)
	}
	var dns []Probe
	for _, pr := range c.Probes {
		if pr.Path == "service:dns@wan" {
			dns = append(dns, pr)
		}
	}
	if len(dns) == 0 || dns[0].Kind != "dns" || dns[0].From != "peer" || dns[0].To != "router.wan:53" {
		t.Fatalf("DNS probes from the internet %+v", dns)
	}
	file := filepath.Join(t.TempDir(), "case.yaml")
	if err := os.WriteFile(file, []byte(c.YAML), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := scenario.Read(file); err != nil {
		t.Fatalf("the case does not load: %v", err)
	}
	for _, tt := range []struct {
		result string
		open   bool
	}{{"nxdomain", true}, {"ok", true}, {"servfail", true}, {"timeout", false}, {"unreachable", false}} {
		o := Outcome{Probe: dns[0], Result: tt.result}
		w := ServiceWarnings([]Outcome{o}, dns[0].Phase)
		if (len(w) == 1 && strings.Contains(w[0], "open resolver")) != tt.open || serviceBad(o) != tt.open {
			t.Errorf("%s: warnings %q, bad %v; want open %v", tt.result, w, serviceBad(o), tt.open)
		}
	}
	// The LAN-only resolver of the hairpin exports is not probed.
	q := load(t, "testdata/all-good.rsc")
	qc, err := q.Case(q.Propose(nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range qc.Probes {
		if pr.Path == "service:dns@wan" && !q.routerResolves() {
			t.Errorf("a router without allow-remote-requests gets a DNS probe from the internet")
		}
	}
}

// A forward to a subnet behind a second LAN router (cameras on
// 10.10.10.0/24): without a route to it the translated connection goes
// back out by the WAN, and the verdict says so though the lab, having no
// host there, probes nothing; with the route, the forward is said to be
// unprobed, never to work.
func TestForwardOffTheSegments(t *testing.T) {
	const export = `# sep/09/2023 17:20:48 by RouterOS 6.49.8
` + etherLists + `/ip address
add address=192.168.77.1/24 interface=ether2 network=192.168.77.0
add address=198.18.40.6/30 interface=ether1 network=198.18.40.4
/ip route
add distance=1 gateway=198.18.40.5
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment=nvr dst-address=198.18.40.6 dst-port=8000 protocol=tcp to-addresses=10.10.10.10
`
	for _, tt := range []struct {
		name, extra string
		cause       Cause
		word        string
		code        int
		text        string
	}{
		{"no route", "", NoRouteToServer, "broken", 1, "1 forward(s) cannot reach their server"},
		// The second router sits on the LAN: the LAN's own clients need
		// the masquerade towards the cameras (TestServerBehindASecondRouterOnTheLAN).
		{"routed", "/ip route\nadd dst-address=10.10.10.0/24 gateway=192.168.77.2\n/ip firewall nat\nadd action=masquerade chain=srcnat dst-address=10.10.10.0/24 src-address=192.168.77.0/24\n", "", "ok", 0, "1 forward(s) to a server off the LAN segments not probed"},
		{"a VPN client", "/ppp secret\nadd name=nvr-site remote-address=10.10.10.10 service=l2tp\n", "", "ok", 0, "not probed"},
		{"a WireGuard peer", "/interface wireguard\nadd listen-port=13231 name=wg1\n/interface wireguard peers\nadd allowed-address=10.10.10.0/24 interface=wg1 public-key=\"x\"\n", "", "ok", 0, "not probed"},
	} {
		p := importNamed(t, "nvr.rsc", []byte(export+tt.extra))
		found, _ := p.Diagnose()
		if len(found) != 1 || found[0].Cause != tt.cause || found[0].Forward != 0 {
			t.Fatalf("%s: findings %+v", tt.name, found)
		}
		if tt.name == "routed" && !strings.Contains(found[0].Detail, "through 192.168.77.2") {
			t.Errorf("%s: detail %q does not name the route", tt.name, found[0].Detail)
		}
		// The lab probed only the router's services.
		outs := []Outcome{{Probe: Probe{Forward: -1, Path: "service:winbox@wan", Phase: "before", Kind: "port"}, Result: "filtered"}}
		word, text, code := Verdict(found, Fix{}, outs)
		if word != tt.word || code != tt.code || !strings.Contains(text, tt.text) || strings.Contains(text, "every forward works") {
			t.Errorf("%s: Verdict = %s, %q, %d; want %s, %q, %d", tt.name, word, text, code, tt.word, tt.text, tt.code)
		}
	}
}

// A "drop the rest" forward policy whose accept for a translated forward
// (8443 to the NAS's 80) names the public port: the diagnosis names the
// accept as well as the drop, and the fix accepts DSTNATed connections
// above the drop.
func TestFilterAcceptOnPublicPort(t *testing.T) {
	const export = `# 2025-09-14 13:37:12 by RouterOS 7.20.1
` + etherLists + `/ip address
add address=10.9.8.1/24 interface=ether2 network=10.9.8.0
add address=198.18.3.10/24 interface=ether1 network=198.18.3.0
/ip route
add gateway=198.18.3.1
/ip firewall filter
add action=accept chain=forward connection-state=established,related,untracked
add action=accept chain=forward in-interface-list=LAN out-interface-list=WAN
add action=accept chain=forward comment=nas dst-port=8443 in-interface-list=WAN protocol=tcp
add action=drop chain=forward comment="drop rest"
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=8443 in-interface-list=WAN protocol=tcp to-addresses=10.9.8.20 to-ports=80
`
	p := importNamed(t, "nas.rsc", []byte(export))
	found, _ := p.Diagnose()
	var accept, drop *Finding
	for i, f := range found {
		switch {
		case f.Path == "internet" && f.Cause == FilterPublicPort:
			accept = &found[i]
		case f.Path == "internet" && f.Cause == ForwardDropsWAN:
			drop = &found[i]
		}
	}
	if accept == nil || accept.Line != 16 || !strings.Contains(accept.Detail, "sees 80") {
		t.Errorf("the accept on the public port is not named: %+v", found)
	}
	if drop == nil || drop.Line != 17 {
		t.Errorf("the drop is not named: %+v", found)
	}
	fx := p.Propose(found)
	if !slices.ContainsFunc(fx.Lines, func(l string) bool { return strings.Contains(l, "connection-nat-state=dstnat") }) {
		t.Errorf("fix %q", fx.Lines)
	}
}

// Two ISPs and a mangle rule that sends everything from the NAS through
// the second: the answers of its forward on the first ISP, and of the
// hairpin, are marked too. The diagnosis names the rule for both paths
// and the fix leaves DSTNATed connections unmarked; a rule that marks only
// the NAS's own connections (connection-nat-state=!dstnat) is no finding.
func TestMarkedAnswers(t *testing.T) {
	const export = `# 2025-10-02 20:41:09 by RouterOS 7.19.4
/interface list
add name=WAN
add name=LAN
/routing table
add disabled=no fib name=isp-b
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=WAN
add interface=ether3 list=LAN
/ip address
add address=198.18.10.2/24 interface=ether1 network=198.18.10.0
add address=198.18.20.2/24 interface=ether2 network=198.18.20.0
add address=10.1.1.1/24 interface=ether3 network=10.1.1.0
/ip firewall mangle
add action=mark-routing chain=prerouting comment=nas-b new-routing-mark=isp-b passthrough=no src-address=10.1.1.10%s
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=198.18.10.2 dst-port=443 protocol=tcp to-addresses=10.1.1.10
add action=masquerade chain=srcnat dst-address=10.1.1.10 src-address=10.1.1.0/24
/ip route
add gateway=198.18.10.1
add gateway=198.18.20.1 routing-table=isp-b
`
	for _, tt := range []struct {
		name, extra string
		paths       []string
	}{
		{"marks everything", "", []string{"internet", "hairpin:ether3"}},
		{"own connections only", " connection-nat-state=!dstnat", nil},
		// A 7.21.5 export marks a server VLAN's traffic for a table whose
		// only route goes by 192.168.1.3, on none of the router's
		// subnets: the route is inactive, the marked answers miss the
		// table and fall back to main, and the lab's hairpin worked.
		{"table with no active route", "", nil},
		// The same export's tables are failover pairs: to_ISP2 goes by
		// ISP1 at distance 1 and by ISP2 at distance 2. The answers of a
		// forward that came in on ISP2 leave by ISP1 while it is up (the
		// lab's peer timed out); the backup route carries nothing.
		{"failover pair in the table", "", []string{"internet", "hairpin:ether3"}},
	} {
		text := fmt.Sprintf(export, tt.extra)
		switch tt.name {
		case "table with no active route":
			text = strings.Replace(text, "add gateway=198.18.20.1 routing-table=isp-b", "add gateway=192.168.1.3 routing-table=isp-b", 1)
		case "failover pair in the table":
			text = strings.Replace(text, "add gateway=198.18.20.1 routing-table=isp-b", "add gateway=198.18.20.1 routing-table=isp-b distance=1\nadd gateway=198.18.10.1 routing-table=isp-b distance=2", 1)
		}
		p := importNamed(t, "pbr.rsc", []byte(text))
		found, _ := p.Diagnose()
		var paths []string
		for _, f := range found {
			if f.Cause == MarkedAnswers {
				if f.Line != 16 {
					t.Errorf("%s: finding at line %d", tt.name, f.Line)
				}
				paths = append(paths, f.Path)
			}
		}
		if !slices.Equal(paths, tt.paths) {
			t.Errorf("%s: marked answers on %q, want %q", tt.name, paths, tt.paths)
		}
		if tt.paths == nil {
			continue
		}
		fx := p.Propose(found)
		if !slices.Contains(fx.Lines, `/ip firewall mangle set [ find where comment=nas-b ] connection-nat-state=!dstnat`) {
			t.Errorf("%s: fix %q", tt.name, fx.Lines)
		}
	}
}

// A "DMZ" dst-nat (every port of the WAN to one host) takes DNS too: the
// router's resolver is not asked from the internet, where the host would
// answer; a forward of TCP 53 alone leaves UDP 53 to the router.
func TestDMZTakesTheResolverProbe(t *testing.T) {
	const export = `# jun/11/2024 18:22:10 by RouterOS 6.49.15
` + etherLists + `/ip address
add address=10.4.4.1/24 interface=ether2 network=10.4.4.0
add address=198.18.55.20/24 interface=ether1 network=198.18.55.0
/ip dns
set allow-remote-requests=yes
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment=DMZ %s to-addresses=10.4.4.50
/ip route
add distance=1 gateway=198.18.55.1
`
	for _, tt := range []struct {
		rule  string
		probe bool
	}{{"in-interface=ether1", false}, {"in-interface=ether1 protocol=tcp dst-port=53", true}, {"in-interface=ether1 protocol=udp dst-port=!53", true}, {"in-interface=ether1 protocol=udp dst-port=!80", false}} {
		p := importNamed(t, "dmz.rsc", []byte(fmt.Sprintf(export, tt.rule)))
		c, err := p.Case(p.Propose(nil))
		if err != nil {
			t.Fatal(err)
		}
		got := slices.ContainsFunc(c.Probes, func(pr Probe) bool { return pr.Path == "service:dns@wan" })
		if got != tt.probe {
			t.Errorf("%s: resolver probed from the internet %v, want %v", tt.rule, got, tt.probe)
		}
	}
}

// A DMZ dst-nat on a router whose input chain accepts WinBox from the
// WAN: the forward takes 8291 first. The diagnosis names the input rule,
// the fix ends dstnat for 8291 above the DMZ rule, the WinBox probe from
// the internet is kept (the router should answer there) and the verdict
// counts it; without the input accept, the port is the DMZ host's.
func TestForwardTakesAcceptedService(t *testing.T) {
	const export = `# jun/11/2024 18:22:10 by RouterOS 6.49.15
` + etherLists + `/ip address
add address=10.4.4.1/24 interface=ether2 network=10.4.4.0
add address=198.18.55.20/24 interface=ether1 network=198.18.55.0
/ip firewall filter
add action=accept chain=input connection-state=established,related
%s
add action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment=DMZ in-interface=ether1 to-addresses=10.4.4.50
/ip route
add distance=1 gateway=198.18.55.1
`
	for _, tt := range []struct {
		accept string
		wanted bool
		dmz    string
	}{
		{"add action=accept chain=input comment=winbox dst-port=8291 protocol=tcp", true, "in-interface=ether1"},
		{"add action=accept chain=input protocol=icmp", false, "in-interface=ether1"},
		{"add action=accept chain=input comment=winbox dst-port=8291 protocol=tcp", true, "in-interface=ether1 protocol=tcp dst-port=8000-9000"},
		// A forward that names the port is meant to take it.
		{"add action=accept chain=input comment=winbox dst-port=8291 protocol=tcp", false, "in-interface=ether1 protocol=tcp dst-port=8291"},
	} {
		p := importNamed(t, "dmz.rsc", []byte(fmt.Sprintf(strings.Replace(export, "in-interface=ether1 to-addresses", tt.dmz+" to-addresses", 1), tt.accept)))
		found, _ := p.Diagnose()
		got := slices.ContainsFunc(found, func(f Finding) bool {
			return f.Cause == TakesRouterService && f.Path == "service:winbox@wan" && f.Line == 13 && strings.Contains(f.Detail, "line 17")
		})
		if got != tt.wanted {
			t.Errorf("%q: finding %v, want %v: %+v", tt.accept, got, tt.wanted, found)
		}
		fx := p.Propose(found)
		want := `/ip firewall nat add chain=dstnat action=accept protocol=tcp dst-port=8291 in-interface=ether1 comment="router's own winbox" place-before=[ find where comment=DMZ ]`
		if slices.Contains(fx.Lines, want) != tt.wanted {
			t.Errorf("%q: fix %q", tt.accept, fx.Lines)
		}
		c, err := p.Case(fx)
		if err != nil {
			t.Fatal(err)
		}
		var winbox []Probe
		for _, pr := range c.Probes {
			if pr.Path == "service:winbox@wan" {
				winbox = append(winbox, pr)
			}
		}
		if (len(winbox) > 0) != tt.wanted || len(winbox) > 0 && !winbox[0].Wanted {
			t.Errorf("%q: WinBox probes %+v", tt.accept, winbox)
		}
		if !tt.wanted {
			continue
		}
		fwd := Outcome{Probe: Probe{Forward: 0, Path: "internet", Phase: "before"}, Result: "ok"}
		fixed := Outcome{Probe: Probe{Forward: 0, Path: "internet", Phase: "fixed"}, Result: "ok"}
		taken := Outcome{Probe: winbox[0], Result: "closed"}
		back := Outcome{Probe: winbox[0], Result: "open"}
		back.Probe.Phase = "fixed"
		if !serviceBad(taken) || serviceBad(back) {
			t.Errorf("serviceBad: closed %v, open %v", serviceBad(taken), serviceBad(back))
		}
		word, text, code := Verdict(found, fx, []Outcome{fwd, taken, fixed, back})
		if word != "broken" || code != 1 || !strings.Contains(text, "input chain opens to the internet") {
			t.Errorf("Verdict = %s, %q, %d", word, text, code)
		}
		if w := ServiceWarnings([]Outcome{taken}, taken.Probe.Phase); len(w) != 1 || !strings.Contains(w[0], "a forward takes the port first") {
			t.Errorf("warnings %q", w)
		}
	}
}

// A forward only a knocked source may use (port knocking): its paths fail
// for the lab's hosts by design, so the diagnosis proposes nothing for
// them and the verdict says they were not judged.
func TestSourceRestrictedForwardNotJudged(t *testing.T) {
	const export = `# jan/15/2024 21:12:05 by RouterOS 6.49.13
` + etherLists + `/ip address
add address=10.6.6.1/24 interface=ether2 network=10.6.6.0
add address=198.18.66.2/24 interface=ether1 network=198.18.66.0
/ip firewall filter
add action=add-src-to-address-list address-list=knocked address-list-timeout=1m chain=input dst-port=7000 in-interface-list=WAN protocol=tcp
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment=rdp dst-port=3389 in-interface-list=WAN protocol=tcp src-address-list=knocked to-addresses=10.6.6.10
/ip route
add distance=1 gateway=198.18.66.1
`
	p := importNamed(t, "knock.rsc", []byte(export))
	found, _ := p.Diagnose()
	if len(found) != 0 {
		t.Errorf("findings for a source-restricted forward: %+v", found)
	}
	if fx := p.Propose(found); len(fx.Lines) != 0 {
		t.Errorf("fix %q", fx.Lines)
	}
	outs := []Outcome{
		{Probe: Probe{Forward: 0, Path: "internet", Phase: "before", ByDesign: true}, Result: "timeout"},
		{Probe: Probe{Forward: 0, Path: "hairpin:ether2", Phase: "before", ByDesign: true}, Result: "refused"},
	}
	word, text, code := Verdict(found, Fix{}, outs)
	if word != "ok" || code != 0 || !strings.Contains(text, "1 forward(s) admit only some sources") {
		t.Errorf("Verdict = %s, %q, %d", word, text, code)
	}
}

// "WinBox from outside": a dst-nat of 18291 to the router's own 8291 on its
// LAN address, with defconf's input drop of everything not from the LAN.
// The connection still comes in on the WAN, so the input chain drops it:
// the diagnosis names the drop, the fix accepts DSTNATed connections above
// it, and the port is probed from the internet as the router's service.
func TestDstNatToRouterInputDrop(t *testing.T) {
	const export = `# 2025-02-17 08:31:55 by RouterOS 7.16.2
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether2 list=LAN
add interface=ether1 list=WAN
/ip address
add address=10.3.3.1/24 interface=ether2 network=10.3.3.0
add address=198.18.120.2/24 interface=ether1 network=198.18.120.0
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input comment="not from LAN" in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=18291 in-interface-list=WAN protocol=tcp to-addresses=10.3.3.1 to-ports=8291
/ip route
add gateway=198.18.120.1
`
	p := importNamed(t, "winbox.rsc", []byte(export))
	if len(p.Forwards) != 0 || len(p.ToRouter) != 1 || p.ToRouter[0].DstPort != 18291 || p.ToRouter[0].ToPort != 8291 {
		t.Fatalf("forwards %+v, to the router %+v", p.Forwards, p.ToRouter)
	}
	found, _ := p.Diagnose()
	if len(found) != 1 || found[0].Cause != ToRouterInputDrops || found[0].Line != 13 || found[0].Path != "service:winbox-by-18291@wan" {
		t.Fatalf("findings %+v", found)
	}
	fx := p.Propose(found)
	want := `/ip firewall filter add chain=input action=accept connection-nat-state=dstnat connection-state=new comment="accept forwards to the router" place-before=[ find where comment="not from LAN" ]`
	if !slices.Contains(fx.Lines, want) {
		t.Errorf("fix %q", fx.Lines)
	}
	c, err := p.Case(fx)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(c.Probes, func(pr Probe) bool { return pr.Path == "service:winbox-by-18291@wan" })
	if i < 0 || c.Probes[i].To != "router.wan:18291" || !c.Probes[i].Wanted {
		t.Fatalf("probes %+v", c.Probes)
	}
	before := Outcome{Probe: c.Probes[i], Result: "filtered"}
	after := Outcome{Probe: c.Probes[i], Result: "open"}
	after.Probe.Phase = "fixed"
	word, text, code := Verdict(found, fx, []Outcome{before, after})
	if word != "broken" || code != 1 || !strings.Contains(text, "dropped by the input chain") {
		t.Errorf("Verdict = %s, %q, %d", word, text, code)
	}
	if w := ServiceWarnings([]Outcome{before}, before.Probe.Phase); len(w) != 1 || !strings.Contains(w[0], "WinBox (8291), forwarded to it from the internet") {
		t.Errorf("warnings %q", w)
	}
	// The drop in a chain of its own that input jumps to: the accept goes
	// above the jump, which input meets first (above the drop it would
	// come after the jump, and never be reached).
	jumped := strings.Replace(export, `add action=drop chain=input comment="not from LAN" in-interface-list=!LAN`,
		`add action=jump chain=input comment="to the WAN checks" jump-target=wan-in
add action=drop chain=wan-in comment="not from LAN" in-interface-list=!LAN`, 1)
	p = importNamed(t, "winbox-jump.rsc", []byte(jumped))
	found, _ = p.Diagnose()
	fx = p.Propose(found)
	want = `/ip firewall filter add chain=input action=accept connection-nat-state=dstnat connection-state=new comment="accept forwards to the router" place-before=[ find where comment="to the WAN checks" ]`
	if !slices.Contains(fx.Lines, want) {
		t.Errorf("drop in a jumped-to chain: findings %+v, fix %q", found, fx.Lines)
	}
}
