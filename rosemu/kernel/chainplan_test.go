package kernel

import (
	"strings"
	"testing"
)

// TestNATCrossJumpUserChainTranslation: a jump from dstnat to srcnat
// brings srcnat's jump to a user chain with a masquerade to prerouting.
// The masquerade is left out of the user chain's copy for dstnat's packets
// and reported; before, the renderer refused it and the whole
// configuration failed (review44 finding 1). Control: reached from srcnat
// the masquerade acts, and a masquerade a user chain of dstnat reaches
// directly is still refused (TestNATUserChainHooks).
func TestNATCrossJumpUserChainTranslation(t *testing.T) {
	rules := []Rule{
		rule("*1", "chain=dstnat", "protocol=udp", "action=jump", "jump-target=srcnat"),
		rule("*2", "chain=srcnat", "action=jump", "jump-target=u"),
		rule("*3", "chain=u", "out-interface=ether1", "action=masquerade"),
	}
	text, err := Render(&State{InterfaceLists: map[string][]string{}, NAT: rules})
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	nftLoad(t, text)
	p := planChains("nat", builtins["nat"], rules)
	var at []string
	for _, pl := range p.placements(2, "u") {
		at = append(at, pl.at)
	}
	if strings.Join(at, ",") != "srcnat" {
		t.Errorf("masquerade rendered for %v, want srcnat only", at)
	}
	notes := JumpNotes("nat", rules, false)
	if want := "action: never acts when chain u is reached by a jump from chain=dstnat (action=masquerade is valid only in chain=srcnat): the rule acts only when reached from chain=srcnat"; notes["*3"] != want {
		t.Errorf("note *3 %q, want %q", notes["*3"], want)
	}
}

// TestLoopBrokenPerBuiltin: the jump left out to break a loop is chosen
// per built-in chain. input -> b -> a -> b loops for input's packets at
// *3, forward -> a -> b -> a at *5 (on paper: the tcp and udp matchers
// are disjoint); before, *3 was left out for forward's packets too and a
// forwarded TCP/22 never met *6's drop, unreported (review44 finding 2).
// Control: a loop every reaching chain's packets close at the same jump
// is left out everywhere and reported as before.
func TestLoopBrokenPerBuiltin(t *testing.T) {
	rules := []Rule{
		rule("*1", "chain=input", "action=jump", "jump-target=b"),
		rule("*2", "chain=forward", "action=jump", "jump-target=a"),
		rule("*3", "chain=a", "protocol=tcp", "action=jump", "jump-target=b"),
		rule("*4", "chain=a", "protocol=udp", "action=drop"),
		rule("*5", "chain=b", "protocol=udp", "action=jump", "jump-target=a"),
		rule("*6", "chain=b", "protocol=tcp", "dst-port=22", "action=drop"),
	}
	text, err := Render(&State{InterfaceLists: map[string][]string{}, Filter: rules})
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	nftLoad(t, text)
	for _, want := range []string{
		"chain filter_user_a_at_forward {", "chain filter_user_b_at_forward {",
		"chain filter_user_a_at_input {", "chain filter_user_b_at_input {",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	p := planChains("filter", builtins["filter"], rules)
	ats := func(i int, chain string) string {
		var at []string
		for _, pl := range p.placements(i, chain) {
			at = append(at, pl.at)
		}
		return strings.Join(at, ",")
	}
	// forward -> a -> (*3) b -> *6: the forwarded TCP/22 is dropped.
	if got := ats(2, "a"); got != "forward" {
		t.Errorf("*3 rendered for %q, want forward", got)
	}
	if got := ats(4, "b"); got != "input" {
		t.Errorf("*5 rendered for %q, want input", got)
	}
	if got := ats(5, "b"); got != "input,forward" {
		t.Errorf("*6 rendered for %q, want input,forward", got)
	}
	notes := JumpNotes("filter", rules, false)
	if want := "jump-target: the jump closes the loop b -> a -> b for the packets of chain=input, which the kernel refuses: for them the rule never jumps [verify]; it jumps for those of chain=forward"; notes["*3"] != want {
		t.Errorf("note *3 %q, want %q", notes["*3"], want)
	}
	if want := "jump-target: the jump closes the loop a -> b -> a for the packets of chain=forward"; !strings.HasPrefix(notes["*5"], want) {
		t.Errorf("note *5 %q, want %q...", notes["*5"], want)
	}

	// Control: one loop, closed at the same jump for all.
	ctl := []Rule{
		rule("*1", "chain=input", "action=jump", "jump-target=a"),
		rule("*2", "chain=forward", "action=jump", "jump-target=a"),
		rule("*3", "chain=a", "action=jump", "jump-target=b"),
		rule("*4", "chain=b", "action=jump", "jump-target=a"),
		rule("*5", "chain=b", "protocol=udp", "action=drop"),
	}
	text, err = Render(&State{InterfaceLists: map[string][]string{}, Filter: ctl})
	if err != nil {
		t.Fatalf("Render control: %v", err)
	}
	nftLoad(t, text)
	p = planChains("filter", builtins["filter"], ctl)
	if p.split || len(p.placements(3, "b")) != 0 || len(p.placements(2, "a")) != 1 {
		t.Errorf("control: split %v, *4 %v, *3 %v", p.split, p.placements(3, "b"), p.placements(2, "a"))
	}
	if want := "jump-target: the jump closes the loop a -> b -> a, which the kernel refuses: the rule is stored and never jumps [verify]"; JumpNotes("filter", ctl, false)["*4"] != want {
		t.Errorf("control note %q", JumpNotes("filter", ctl, false)["*4"])
	}
}
