package runner

import (
	"context"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
)

// The report lists what of the run's configuration the emulator stores
// without enforcing: the base's, the router's and a configure step's; a
// configuration that is all modelled lists nothing. (The queue that is
// stored targets an IPv6 prefix: an interface target, which this test
// used, is enforced now.)
func TestNotEnforcedOfARun(t *testing.T) {
	spec := &lab.Spec{Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}}}
	s := &scenario.Scenario{
		RSC:   []byte("/ip firewall filter\nadd action=tarpit chain=input protocol=tcp\n"),
		Steps: []scenario.Step{{Action: scenario.Configure, RSC: "/queue simple add max-limit=10M/10M name=q1 target=192.168.88.0/24\n/queue simple add max-limit=10M/10M name=q2 target=fd00::/64\n/queue tree add name=t1 parent=global max-limit=5M\n"}},
	}
	got := strings.Join(notEnforced(context.Background(), spec, "7.16.2", []byte("/ip address add address=192.168.88.1/24 interface=ether2\n"), s), "\n")
	for _, want := range []string{"/ip firewall filter action: 1 (action=tarpit:", "/queue simple target: 1 (", "/queue tree: 1 ("} {
		if !strings.Contains(got, want) {
			t.Errorf("not enforced:\n%s\nwant a line with %q", got, want)
		}
	}
	plain := &scenario.Scenario{RSC: []byte("/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n")}
	if got := notEnforced(context.Background(), spec, "7.16.2", nil, plain); len(got) != 0 {
		t.Errorf("a modelled configuration lists %q", got)
	}
}

// TestNotEnforcedCleared: a setting a later configure step takes out
// again (a negative control clearing it) is still listed, since the steps
// before ran without it being enforced.
func TestNotEnforcedCleared(t *testing.T) {
	spec := &lab.Spec{Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}}}
	s := &scenario.Scenario{
		RSC:   []byte("/ip firewall filter\nadd action=tarpit chain=input protocol=tcp comment=t\n"),
		Steps: []scenario.Step{{Action: scenario.Configure, RSC: "/ip firewall filter remove [find comment=t]\n"}},
	}
	got := strings.Join(notEnforced(context.Background(), spec, "7.16.2", nil, s), "\n")
	if !strings.Contains(got, "/ip firewall filter action: 1 (action=tarpit:") {
		t.Errorf("not enforced after the rule was removed again:\n%s", got)
	}
}
