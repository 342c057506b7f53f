package runner

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
	"github.com/chrlab/chrlab/rosemu/config"
)

// TestTieNotEnforcedPort (forum32 D5, snmp-lan): a failed probe of the
// router's UDP 161 while /snmp is enabled is tied to /snmp; the same
// probe after a configure step turned SNMP off, and a failed probe of
// another port, are not (controls).
func TestTieNotEnforcedPort(t *testing.T) {
	spec := &lab.Spec{Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}}}
	s := &scenario.Scenario{
		RSC:   []byte("/snmp set enabled=yes contact=noc\n/ip proxy set enabled=yes port=8080\n"),
		Steps: []scenario.Step{{Line: 17, Action: scenario.Configure, RSC: "/snmp set enabled=no\n"}},
	}
	steps := []scenario.StepResult{
		{Index: 1, Line: 13, Probe: scenario.UDP, To: "router.lan:161", Why: "result refused, expected timeout"},
		{Index: 2, Line: 15, Probe: scenario.UDP, To: "router.lan:162", Why: "result refused, expected timeout"},
		{Index: 3, Line: 16, Probe: scenario.Port, To: "router.wan:8080", Why: "result refused, expected filtered"},
		{Index: 4, Line: 17, Action: scenario.Configure, OK: true},
		{Index: 5, Line: 20, Probe: scenario.UDP, To: "router.lan:161", Why: "result timeout, expected refused"},
		{Index: 6, Line: 21, Probe: scenario.UDP, To: "router.lan:161", OK: true},
	}
	tieNotEnforced(context.Background(), spec, "7.16.2", nil, s, steps, nil)
	if got := steps[0].NotEnforced; !strings.Contains(got, "router.lan:161 udp/161 is the port of /snmp, which rosemu does not enforce (rosemu runs no SNMP agent)") {
		t.Errorf("step 1 tie: %q", got)
	}
	if got := steps[2].NotEnforced; !strings.Contains(got, "tcp/8080 is the port of /ip proxy") {
		t.Errorf("step 3 tie: %q", got)
	}
	for _, i := range []int{1, 3, 4, 5} {
		if steps[i].NotEnforced != "" {
			t.Errorf("step %d tied: %q", steps[i].Index, steps[i].NotEnforced)
		}
	}
}

// TestTieNotEnforcedNTPServer (forum56 N1): a failed probe of the
// router's UDP 123 while the NTP server is enabled is tied to it; with
// the server off (the default) it is not (control).
func TestTieNotEnforcedNTPServer(t *testing.T) {
	spec := &lab.Spec{Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}}}
	s := &scenario.Scenario{
		RSC:   []byte("/system ntp server set enabled=yes\n"),
		Steps: []scenario.Step{{Line: 12, Action: scenario.Configure, RSC: "/system ntp server set enabled=no\n"}},
	}
	steps := []scenario.StepResult{
		{Index: 1, Line: 10, Probe: scenario.UDP, To: "router.lan:123", Why: "result refused, expected ok"},
		{Index: 2, Line: 12, Action: scenario.Configure, OK: true},
		{Index: 3, Line: 15, Probe: scenario.UDP, To: "router.lan:123", Why: "result refused, expected ok"},
	}
	tieNotEnforced(context.Background(), spec, "7.16.2", nil, s, steps, nil)
	if got := steps[0].NotEnforced; !strings.Contains(got, "router.lan:123 udp/123 is the port of /system ntp server, which rosemu does not enforce (rosemu runs no NTP server)") {
		t.Errorf("step 1 tie: %q", got)
	}
	if got := steps[2].NotEnforced; got != "" {
		t.Errorf("step 3 tied with the server off: %q", got)
	}
}

// TestTieNotEnforcedCounter (forum32 D5, ftp-bruteforce): a step whose
// counter on the content= rule stayed at 0 is tied to content=; a
// failed counter on a rule without such a matcher is not (control).
func TestTieNotEnforcedCounter(t *testing.T) {
	spec := &lab.Spec{Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}}}
	s := &scenario.Scenario{RSC: []byte(`/ip firewall filter
add chain=input protocol=tcp dst-port=21 src-address-list=ftp_blacklist action=drop comment="drop ftp brute forcers"
add chain=output action=add-dst-to-address-list protocol=tcp content="530 Login incorrect" address-list=ftp_blacklist address-list-timeout=3h comment="ftp 530"
add chain=input protocol=tcp dst-port=2121 action=tarpit comment="tarpit"
`)}
	counted := func(rule string) scenario.StepResult {
		return scenario.StepResult{Probe: scenario.FTP, To: "router.wan:21", Line: 10, Why: "counted 0 packets",
			Expect: scenario.Expect{Counter: scenario.CounterExpect{Rule: rule, Packets: ">0"}},
			Seen:   scenario.Observation{Counter: &scenario.Counter{Rule: rule, Matched: 1}}}
	}
	steps := []scenario.StepResult{
		counted(`/ip firewall filter [find comment="ftp 530"]`),
		counted(`/ip firewall filter [find comment="drop ftp brute forcers"]`),
		counted(`/ip firewall filter [find comment="tarpit"]`),
	}
	tieNotEnforced(context.Background(), spec, "7.16.2", nil, s, steps, nil)
	if got := steps[0].NotEnforced; !strings.Contains(got, "its counter's rule (/ip firewall filter *") || !strings.Contains(got, "uses content=, which rosemu does not enforce (") {
		t.Errorf("content= rule's step: %q", got)
	}
	if got := steps[1].NotEnforced; got != "" {
		t.Errorf("drop rule's step tied: %q", got)
	}
	// forum46 N10: an approximated action still counts what it matches.
	if got := steps[2].NotEnforced; got != "" {
		t.Errorf("tarpit rule's counter tied: %q", got)
	}
}

// TestStepCaveatIPsecPolicy (forum34 D6, ipsec-s2s-natbypass): a passed
// step from client1 to 10.77.0.1 while a stored-only IPsec policy (a
// transport one, which rosemu makes no SA for) covers 192.168.88.0/24 ->
// 10.77.0.0/24 gets a caveat naming the policy; the same step while the
// only policy covers another network, and a failed step, get none
// (controls). A tunnel policy rosemu runs with strongSwan gets none
// either (ipsec73): the caveat said "rosemu makes no SA" of it.
func TestStepCaveatIPsecPolicy(t *testing.T) {
	spec := &lab.Spec{
		Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}},
		Nodes:  []lab.Node{{Name: "client1", Interfaces: []lab.Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.88.20")}}}},
	}
	peer := "/ip ipsec peer add address=198.51.100.61/32 name=site2\n/ip ipsec identity add peer=site2 secret=thisisnotasecurepsk\n"
	run := func(policy string) []scenario.StepResult {
		s := &scenario.Scenario{RSC: []byte(peer + policy)}
		steps := []scenario.StepResult{
			{Index: 1, Line: 10, Probe: scenario.TCP, From: "client1", To: "10.77.0.1:12566", Target: "10.77.0.1:12566", OK: true},
			{Index: 2, Line: 12, Probe: scenario.TCP, From: "client1", To: "10.77.0.1:12566", Target: "10.77.0.1:12566", Why: "result ok, expected timeout"},
		}
		tieNotEnforced(context.Background(), spec, "7.16.2", nil, s, steps, nil)
		return steps
	}
	steps := run("/ip ipsec policy add dst-address=10.77.0.0/24 peer=site2 src-address=192.168.88.0/24 tunnel=no\n")
	if got := steps[0].Caveat; !strings.Contains(got, "/ip ipsec policy *") || !strings.Contains(got, "src-address=192.168.88.0/24 dst-address=10.77.0.0/24") || !strings.Contains(got, "covers client1 -> 10.77.0.1") {
		t.Errorf("covered step's caveat: %q", got)
	}
	if steps[1].Caveat != "" {
		t.Errorf("failed step has a caveat: %q", steps[1].Caveat)
	}
	steps = run("/ip ipsec policy add dst-address=10.99.0.0/24 peer=site2 src-address=192.168.88.0/24 tunnel=no\n")
	if got := steps[0].Caveat; got != "" {
		t.Errorf("step outside the policy has a caveat: %q", got)
	}
	steps = run("/ip ipsec policy add dst-address=10.77.0.0/24 peer=site2 src-address=192.168.88.0/24 tunnel=yes\n")
	if got := steps[0].Caveat; got != "" {
		t.Errorf("step covered by a tunnel policy rosemu runs has a caveat: %q", got)
	}
}

// TestStepCaveatIPsecMasqueraded (forum58 N2, f58-ipsec-natbypass): a
// passed step to the far LAN whose server saw the router's WAN address
// was masqueraded before the policy lookup (policies are matched after
// srcnat), so it left in clear text on RouterOS too: no caveat. Control:
// the same step whose server saw client1 itself keeps it.
func TestStepCaveatIPsecMasqueraded(t *testing.T) {
	spec := &lab.Spec{
		Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}},
		Nodes:  []lab.Node{{Name: "client1", Interfaces: []lab.Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.88.20")}}}},
	}
	s := &scenario.Scenario{RSC: []byte("/ip ipsec peer add address=198.51.100.61/32 name=site\n/ip ipsec identity add peer=site secret=thisisnotasecurepsk\n" +
		"/ip ipsec policy add dst-address=10.77.0.0/24 peer=site src-address=192.168.88.0/24 tunnel=no\n")}
	step := func(saw string) scenario.StepResult {
		return scenario.StepResult{Index: 1, Line: 10, Probe: scenario.TCP, From: "client1", To: "10.77.0.1:12566", Target: "10.77.0.1:12566", OK: true,
			Seen: scenario.Observation{Result: "ok", ServerName: "site", ServerSaw: saw}}
	}
	steps := []scenario.StepResult{step("203.0.113.2"), step("192.168.88.20")}
	tieNotEnforced(context.Background(), spec, "7.16.2", nil, s, steps, nil)
	if got := steps[0].Caveat; got != "" {
		t.Errorf("masqueraded step has the policy's caveat: %q", got)
	}
	if got := steps[1].Caveat; !strings.Contains(got, "covers client1 -> 10.77.0.1") {
		t.Errorf("unmasqueraded step (control): caveat %q", got)
	}
}

// TestStepCaveatChainRule (forum34 D6): a passed forward step while a
// forward rule uses content= (stored only) gets a caveat; an input rule
// with content= does not touch it (control).
func TestStepCaveatChainRule(t *testing.T) {
	spec := &lab.Spec{
		Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}},
		Nodes:  []lab.Node{{Name: "client1", Interfaces: []lab.Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.88.20")}}}},
	}
	run := func(chain string) string {
		s := &scenario.Scenario{RSC: []byte("/ip firewall filter add chain=" + chain + " action=drop protocol=tcp content=secret\n")}
		steps := []scenario.StepResult{{Index: 1, Line: 10, Probe: scenario.TCP, From: "client1", To: "server:80", Target: "198.51.100.50:80", OK: true}}
		tieNotEnforced(context.Background(), spec, "7.16.2", nil, s, steps, nil)
		return steps[0].Caveat
	}
	if got := run("forward"); !strings.Contains(got, "in chain forward, which the step's packets cross, uses content=") {
		t.Errorf("forward rule: %q", got)
	}
	if got := run("input"); got != "" {
		t.Errorf("input rule touches a forwarded step: %q", got)
	}
}

// TestStepCaveatOncePerStage: the caveats and ties of a run with three
// configure steps are those of judging every step again at every stage
// before it, as the runner did, printing the rows for each step (the
// reference below); the rows are now printed once per stage that judges
// a passed step, not once per step and stage.
func TestStepCaveatOncePerStage(t *testing.T) {
	spec := &lab.Spec{
		Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}},
		Nodes:  []lab.Node{{Name: "client1", Interfaces: []lab.Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.88.20")}}}},
	}
	s := &scenario.Scenario{
		RSC: []byte("/snmp set enabled=yes\n/ip firewall filter add chain=forward action=drop protocol=tcp content=secret comment=c1\n" +
			"/ip ipsec peer add address=198.51.100.61/32 name=site2\n/ip ipsec identity add peer=site2 secret=thisisnotasecurepsk\n"),
		Steps: []scenario.Step{
			{Line: 20, Action: scenario.Configure, RSC: "/ip ipsec policy add dst-address=10.77.0.0/24 peer=site2 src-address=192.168.88.0/24 tunnel=no\n"},
			{Line: 30, Action: scenario.Configure, RSC: "/ip firewall filter disable [find comment=c1]\n"},
			{Line: 40, Action: scenario.Configure, RSC: "/ip firewall filter add chain=input action=drop protocol=tcp content=x\n"},
		},
	}
	fwd := func(line int, ok bool) scenario.StepResult {
		return scenario.StepResult{Line: line, Probe: scenario.TCP, From: "client1", To: "10.77.0.1:12566", Target: "10.77.0.1:12566", OK: ok}
	}
	self := func(line int, ok bool) scenario.StepResult {
		return scenario.StepResult{Line: line, Probe: scenario.UDP, From: "client1", To: "router.lan:161", Target: "192.168.88.1:161", OK: ok}
	}
	mk := func() []scenario.StepResult {
		return []scenario.StepResult{fwd(10, true), self(11, false), fwd(15, true), {Line: 20, Action: scenario.Configure, OK: true},
			fwd(25, true), self(26, true), {Line: 30, Action: scenario.Configure, OK: true}, fwd(35, true), self(36, false),
			{Line: 40, Action: scenario.Configure, OK: true}, self(45, true), fwd(46, true)}
	}
	ctx := context.Background()
	want := mk()
	reads := caveatReads.Load()
	offline(ctx, spec, "7.16.2", nil, s, func(_ string, line, _ int, r *config.Router) {
		stored := len(r.NotEnforced()) > 0
		for i := range want {
			st := &want[i]
			if st.Probe == "" || st.Line <= line {
				continue
			}
			st.NotEnforced, st.Caveat = "", ""
			switch {
			case !stored:
			case st.OK:
				st.Caveat = stepCaveat(r, readCaveatRows(ctx, r), spec, *st)
			default:
				st.NotEnforced = stepTie(ctx, r, *st)
			}
		}
	})
	refReads := caveatReads.Load() - reads
	got := mk()
	reads = caveatReads.Load()
	tieNotEnforced(ctx, spec, "7.16.2", nil, s, got, nil)
	gotReads := caveatReads.Load() - reads
	for i := range want {
		if got[i].Caveat != want[i].Caveat || got[i].NotEnforced != want[i].NotEnforced {
			t.Errorf("step at line %d: caveat %q tie %q, want caveat %q tie %q", want[i].Line, got[i].Caveat, got[i].NotEnforced, want[i].Caveat, want[i].NotEnforced)
		}
	}
	// The run is worth comparing: the stages changed what the steps get.
	if !strings.Contains(want[0].Caveat, "content=") || strings.Contains(want[0].Caveat, "ipsec policy") ||
		!strings.Contains(want[4].Caveat, "ipsec policy") || strings.Contains(want[7].Caveat, "content=") ||
		want[1].NotEnforced == "" {
		t.Errorf("reference caveats do not change with the stages: %q, %q, %q, tie %q", want[0].Caveat, want[4].Caveat, want[7].Caveat, want[1].NotEnforced)
	}
	// Five stages (the lab's port names, the router's text, three
	// steps); the port-name stage stores nothing not enforced, so at most
	// four read rows, where the reference read them for every passed step
	// at every stage before it.
	if gotReads > 4 {
		t.Errorf("rows read %d times (reference %d), want at most once per stage", gotReads, refReads)
	}
	t.Logf("rows read %d times, %d before", gotReads, refReads)
}

// TestStepCaveatDNS (forum40 D3): a passed dns step to the router's
// resolver while an /ip dns setting is stored only (an ad list) gets a
// caveat naming it; the same step without it (control), with DoH
// configured (enforced since rosemu has a DoH client) and a dns step to
// another server get none.
func TestStepCaveatDNS(t *testing.T) {
	spec := &lab.Spec{
		Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}},
		Nodes:  []lab.Node{{Name: "client1", Interfaces: []lab.Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.88.20")}}}},
	}
	run := func(rsc, to, target string) string {
		s := &scenario.Scenario{RSC: []byte(rsc)}
		steps := []scenario.StepResult{{Index: 1, Line: 10, Probe: scenario.DNS, From: "client1", To: to, Target: target, OK: true}}
		tieNotEnforced(context.Background(), spec, "7.16.2", nil, s, steps, nil)
		return steps[0].Caveat
	}
	adlist := "/ip dns set allow-remote-requests=yes servers=198.51.100.53\n/ip dns adlist add url=https://198.51.100.53/hosts.txt\n"
	if got := run(adlist, "router.lan:53", "192.168.88.1:53"); !strings.Contains(got, "/ip dns adlist") {
		t.Errorf("dns step with an ad list: %q", got)
	}
	doh := "/ip dns set allow-remote-requests=yes servers=198.51.100.53 use-doh-server=https://198.51.100.53/dns-query verify-doh-cert=yes\n/ip dns static add address=192.168.88.10 name=nas.home\n"
	if got := run(doh, "router.lan:53", "192.168.88.1:53"); got != "" {
		t.Errorf("dns step with DoH (enforced): %q", got)
	}
	if got := run(adlist, "dns:53", "198.51.100.53:53"); got != "" {
		t.Errorf("dns step to another server: %q", got)
	}
	plain := "/ip dns set allow-remote-requests=yes servers=198.51.100.53\n/ip firewall filter add chain=forward action=drop protocol=tcp content=x\n"
	if got := run(plain, "router.lan:53", "192.168.88.1:53"); got != "" {
		t.Errorf("dns step without DoH: %q", got)
	}
}

// TestStepCaveatOutcome (forum45 D1): the defconf fasttrack rule's
// hw-offload=yes gives a passed forward step no caveat (it changes no
// connection's outcome), an IPv6 step gets none for an IPv4 rule, and a
// step whose probe found no route crossed no chain; a forward rule with
// content= (stored only) still gives an IPv4 step its caveat (control).
func TestStepCaveatOutcome(t *testing.T) {
	spec := &lab.Spec{
		Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}},
		Nodes:  []lab.Node{{Name: "client1", Interfaces: []lab.Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.88.20")}}}},
	}
	run := func(rsc string, st scenario.StepResult) string {
		s := &scenario.Scenario{RSC: []byte(rsc)}
		st.Index, st.Line, st.Probe, st.From, st.To, st.OK = 1, 10, scenario.TCP, "client1", "peer:12566", true
		steps := []scenario.StepResult{st}
		tieNotEnforced(context.Background(), spec, "7.16.2", nil, s, steps, nil)
		return steps[0].Caveat
	}
	fasttrack := "/ip firewall filter add action=fasttrack-connection chain=forward comment=\"defconf: fasttrack\" connection-state=established,related hw-offload=yes\n"
	content := "/ip firewall filter add chain=forward action=drop protocol=tcp content=secret\n"
	v4 := scenario.StepResult{Target: "198.51.100.50:12566", Seen: scenario.Observation{Result: "ok"}}
	v6 := scenario.StepResult{Target: "[2001:db8:50::50]:12566", Seen: scenario.Observation{Result: "ok"}}
	noRoute := scenario.StepResult{Target: "198.51.100.50:12566", Seen: scenario.Observation{Result: "unreachable", Detail: "connect to 198.51.100.50:12566: dial tcp 198.51.100.50:12566: connect: network is unreachable"}}
	if got := run(fasttrack, v4); got != "" {
		t.Errorf("hw-offload caveat on a forward step: %q", got)
	}
	if got := run(content, v6); got != "" {
		t.Errorf("IPv4 rule's caveat on an IPv6 step: %q", got)
	}
	if got := run(content, noRoute); got != "" {
		t.Errorf("caveat on a step that found no route: %q", got)
	}
	if got := run(content, v4); !strings.Contains(got, "in chain forward, which the step's packets cross, uses content=") {
		t.Errorf("content= rule on an IPv4 forward step: %q", got)
	}
	reject := content + "/ip firewall filter add chain=forward action=reject reject-with=icmp-network-unreachable protocol=udp\n"
	if got := run(reject, noRoute); !strings.Contains(got, "content=") {
		t.Errorf("unreachable step with a rejecting forward rule: %q", got)
	}
}

// TestNotEnforcedOffPath (forum46 N10): a failed ping of the router while
// an input rule for protocol=tcp uses action=tarpit (stored, not
// enforced) has nothing stored-only on its path: no ICMP packet meets the
// rule. Controls: the same rule without protocol=, and a failed TCP step
// to the router with the tcp rule, are on the path.
func TestNotEnforcedOffPath(t *testing.T) {
	spec := &lab.Spec{
		Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}},
		Nodes:  []lab.Node{{Name: "client1", Interfaces: []lab.Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.88.20")}}}},
	}
	run := func(proto string, probe scenario.Kind, to, target string) scenario.StepResult {
		s := &scenario.Scenario{RSC: []byte("/ip firewall filter add chain=input action=tarpit " + proto + "src-address-list=blacklist\n")}
		steps := []scenario.StepResult{{Index: 1, Line: 10, Probe: probe, From: "client1", To: to, Target: target, Seen: scenario.Observation{Result: "ok"}}}
		tieNotEnforced(context.Background(), spec, "7.16.2", nil, s, steps, nil)
		return steps[0]
	}
	for _, c := range []struct {
		name, proto string
		probe       scenario.Kind
		to, target  string
		off         bool
	}{
		{"ping, tcp rule", "protocol=tcp ", scenario.Ping, "router.lan", "192.168.88.1", true},
		{"ping, tcp rule by number", "protocol=6 ", scenario.Ping, "router.lan", "192.168.88.1", true},
		{"ping, rule for every protocol", "", scenario.Ping, "router.lan", "192.168.88.1", false},
		{"tcp, tcp rule", "protocol=tcp ", scenario.TCP, "router.lan:22", "192.168.88.1:22", false},
	} {
		if got := run(c.proto, c.probe, c.to, c.target); got.NotEnforcedOffPath != c.off || got.NotEnforced != "" {
			t.Errorf("%s: off the path %v (tie %q), want %v", c.name, got.NotEnforcedOffPath, got.NotEnforced, c.off)
		}
	}
}

// TestStepCaveatRouterLiteral (forum48): a step written with one of the
// router's own addresses, IPv4 or IPv6, probes the router as router.wan
// does, so a stored-only input rule is on its path (a failed IPv6 knock on
// [3fff:113::2]:555 was said to have none on its path); a step to another
// host's address is still judged as forwarded (control).
func TestStepCaveatRouterLiteral(t *testing.T) {
	spec := &lab.Spec{
		Router: lab.Router{Ports: []lab.Interface{{Network: "isp", Address: netip.MustParseAddr("203.0.113.2")}, {Network: "lan"}}},
		Nodes:  []lab.Node{{Name: "peer", Interfaces: []lab.Interface{{Network: "internet", Address: netip.MustParseAddr("198.51.100.50")}}}},
	}
	rsc := "/ipv6 address add address=3fff:113::2/64 interface=ether1 advertise=no\n" +
		"/ip firewall filter add chain=input action=drop protocol=tcp content=knock\n" +
		"/ipv6 firewall filter add chain=input action=drop protocol=tcp dst-port=555 content=knock\n"
	run := func(to string) scenario.StepResult {
		s := &scenario.Scenario{RSC: []byte(rsc)}
		steps := []scenario.StepResult{{Index: 1, Line: 10, Probe: scenario.Port, From: "peer", To: to, Target: to, Seen: scenario.Observation{Result: "filtered"}}}
		tieNotEnforced(context.Background(), spec, "7.16.2", nil, s, steps, nil)
		return steps[0]
	}
	for _, c := range []struct {
		to  string
		off bool
	}{
		{"203.0.113.2:22", false},    // a lab port's address
		{"[3fff:113::2]:555", false}, // an address of the configuration
		{"198.51.100.60:22", true},   // another host: forwarded, input rules off the path
		{"[3fff:100::60]:555", true},
	} {
		if got := run(c.to); got.NotEnforcedOffPath != c.off {
			t.Errorf("%s: off the path %v, want %v (tie %q)", c.to, got.NotEnforcedOffPath, c.off, got.NotEnforced)
		}
	}
}

// tcpCaveat is the caveat of a passed TCP step from client1 (a LAN host
// of a two-port lab) to target under the configuration rsc.
func tcpCaveat(rsc, target string) string {
	spec := &lab.Spec{
		Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}},
		Nodes:  []lab.Node{{Name: "client1", Interfaces: []lab.Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.88.20")}}}},
	}
	s := &scenario.Scenario{RSC: []byte(rsc)}
	steps := []scenario.StepResult{{Index: 1, Line: 10, Probe: scenario.TCP, From: "client1", To: "peer:x", Target: target, OK: true}}
	tieNotEnforced(context.Background(), spec, "7.16.2", nil, s, steps, nil)
	return steps[0].Caveat
}

// TestStepCaveatDstPort (forum48 N1): a forward rule with a stored-only
// matcher for dst-port=443 cannot touch a step to port 12566, so that
// step gets no caveat; a step to 443, a rule for a range holding the
// port, and the same step while a dst-nat rule may change ports keep it
// (controls).
func TestStepCaveatDstPort(t *testing.T) {
	rule := func(port string) string {
		return "/ip firewall filter add chain=forward action=reject reject-with=tcp-reset protocol=tcp dst-port=" + port + " tls-host=*.youtube.com\n"
	}
	fwd := "/ip firewall nat add chain=dstnat action=dst-nat protocol=tcp dst-port=8443 to-addresses=192.168.88.10 to-ports=443\n"
	for _, c := range []struct {
		name, rsc, target string
		caveat            bool
	}{
		{"another port", rule("443"), "198.51.100.50:12566", false},
		{"outside a list", rule("80,443"), "198.51.100.50:12566", false},
		{"its port", rule("443"), "198.51.100.50:443", true},
		{"in a range", rule("12000-13000"), "198.51.100.50:12566", true},
		{"negated", rule("!443"), "198.51.100.50:12566", true},
		{"a dst-nat may change ports", rule("443") + fwd, "198.51.100.50:12566", true},
	} {
		if got := tcpCaveat(c.rsc, c.target); (got != "") != c.caveat {
			t.Errorf("%s: caveat %q, want one: %v", c.name, got, c.caveat)
		}
	}
}

// TestStepCaveatDstAddress (forum53 N1): a dstnat rule with a stored-only
// property whose dst-address does not hold the step's target never sees
// the step's packets (dstnat, like prerouting, sees the destination before
// any translation), so the step gets no caveat; it named a netmap of
// another block. Controls: a target inside the block, a negated
// dst-address, and a forward rule of that block (the forward chain sees
// the destination after dst-nat) keep it.
func TestStepCaveatDstAddress(t *testing.T) {
	netmap := func(dst string) string {
		return "/ip firewall nat add chain=dstnat action=netmap dst-address=" + dst + " protocol=tcp dst-port=9080 to-addresses=172.16.0.0/16 to-ports=80\n"
	}
	fwd := "/ip firewall filter add chain=forward action=reject reject-with=tcp-reset protocol=tcp dst-address=10.0.0.0/16 tls-host=*.example.com\n"
	for _, c := range []struct {
		name, rsc, target string
		caveat            bool
	}{
		{"another block", netmap("10.0.0.0/16"), "198.51.100.50:12566", false},
		{"another range", netmap("10.0.0.0-10.0.255.255"), "198.51.100.50:12566", false},
		{"inside the block", netmap("10.0.0.0/16"), "10.0.5.5:12566", true},
		{"negated", netmap("!10.0.0.0/16"), "198.51.100.50:12566", true},
		{"the forward chain", fwd + netmap("10.0.0.0/16"), "198.51.100.50:12566", true},
	} {
		if got := tcpCaveat(c.rsc, c.target); (got != "") != c.caveat {
			t.Errorf("%s: caveat %q, want one: %v", c.name, got, c.caveat)
		}
	}
}

// TestTieNotEnforcedReusesReading: a run without configure steps judges
// its steps against the router readOffline left, with the same ties and
// caveats as a second replay gives; a run with a configure step keeps no
// router (its steps ran against several states).
func TestTieNotEnforcedReusesReading(t *testing.T) {
	ctx := context.Background()
	spec := &lab.Spec{Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}}}
	s := &scenario.Scenario{RSC: []byte("/snmp set enabled=yes contact=noc\n/ip proxy set enabled=yes port=8080\n")}
	mk := func() []scenario.StepResult {
		return []scenario.StepResult{
			{Index: 1, Line: 13, Probe: scenario.UDP, To: "router.lan:161", Why: "result refused, expected timeout"},
			{Index: 2, Line: 15, Probe: scenario.UDP, To: "router.lan:162", Why: "result refused, expected timeout"},
			{Index: 3, Line: 16, Probe: scenario.Port, To: "router.wan:8080", OK: true},
		}
	}
	rd := readOffline(ctx, spec, "7.16.2", nil, s)
	if rd.final == nil {
		t.Fatal("readOffline kept no router for a run without configure steps")
	}
	reused, replayed := mk(), mk()
	tieNotEnforced(ctx, spec, "7.16.2", nil, s, reused, rd.final)
	tieNotEnforced(ctx, spec, "7.16.2", nil, s, replayed, nil)
	if !strings.Contains(reused[0].NotEnforced, "udp/161 is the port of /snmp") {
		t.Errorf("step 1 tie with the kept router: %q", reused[0].NotEnforced)
	}
	for i := range reused {
		if reused[i].NotEnforced != replayed[i].NotEnforced || reused[i].Caveat != replayed[i].Caveat || reused[i].NotEnforcedOffPath != replayed[i].NotEnforcedOffPath {
			t.Errorf("step %d: kept router %q/%q/%v, replay %q/%q/%v", i+1, reused[i].NotEnforced, reused[i].Caveat, reused[i].NotEnforcedOffPath, replayed[i].NotEnforced, replayed[i].Caveat, replayed[i].NotEnforcedOffPath)
		}
	}
	s.Steps = []scenario.Step{{Line: 14, Action: scenario.Configure, RSC: "/snmp set enabled=no\n"}}
	if rd := readOffline(ctx, spec, "7.16.2", nil, s); rd.final != nil {
		t.Error("readOffline kept a router for a run with a configure step")
	}
}
