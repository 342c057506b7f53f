package kernel

import (
	"strings"
	"testing"
)

// TestNATUserChainHooks: a translation in a user chain takes the hook of
// the chains that jump to it. A masquerade reached from dstnat, or a
// dst-nat reached from srcnat, is refused rule by rule with the reaching
// chain named; before, it was left to nft, which refused the whole table
// at load on the lab router (forum29 D5). Controls: the same rules reached
// from the right chain render, and a chain reached from both srcnat and
// dstnat that holds no translation renders.
func TestNATUserChainHooks(t *testing.T) {
	bad := []struct {
		rules []Rule
		want  string
	}{
		{[]Rule{rule("*1", "chain=dstnat", "action=jump", "jump-target=pf"),
			rule("*2", "chain=pf", "action=masquerade", "src-address=192.168.88.0/24")},
			"action=masquerade in chain pf, reached from chain=dstnat: only valid in chain=srcnat"},
		{[]Rule{rule("*1", "chain=srcnat", "action=jump", "jump-target=hp"),
			rule("*2", "chain=hp", "action=dst-nat", "protocol=tcp", "dst-port=81", "to-addresses=192.168.88.10")},
			"action=dst-nat in chain hp, reached from chain=srcnat"},
		// Through a second user chain, and from both directions.
		{[]Rule{rule("*1", "chain=srcnat", "action=jump", "jump-target=a"),
			rule("*2", "chain=dstnat", "action=jump", "jump-target=a"),
			rule("*3", "chain=a", "action=jump", "jump-target=b"),
			rule("*4", "chain=b", "action=masquerade")},
			"action=masquerade in chain b, reached from chain=dstnat"},
		{[]Rule{rule("*1", "chain=srcnat", "action=jump", "jump-target=a"),
			rule("*2", "chain=dstnat", "action=jump", "jump-target=a"),
			rule("*3", "chain=a", "action=netmap", "to-addresses=10.0.0.0/24")},
			"reached from both chain=srcnat and chain=dstnat"},
	}
	for _, c := range bad {
		_, err := Render(&State{InterfaceLists: map[string][]string{}, NAT: c.rules})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Render(%v): err %v, want %q", c.rules, err, c.want)
		}
	}
	good := [][]Rule{
		{rule("*1", "chain=srcnat", "action=jump", "jump-target=pf"),
			rule("*2", "chain=pf", "action=masquerade", "src-address=192.168.88.0/24")},
		{rule("*1", "chain=dstnat", "action=jump", "jump-target=pf"),
			rule("*2", "chain=pf", "action=dst-nat", "protocol=tcp", "dst-port=81", "to-addresses=192.168.88.10")},
		{rule("*1", "chain=srcnat", "action=jump", "jump-target=both"),
			rule("*2", "chain=dstnat", "action=jump", "jump-target=both"),
			rule("*3", "chain=both", "action=accept", "src-address=10.0.0.0/8")},
		// A disabled jump reaches nothing.
		{rule("*1", "chain=dstnat", "action=jump", "jump-target=pf", "disabled=yes"),
			rule("*2", "chain=srcnat", "action=jump", "jump-target=pf"),
			rule("*3", "chain=pf", "action=masquerade")},
	}
	for _, rules := range good {
		if _, err := Render(&State{InterfaceLists: map[string][]string{}, NAT: rules}); err != nil {
			t.Errorf("Render(%v): %v", rules, err)
		}
	}
}

// TestNetmapUserChainAndRange: netmap in a user chain maps in the
// direction of the chain that jumps to it (forum29 D2), and to-addresses
// may be a range that is a prefix (forum29 D1: the NAT manual types it as
// an address range); a range that is no prefix is given to the kernel's
// netmap as it is (it was refused, though RouterOS accepts it); a range
// whose ends are reversed is refused.
func TestNetmapUserChainAndRange(t *testing.T) {
	st := &State{InterfaceLists: map[string][]string{}, NAT: []Rule{
		rule("*1", "chain=dstnat", "action=jump", "jump-target=one-to-one"),
		rule("*2", "chain=one-to-one", "action=netmap", "dst-address=203.0.113.250-203.0.113.251", "to-addresses=192.168.88.10-192.168.88.11"),
		rule("*3", "chain=srcnat", "action=netmap", "src-address=192.168.88.10-192.168.88.11", "to-addresses=203.0.113.250-203.0.113.251"),
		rule("*4", "chain=never-reached", "action=netmap", "to-addresses=10.0.0.0/8"),
	}}
	text, err := Render(st)
	if err != nil {
		t.Fatal(err)
	}
	rendered(t, text, "dnat ip prefix to 192.168.88.10/31", "snat ip prefix to 203.0.113.250/31")
	for _, v := range []string{"192.168.88.11-192.168.88.12", "192.168.88.10-192.168.88.12"} {
		st := &State{InterfaceLists: map[string][]string{}, NAT: []Rule{rule("*1", "chain=dstnat", "action=netmap", "to-addresses="+v)}}
		text, err := Render(st)
		if err != nil {
			t.Errorf("netmap to-addresses=%s: %v", v, err)
			continue
		}
		rendered(t, text, "dnat ip prefix to "+v)
	}
	for _, v := range []string{"192.168.88.12-192.168.88.10"} {
		bad := &State{InterfaceLists: map[string][]string{}, NAT: []Rule{rule("*1", "chain=dstnat", "action=netmap", "to-addresses="+v)}}
		if _, err := Render(bad); err == nil || !strings.Contains(err.Error(), "to-addresses="+v) {
			t.Errorf("netmap to-addresses=%s: err %v, want a refusal naming it", v, err)
		}
	}
}

// TestApplyNATUserChains: on a router namespace, a netmap of a /31 written
// as ranges in a user chain jumped from dstnat carries a WAN peer's
// connection to the LAN server (forum29 D1, D2); a masquerade put in that
// chain is refused by Apply in rosemu's words, not by nft at the table
// load, and the previous ruleset keeps forwarding (D5).
func TestApplyNATUserChains(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	srv, peer := nsHandle(t, l.s), nsHandle(t, l.w)
	serve(t, srv, "0.0.0.0:12566")
	// The ISP routes the public /31 to the router.
	ipcmd(t, "-n", l.w, "route", "add", "203.0.113.250/31", "via", "203.0.113.2")

	// Control: without the jump the chain is never reached.
	chain := rule("*3", "chain=one-to-one", "action=netmap", "dst-address=203.0.113.250-203.0.113.251", "to-addresses=192.168.88.10-192.168.88.11")
	if err := dp.Apply(withNAT(baseState(), chain)); err != nil {
		t.Fatalf("Apply unreached netmap: %v", err)
	}
	if saw, err := dial(peer, "198.51.100.50", "203.0.113.250:12566"); err == nil {
		t.Errorf("unreached netmap connected (server saw %s); want a failure", saw)
	}
	good := withNAT(baseState(), rule("*2", "chain=dstnat", "action=jump", "jump-target=one-to-one"), chain)
	if err := dp.Apply(good); err != nil {
		t.Fatalf("Apply netmap in a user chain: %v", err)
	}
	if saw, err := dial(peer, "198.51.100.50", "203.0.113.250:12566"); err != nil || saw != "198.51.100.50" {
		t.Errorf("netmap .250 -> .10 through the user chain: saw %q, err %v; want 198.51.100.50", saw, err)
	}
	bad := withNAT(baseState(), rule("*2", "chain=dstnat", "action=jump", "jump-target=one-to-one"), chain,
		rule("*4", "chain=one-to-one", "action=masquerade", "src-address=192.168.88.0/24", "dst-address=192.168.88.0/24"))
	err := dp.Apply(bad)
	if err == nil || !strings.Contains(err.Error(), "reached from chain=dstnat") || strings.Contains(err.Error(), "Operation not supported") {
		t.Errorf("Apply masquerade reached from dstnat: err %v; want rosemu's refusal naming dstnat, no nft error", err)
	}
	if saw, err := dial(peer, "198.51.100.50", "203.0.113.250:12566"); err != nil || saw != "198.51.100.50" {
		t.Errorf("after the refused state: saw %q, err %v; want the netmap still forwarding", saw, err)
	}
}
