package check

import (
	"slices"
	"strings"
	"testing"
)

// A routing rule sends the server's own traffic to the second ISP's table
// (/routing rule add src-address=<server>/32 action=lookup table=to-isp2),
// while the server's forward is on the first ISP: its answers leave by
// ether2 with ether2's address, and ISP1's clients never get them. The
// export's policy routing made the diagnosis silent ("no problem found");
// now the rule is named for the forward's internet path. A rule for
// another host, or one check cannot read (min-prefix), is no finding. The
// LAN bridge is on ether3: ether2, the second WAN, is no bridge port (a
// WAN address on a bridge port is invalid on RouterOS).
func TestRoutingRuleSendsTheAnswersOut(t *testing.T) {
	text := `# 2026-12-01 18:40:02 by RouterOS 7.16.2
` + strings.Replace(homeBridge, "interface=ether2", "interface=ether3", 1) + `add interface=ether1 list=WAN
add interface=ether2 list=WAN
/routing table
add disabled=no fib name=to-isp2
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=192.0.2.2/29 interface=ether2 network=192.0.2.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=443 in-interface=ether1 protocol=tcp to-addresses=192.168.88.60
/ip route
add distance=2 dst-address=0.0.0.0/0 gateway=192.0.2.1
add dst-address=0.0.0.0/0 gateway=192.0.2.1 routing-table=to-isp2
/routing rule
add action=lookup %RULE% table=to-isp2
`
	for _, tt := range []struct {
		rule string
		want bool
	}{
		{"src-address=192.168.88.60/32", true},
		{"src-address=192.168.88.0/24 interface=bridge", true},
		{"src-address=192.168.88.70/32", false},
		{"src-address=192.168.88.60/32 min-prefix=0", false},
	} {
		p := importText(t, strings.Replace(text, "%RULE%", tt.rule, 1))
		found, _ := p.Diagnose()
		got := slices.ContainsFunc(found, func(f Finding) bool {
			return f.Cause == RuleSendsAnswers && f.Path == "internet via ether1" && f.Line == 27 && strings.Contains(f.Detail, "leaves by ether2")
		})
		if got != tt.want {
			t.Errorf("%s: finding %v, want %v: %+v", tt.rule, got, tt.want, found)
		}
	}
}

// The routing rule's finding gets a fix: the answers of connections that
// came in on the WAN are marked back to it, and a rule for that mark goes
// before the export's first rule, which would take the marked answers too
// (rules go in order). The proven finding had no fix (realcheck22 D4). The
// control: a rule for another host, no finding, no rule in the fix.
func TestRoutingRuleSendsTheAnswersOutFix(t *testing.T) {
	text := `# 2026-12-01 18:40:02 by RouterOS 7.16.2
` + strings.Replace(homeBridge, "interface=ether2", "interface=ether3", 1) + `add interface=ether1 list=WAN
add interface=ether2 list=WAN
/routing table
add disabled=no fib name=to-isp2
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=192.0.2.2/29 interface=ether2 network=192.0.2.0
add address=198.51.100.2/24 interface=ether1 network=198.51.100.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=443 in-interface=ether1 protocol=tcp to-addresses=192.168.88.60
/ip route
add dst-address=0.0.0.0/0 gateway=198.51.100.1
add distance=2 dst-address=0.0.0.0/0 gateway=192.0.2.1
add dst-address=0.0.0.0/0 gateway=192.0.2.1 routing-table=to-isp2
/routing rule
add action=lookup src-address=%HOST%/32 table=to-isp2
`
	for _, tt := range []struct {
		host string
		want bool
	}{{"192.168.88.60", true}, {"192.168.88.70", false}} {
		p := importText(t, strings.Replace(text, "%HOST%", tt.host, 1))
		found, _ := p.Diagnose()
		fx := p.Propose(found)
		all := strings.Join(fx.Lines, "\n")
		rule := `/routing rule add routing-mark=via-ether1 action=lookup-only-in-table table=via-ether1 comment="answers through ether1" place-before=[ find where`
		if got := strings.Contains(all, rule); got != tt.want {
			t.Errorf("%s: the mark's rule in the fix %v, want %v:\n%s\nfindings %+v", tt.host, got, tt.want, all, found)
		}
		if tt.want && !strings.Contains(all, "new-routing-mark=via-ether1") {
			t.Errorf("%s: no routing mark for the answers:\n%s", tt.host, all)
		}
	}
}
