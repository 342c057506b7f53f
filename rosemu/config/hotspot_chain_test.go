package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestHotspotChainRule: a 7.20.6 export adds "chain=hs-input action=accept
// protocol=icmp" beside an enabled hotspot. On RouterOS the hotspot's
// dynamic rules jump to hs-input for its clients' packets, and rosemu's
// hotspot does too, so the rule runs (it was reported as stored while
// rosemu ran no hotspot, realcheck29 D5). A rule in hs-smtp, which
// rosemu's hotspot does not jump to, is reported; the same rule without a
// hotspot, and a chain a rule of the user jumps to, are the controls.
func TestHotspotChainRule(t *testing.T) {
	const hs = "/ip pool add name=hs ranges=192.168.56.2-192.168.56.254\n" +
		"/ip address add address=192.168.56.1/24 interface=ether2\n" +
		"/ip hotspot add address-pool=hs disabled=no interface=ether2 name=hotspot1\n"
	const rule = "/ip firewall filter add action=accept chain=hs-input comment=\"Allow ping to router\" protocol=icmp"
	const natRule = "/ip firewall nat add action=accept chain=pre-hotspot dst-address-type=!local"
	const smtpRule = "/ip firewall nat add action=accept chain=hs-smtp"
	cases := []struct {
		src  string
		line int
		want string
	}{
		{hs + rule, 4, ""},
		{hs + natRule, 4, ""},
		{hs + smtpRule, 4, hotspotChainReason},
		{rule, 1, ""},
		{hs + "/ip firewall filter add action=jump chain=input jump-target=hs-input\n" + rule, 5, ""},
	}
	for _, c := range cases {
		v := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.20.6"}).Validate(context.Background(), c.src, time.Second)
		found := false
		for _, f := range v.Findings {
			if f.Line != c.line {
				continue
			}
			found = true
			if c.want == "" && f.Verdict != Accepted || c.want != "" && (f.Verdict != NotEnforced || f.Msg != c.want) {
				t.Errorf("%q line %d: %v %q, want %q", c.src, c.line, f.Verdict, f.Msg, c.want)
			}
		}
		if !found {
			t.Errorf("%q: no finding for line %d", c.src, c.line)
		}
	}
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.20.6"})
	run(t, r, hs+smtpRule)
	var reasons []string
	for _, n := range r.NotEnforced() {
		reasons = append(reasons, n.String())
	}
	if joined := strings.Join(reasons, "\n"); !strings.Contains(joined, "/ip firewall nat") || !strings.Contains(joined, hotspotChainReason) {
		t.Errorf("NotEnforced lacks the hs-smtp rule:\n%s", joined)
	}
}
