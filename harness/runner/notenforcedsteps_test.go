package runner

import (
	"context"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
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
	tieNotEnforced(context.Background(), spec, "7.16.2", nil, s, steps)
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

// TestTieNotEnforcedCounter (forum32 D5, ftp-bruteforce): a step whose
// counter on the content= rule stayed at 0 is tied to content=; a
// failed counter on a rule without such a matcher is not (control).
func TestTieNotEnforcedCounter(t *testing.T) {
	spec := &lab.Spec{Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}}}
	s := &scenario.Scenario{RSC: []byte(`/ip firewall filter
add chain=input protocol=tcp dst-port=21 src-address-list=ftp_blacklist action=drop comment="drop ftp brute forcers"
add chain=output action=add-dst-to-address-list protocol=tcp content="530 Login incorrect" address-list=ftp_blacklist address-list-timeout=3h comment="ftp 530"
`)}
	counted := func(rule string) scenario.StepResult {
		return scenario.StepResult{Probe: scenario.FTP, To: "router.wan:21", Line: 10, Why: "counted 0 packets",
			Expect: scenario.Expect{Counter: scenario.CounterExpect{Rule: rule, Packets: ">0"}},
			Seen:   scenario.Observation{Counter: &scenario.Counter{Rule: rule, Matched: 1}}}
	}
	steps := []scenario.StepResult{
		counted(`/ip firewall filter [find comment="ftp 530"]`),
		counted(`/ip firewall filter [find comment="drop ftp brute forcers"]`),
	}
	tieNotEnforced(context.Background(), spec, "7.16.2", nil, s, steps)
	if got := steps[0].NotEnforced; !strings.Contains(got, "its counter's rule (/ip firewall filter *") || !strings.Contains(got, "uses content=, which rosemu does not enforce (") {
		t.Errorf("content= rule's step: %q", got)
	}
	if got := steps[1].NotEnforced; got != "" {
		t.Errorf("drop rule's step tied: %q", got)
	}
}
