package agentcmd

import (
	"net/netip"
	"strings"
	"testing"
)

func TestAccessRuleset(t *testing.T) {
	var a accessFlags
	for _, fl := range []struct{ name, v string }{
		{"antispoof", "100.64.0.0/24=100.64.0.0/24"},
		{"snat", "100.64.0.0/24=198.51.100.1"},
		{"block-inbound", "100.64.0.0/24"},
		{"port-forward", "tcp:198.51.100.1:12566=100.64.0.2:12566"},
	} {
		if err := setAccessFlag(&a, fl.name, fl.v); err != nil {
			t.Fatalf("--%s %s: %v", fl.name, fl.v, err)
		}
	}
	rules, err := accessRuleset(&a, func(p netip.Prefix) (string, error) { return "eth1", nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`iifname "eth1" ip saddr != { 0.0.0.0, 100.64.0.0/24 } counter drop`,
		`ip saddr 100.64.0.0/24 oifname != "eth1" counter snat to 198.51.100.1`,
		`ip daddr 100.64.0.0/24 ip saddr != 100.64.0.0/24 counter drop`,
		`ip daddr 198.51.100.1 tcp dport 12566 counter dnat to 100.64.0.2:12566`,
	} {
		if !strings.Contains(rules, want) {
			t.Errorf("ruleset lacks %q:\n%s", want, rules)
		}
	}
}

func TestAccessFlagErrors(t *testing.T) {
	for _, fl := range []struct{ name, v string }{
		{"port-forward", "sctp:1.2.3.4:1=5.6.7.8:1"},
		{"port-forward", "tcp:1.2.3.4=5.6.7.8:1"},
		{"antispoof", "10.0.0.0/24"},
		{"snat", "10.0.0.0/24=x"},
		{"route", "10.0.0.0/24"},
	} {
		var a accessFlags
		if err := setAccessFlag(&a, fl.name, fl.v); err == nil {
			t.Errorf("--%s %s: accepted", fl.name, fl.v)
		}
	}
}
