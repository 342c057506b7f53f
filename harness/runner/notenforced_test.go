package runner

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/report"
	"github.com/chrlab/chrlab/harness/scenario"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
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

// TestEmulatorFaultsReported: a connection-rate sampler that failed during
// the run (injected into rosemu's model as its kernel would tell it) reaches
// the report's not-enforced list from the router's log, with when it
// began; the router's own entries (a port's carrier, the control) do not.
func TestEmulatorFaultsReported(t *testing.T) {
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}})
	since := time.Date(2026, 12, 5, 14, 20, 1, 0, time.Local)
	r.LogCarrier("ether1", false)
	r.LogConnRate(kernel.ConnRateFault{Err: "update the connection-rate sets: exit status 1", Since: since})
	var rows []map[string]string
	for _, e := range r.Log() {
		rows = append(rows, map[string]string{"time": e.Time.Format(time.TimeOnly), "topics": e.Topics, "message": e.Msg})
	}
	got := emulatorFaults(rows)
	if len(got) != 1 || !strings.Contains(got[0], "connection-rate not enforced since 14:20:01: rosemu's conntrack sampler failed: update the connection-rate sets: exit status 1; no connection was measured yet") {
		t.Errorf("emulator faults %q; want the sampler's failure only", got)
	}
	var b strings.Builder
	(&report.Report{NotEnforced: got}).Table(&b)
	if text := b.String(); !strings.Contains(text, "accepted, not enforced by the emulator: ") || !strings.Contains(text, "conntrack sampler failed") {
		t.Errorf("report:\n%s\nwant the failure among what was not enforced", text)
	}
}

// TestNotEnforcedUnusedChainPutToUse: a routing filter rule whose chain no
// session names is listed while it stays so to the end (the control), but
// not when a later configure step names it in a BGP session's
// input.filter: RouterOS would not have applied it before that step either,
// and rosemu applies it after.
func TestNotEnforcedUnusedChainPutToUse(t *testing.T) {
	spec := &lab.Spec{Router: lab.Router{Ports: []lab.Interface{{Network: "wan"}, {Network: "lan"}}}}
	rules := []byte("/routing filter rule\nadd chain=bgp-in rule=\"accept\"\n")
	session := "/routing bgp connection add name=a as=65001 remote.address=10.0.0.2 remote.as=65002 local.role=ebgp router-id=10.255.0.1 input.filter=bgp-in\n"
	unused := "/routing filter rule: 1 (no BGP session or OSPF instance rosemu runs applies the rule's chain"
	stays := &scenario.Scenario{RSC: rules}
	if got := strings.Join(notEnforced(context.Background(), spec, "7.16.2", nil, stays), "\n"); !strings.Contains(got, unused) {
		t.Errorf("an unused chain to the end:\n%s\nwant a line with %q", got, unused)
	}
	used := &scenario.Scenario{RSC: rules, Steps: []scenario.Step{{Action: scenario.Configure, RSC: session}}}
	if got := strings.Join(notEnforced(context.Background(), spec, "7.16.2", nil, used), "\n"); strings.Contains(got, "/routing filter rule") {
		t.Errorf("a chain a later step put into use is listed:\n%s", got)
	}
}
