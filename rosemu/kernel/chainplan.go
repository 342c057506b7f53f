package kernel

import (
	"fmt"
	"strings"
)

// chainPlan is how the chains of one firewall table are rendered given
// its jumps. nft checks at load what RouterOS leaves to the packet: a jump
// loop is refused, and so is a matcher or target the kernel allows only on
// some hooks (HookNeverMatches) in a chain a jump brings from another hook;
// either refused the whole table, so a router with a configuration
// RouterOS accepts applied nothing.
type chainPlan struct {
	table string
	hooks map[string]string // built-in chain -> hook
	rules []Rule
	// loop holds the jumps (rule index) left out, each with the loop it
	// closes ("a -> b -> a"): nft refuses a loop at load. RouterOS
	// accepts the configuration; which jump it breaks, or whether the
	// packet is dropped when it comes round, is [verify]. The first jump
	// that closes a loop, walking the chains from the built-in ones in
	// rule order, is left out (it never jumps), so every other rule of
	// the loop still acts.
	loop map[int]string
	// reach lists, per chain a jump goes to (a user chain, or a built-in
	// chain as jump-target), the built-in chains whose packets reach it,
	// in builtins order.
	reach map[string][]string
	// split is set when a chain reached by jumps holds a rule that never
	// matches on a hook reaching it: the table's jumped-to chains are
	// then rendered once per reaching built-in chain, with that rule
	// kept where it can match and left out where it never does.
	split bool
}

// planChains plans the chains of one table (bs its built-in chains).
func planChains(table string, bs []baseChain, rules []Rule) *chainPlan {
	p := &chainPlan{table: table, hooks: map[string]string{}, rules: rules, loop: map[int]string{}, reach: map[string][]string{}}
	var names []string
	seen := map[string]bool{}
	name := func(c string) {
		if !seen[c] {
			seen[c] = true
			names = append(names, c)
		}
	}
	for _, b := range bs {
		p.hooks[b.name] = b.hook
		name(b.name)
	}
	type edge struct {
		to  string
		idx int
	}
	edges := map[string][]edge{}
	for i, r := range rules {
		if !ruleActive(r) {
			continue
		}
		c := r.Props["chain"]
		name(c)
		t := r.Props["jump-target"]
		if r.Props["action"] != "jump" || t == "" {
			continue
		}
		if h := p.hooks[c]; h != "" && HookNeverMatches(h, r.Props) != "" {
			continue // left out on its own chain's hook
		}
		edges[c] = append(edges[c], edge{t, i})
		name(t)
	}
	const onStack, done = 1, 2
	state := map[string]int{}
	var stack []string
	var visit func(c string)
	visit = func(c string) {
		state[c] = onStack
		stack = append(stack, c)
		for _, e := range edges[c] {
			switch state[e.to] {
			case onStack:
				k := len(stack) - 1
				for stack[k] != e.to {
					k--
				}
				p.loop[e.idx] = strings.Join(append(append([]string{}, stack[k:]...), e.to), " -> ")
			case 0:
				visit(e.to)
			}
		}
		stack = stack[:len(stack)-1]
		state[c] = done
	}
	for _, n := range names {
		if state[n] == 0 {
			visit(n)
		}
	}
	for _, b := range bs {
		reached := map[string]bool{}
		todo := []string{b.name}
		for len(todo) > 0 {
			c := todo[len(todo)-1]
			todo = todo[:len(todo)-1]
			for _, e := range edges[c] {
				if p.loop[e.idx] != "" || HookNeverMatches(b.hook, rules[e.idx].Props) != "" || reached[e.to] {
					continue
				}
				reached[e.to] = true
				p.reach[e.to] = append(p.reach[e.to], b.name)
				todo = append(todo, e.to)
			}
		}
	}
	for _, r := range rules {
		if !ruleActive(r) {
			continue
		}
		for _, from := range p.reach[r.Props["chain"]] {
			if p.never(r.Props, from) != "" {
				p.split = true
			}
		}
	}
	// A NAT translation takes its direction from the hook it runs on
	// (netmap, same): a built-in nat chain jumped to from another one
	// is rendered for the hook of each.
	for _, b := range bs {
		if table == "nat" && len(p.reach[b.name]) > 0 {
			p.split = true
		}
	}
	return p
}

// never names what of a rule with props never matches or acts when its
// chain is reached from built-in chain from, "" when nothing: a matcher or
// target no packet of from's hook has (HookNeverMatches), and, for a rule
// of a built-in nat chain that a jump from another built-in chain brings
// there, a translation the kernel allows only on other hooks (NAT manual:
// masquerade and src-nat in srcnat, dst-nat and redirect in dstnat). A
// user chain's translation reached from the wrong chain is refused by the
// configuration layer (checkNATRule) and by the renderer (needHook).
func (p *chainPlan) never(props map[string]string, from string) string {
	if w := HookNeverMatches(p.hooks[from], props); w != "" {
		return w
	}
	if p.table == "nat" && p.hooks[props["chain"]] != "" {
		if allowed := NATActionChains(props["action"]); allowed != nil && !contains(allowed, from) {
			return "action"
		}
	}
	return ""
}

// ruleActive: the rule is enabled and can match at all.
func ruleActive(r Rule) bool {
	return r.Props["disabled"] != "yes" && NeverMatches(r.Props) == ""
}

// placement is one rendering of a rule: into the chain keyed key, for the
// packets of built-in chain at ("" when the chain is rendered once).
type placement struct {
	key, at string
}

// placements says where rule i of chain chain is rendered: a built-in
// chain's rule into its base chain and, once the table is split, into the
// copy of the chain for every built-in chain that jumps to it; a user
// chain's rule once, or once the table is split, once per built-in chain
// that reaches the chain, except where it never matches.
func (p *chainPlan) placements(i int, chain string) []placement {
	if p.loop[i] != "" {
		return nil
	}
	props := p.rules[i].Props
	key := p.table + "/" + chain
	var out []placement
	if h := p.hooks[chain]; h != "" {
		if HookNeverMatches(h, props) != "" {
			return nil
		}
		at := ""
		if p.split {
			at = chain
		}
		out = append(out, placement{key, at})
		if !p.split {
			return out
		}
		key += "#copy"
	} else if !p.split || len(p.reach[chain]) == 0 {
		return []placement{{key, ""}}
	}
	for _, from := range p.reach[chain] {
		if p.never(props, from) == "" {
			out = append(out, placement{key + "@" + from, from})
		}
	}
	return out
}

// atSuffix is the suffix of a chain's nft name in its rendering for the
// packets of built-in chain at. ident writes every other byte than a
// letter or digit as "_" and two hex digits, and "_a" followed by "t" is
// no such escape, so the name is no other chain's.
func atSuffix(at string) string {
	if at == "" {
		return ""
	}
	return "_at_" + at
}

// JumpNotes says, per rule id of rules (one firewall table's rules, table
// filter, nat, mangle or raw; v6 for /ipv6 firewall), what the renderer
// leaves out of a rule in a user chain or of a jump: a matcher or target
// that never matches when the chain is reached from a built-in chain
// whose hook has no such packets (HookNeverMatches), and a jump that
// closes a loop. The configuration layer reports them as not enforced.
// A built-in chain's own rules are HookNeverMatches's, reported apart.
func JumpNotes(table string, rules []Rule, v6 bool) map[string]string {
	bs := builtins[table]
	if v6 {
		bs = builtins6[table]
	}
	p := planChains(table, bs, rules)
	out := map[string]string{}
	for i, r := range rules {
		if loop := p.loop[i]; loop != "" {
			out[r.ID] = "jump-target: the jump closes the loop " + loop + ", which the kernel refuses: the rule is stored and never jumps [verify]"
			continue
		}
		chain := r.Props["chain"]
		own := p.hooks[chain]
		if !ruleActive(r) || (own != "" && HookNeverMatches(own, r.Props) != "") {
			continue // HookNeverMatches's, reported apart
		}
		var never, acts []string
		what := ""
		for _, from := range p.reach[chain] {
			if w := p.never(r.Props, from); w != "" {
				never = append(never, "chain="+from)
				what = w
			} else {
				acts = append(acts, "chain="+from)
			}
		}
		if what == "" {
			continue
		}
		msg := fmt.Sprintf("%s: never matches when chain %s is reached from %s (no packet there has it, and the kernel refuses it there)", what, chain, strings.Join(never, " or "))
		if what == "action" {
			msg = fmt.Sprintf("action: never acts when chain %s is reached by a jump from %s (action=%s is valid only in chain=%s)", chain, strings.Join(never, " or "), r.Props["action"], strings.Join(NATActionChains(r.Props["action"]), " or chain="))
		}
		switch {
		case own != "" && len(acts) > 0:
			msg += ": the rule acts in chain=" + chain + " itself and when reached from " + strings.Join(acts, " or ")
		case own != "":
			msg += ": the rule acts in chain=" + chain + " itself"
		case len(acts) > 0:
			msg += ": the rule acts only when reached from " + strings.Join(acts, " or ")
		default:
			msg += ": the rule is stored and never matches"
		}
		out[r.ID] = msg
	}
	return out
}
