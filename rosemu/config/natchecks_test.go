package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestNATRuleChecks: the NAT rules the dataplane cannot apply are refused
// at the offending property's column in RouterOS's style, not when the rule
// is rendered ("apply state: render nat rule ..." at column 1, forum29 D3);
// a translation in a user chain is checked against the chains that jump to
// it, from whichever side the jump or the rule comes (D5), where it used to
// be accepted and then refused by nft on the lab router. Netmap in a user
// chain and netmap of ranges are taken (D1, D2); netmap of a prefix with
// to-ports is enforced up to a /20 (forum53 D1: it was stored and
// reported as not enforced), a larger prefix and a range that is no prefix
// with to-ports still are stored and reported. Controls: the same
// actions in the right chains are accepted.
func TestNATRuleChecks(t *testing.T) {
	src := "/ip firewall nat\n" +
		"add action=dst-nat chain=dstnat in-interface=ether1 to-addresses=192.168.88.10 to-ports=80\n" + // 2
		"add action=masquerade chain=dstnat in-interface=ether1\n" + // 3
		"add action=dst-nat chain=srcnat to-addresses=192.168.88.10 protocol=tcp dst-port=80\n" + // 4
		"add action=jump chain=dstnat jump-target=pf\n" + // 5
		"add action=dst-nat chain=pf dst-port=12566 protocol=tcp to-addresses=192.168.88.10\n" + // 6
		"add action=masquerade chain=pf src-address=192.168.88.0/24\n" + // 7
		"add action=masquerade chain=hp src-address=192.168.88.0/24\n" + // 8
		"add action=jump chain=dstnat jump-target=hp\n" + // 9
		"add action=jump chain=srcnat jump-target=hp\n" + // 10
		"add action=jump chain=dstnat jump-target=one-to-one\n" + // 11
		"add action=netmap chain=one-to-one dst-address=203.0.113.250-203.0.113.251 to-addresses=192.168.88.10-192.168.88.11\n" + // 12
		"add action=netmap chain=srcnat src-address=192.168.88.10-192.168.88.11 to-addresses=203.0.113.250-203.0.113.251\n" + // 13
		"add action=jump chain=srcnat jump-target=one-to-one\n" + // 14
		"add action=netmap chain=dstnat dst-address=203.0.113.248/30 dst-port=8080 protocol=tcp to-addresses=192.168.88.8/30 to-ports=80\n" + // 15
		"add action=dst-nat chain=dstnat protocol=tcp in-interface=ether1 to-addresses=192.168.88.10 to-ports=80\n" + // 16
		"add action=netmap chain=dstnat dst-address=10.0.0.0/16 dst-port=8080 protocol=tcp to-addresses=172.16.0.0/16 to-ports=80\n" + // 17
		"add action=netmap chain=dstnat dst-address=203.0.113.0-203.0.113.5 dst-port=8080 protocol=tcp to-addresses=192.168.1.0-192.168.1.5 to-ports=80\n" // 18
	r := New(Options{Ports: ports})
	v := r.Validate(context.Background(), src, time.Second)
	want := []string{
		"2:80 refused failure: to-ports can be used only with protocol tcp, udp, udp-lite, sctp or dccp",
		"3:5 refused failure: action=masquerade can be used only in chain=srcnat",
		"4:5 refused failure: action=dst-nat can be used only in chain=dstnat or chain=output",
		"5:1 accepted",
		"6:1 accepted",
		"7:5 refused failure: action=masquerade can be used only in chain=srcnat, and chain pf is reached from chain=dstnat",
		"8:1 accepted",
		"9:30 refused failure: chain hp would be reached from dstnat: its rule *B: action=masquerade can be used only in chain=srcnat",
		"10:1 accepted",
		"11:1 accepted",
		"12:1 accepted",
		"13:1 accepted",
		"14:30 refused failure: chain one-to-one would be reached from dstnat and srcnat: its rule *E: action=netmap in chain one-to-one, reached from both",
		"15:1 accepted",
		"16:1 accepted",
		"17:1 stored-not-enforced",
		"18:1 stored-not-enforced",
	}
	got := findings(v)
	if len(got) != len(want) {
		t.Fatalf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("finding %d = %q, want it to start %q", i, got[i], want[i])
		}
	}
}
