package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestHookNeverMatchesReported is review43 finding 7: rules the renderer
// leaves out by kernel.HookNeverMatches (src-mac-address or
// ipsec-policy=in on output/postrouting, new-mss=clamp-to-pmtu on
// prerouting/input) were stored and never acted while validate called
// them accepted and NotEnforced said nothing. Controls: the same matchers
// on hooks where packets have them are accepted.
func TestHookNeverMatchesReported(t *testing.T) {
	src := `/ip firewall nat add chain=srcnat src-mac-address=00:11:22:33:44:55 action=masquerade
/ip firewall nat add chain=dstnat src-mac-address=00:11:22:33:44:55 action=accept
/ip firewall mangle add chain=prerouting protocol=tcp tcp-flags=syn action=change-mss new-mss=clamp-to-pmtu
/ip firewall mangle add chain=forward protocol=tcp tcp-flags=syn action=change-mss new-mss=clamp-to-pmtu
/ip firewall filter add chain=output ipsec-policy=in,ipsec action=accept
/ip firewall filter add chain=input ipsec-policy=in,ipsec action=accept
/ipv6 firewall filter add chain=output src-mac-address=00:11:22:33:44:55 action=drop
/ipv6 firewall filter add chain=input src-mac-address=00:11:22:33:44:55 action=drop
`
	const why = "never matches on this chain's hook"
	v := New(Options{Ports: []string{"ether1", "ether2"}}).Validate(context.Background(), src, time.Second)
	want := map[int]string{1: "src-mac-address: ", 3: "new-mss: ", 5: "ipsec-policy: ", 7: "src-mac-address: "}
	seen := map[int]bool{}
	for _, f := range v.Findings {
		seen[f.Line] = true
		if p, ok := want[f.Line]; ok {
			if f.Verdict != NotEnforced || !strings.HasPrefix(f.Msg, p) || !strings.Contains(f.Msg, why) {
				t.Errorf("line %d %q: %v %s, want not enforced %q ... %q", f.Line, f.Text, f.Verdict, f.Msg, p, why)
			}
		} else if f.Verdict != Accepted {
			t.Errorf("control line %d %q: %v %s, want accepted", f.Line, f.Text, f.Verdict, f.Msg)
		}
	}
	if len(seen) != 8 {
		t.Fatalf("findings %+v", v.Findings)
	}
	r := New(Options{Ports: []string{"ether1", "ether2"}})
	run(t, r, src)
	got := map[string]int{}
	for _, n := range r.NotEnforced() {
		if strings.Contains(n.Reason, why) {
			got[n.Path] += n.Count
		}
	}
	for path, n := range map[string]int{"/ip firewall nat": 1, "/ip firewall mangle": 1, "/ip firewall filter": 1, "/ipv6 firewall filter": 1} {
		if got[path] != n {
			t.Errorf("NotEnforced %s: %d rules, want %d (%+v)", path, got[path], n, r.NotEnforced())
		}
	}
}

// TestJumpNotesReported: a rule of a user chain that never matches on the
// hook of a chain jumping to it (ipsec-policy=in reached from output) and
// a jump that closes a loop, and a masquerade a jump from dstnat brings
// to the prerouting hook, are reported not enforced (kernel.JumpNotes);
// the kernel refused both with the whole table. Controls: the jumps, and
// the rules that act, are accepted.
func TestJumpNotesReported(t *testing.T) {
	src := `/ip firewall filter add chain=output action=jump jump-target=vpn
/ip firewall filter add chain=forward action=jump jump-target=vpn
/ip firewall filter add chain=vpn ipsec-policy=in,ipsec action=accept
/ip firewall filter add chain=input action=jump jump-target=a
/ip firewall filter add chain=a action=jump jump-target=b
/ip firewall filter add chain=b action=jump jump-target=a
/ip firewall filter add chain=b protocol=udp action=drop
/ip firewall nat add chain=dstnat protocol=udp action=jump jump-target=srcnat
/ip firewall nat add chain=srcnat out-interface=ether1 action=masquerade
`
	v := New(Options{Ports: []string{"ether1", "ether2"}}).Validate(context.Background(), src, time.Second)
	want := map[int]string{
		3: "ipsec-policy: never matches when chain vpn is reached from chain=output",
		6: "jump-target: the jump closes the loop a -> b -> a",
		9: "action: never acts when chain srcnat is reached by a jump from chain=dstnat (action=masquerade is valid only in chain=srcnat): the rule acts in chain=srcnat itself",
	}
	for _, f := range v.Findings {
		if p, ok := want[f.Line]; ok {
			if f.Verdict != NotEnforced || !strings.HasPrefix(f.Msg, p) {
				t.Errorf("line %d %q: %v %s, want not enforced %q", f.Line, f.Text, f.Verdict, f.Msg, p)
			}
			delete(want, f.Line)
		} else if f.Verdict != Accepted {
			t.Errorf("control line %d %q: %v %s, want accepted", f.Line, f.Text, f.Verdict, f.Msg)
		}
	}
	if len(want) > 0 {
		t.Errorf("no finding for lines %v: %+v", want, v.Findings)
	}
	r := New(Options{Ports: []string{"ether1", "ether2"}})
	run(t, r, src)
	n := 0
	for _, e := range r.NotEnforced() {
		if strings.Contains(e.Reason, "is reached from") || strings.Contains(e.Reason, "closes the loop") || strings.Contains(e.Reason, "reached by a jump") {
			n += e.Count
		}
	}
	if n != 3 {
		t.Errorf("NotEnforced: %d rules, want 3 (%+v)", n, r.NotEnforced())
	}
}

// TestNATCrossJumpUserChainReported: dstnat -> srcnat -> a user chain
// with a masquerade (review44 finding 1). validate refused the whole text
// at the masquerade with the renderer's words ("3:1 refused failure:
// apply state: render nat rule ..."); now the configuration applies and
// the masquerade is reported not enforced for dstnat's packets. Control:
// the same masquerade in a chain dstnat reaches directly is still refused
// at action (natchecks_test.go).
func TestNATCrossJumpUserChainReported(t *testing.T) {
	src := `/ip firewall nat add chain=dstnat protocol=udp action=jump jump-target=srcnat
/ip firewall nat add chain=srcnat action=jump jump-target=u
/ip firewall nat add chain=u out-interface=ether1 action=masquerade
`
	v := New(Options{Ports: []string{"ether1", "ether2"}}).Validate(context.Background(), src, time.Second)
	want := "action: never acts when chain u is reached by a jump from chain=dstnat (action=masquerade is valid only in chain=srcnat): the rule acts only when reached from chain=srcnat"
	seen := false
	for _, f := range v.Findings {
		switch {
		case f.Line == 3 && f.Verdict == NotEnforced && strings.HasPrefix(f.Msg, want):
			seen = true
		case f.Line != 3 && f.Verdict == Accepted:
		default:
			t.Errorf("line %d %q: %v %s", f.Line, f.Text, f.Verdict, f.Msg)
		}
	}
	if !seen {
		t.Errorf("no not-enforced finding %q for line 3: %+v", want, v.Findings)
	}
	r := New(Options{Ports: []string{"ether1", "ether2"}})
	run(t, r, src)
	n := 0
	for _, e := range r.NotEnforced() {
		if strings.Contains(e.Reason, "chain u is reached by a jump from chain=dstnat") {
			n += e.Count
		}
	}
	if n != 1 {
		t.Errorf("NotEnforced: %d rules, want 1 (%+v)", n, r.NotEnforced())
	}
}
