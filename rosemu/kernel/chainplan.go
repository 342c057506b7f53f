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
	// loopAt holds, per built-in chain, the jumps (rule index) left out
	// in the rendering for that chain's packets, each with the loop it
	// closes ("a -> b -> a"): nft refuses a loop at load. RouterOS
	// accepts the configuration; which jump it breaks, or whether the
	// packet is dropped when it comes round, is [verify]. For each
	// built-in chain, the first jump that closes a loop, walking its
	// jumps depth first in rule order, is left out (it never jumps for
	// that chain's packets), so every other rule of the loop acts for
	// them. The choice is per built-in chain: a jump that closes a loop
	// for one chain's packets may be one no packet of another ever loops
	// through (disjoint matchers), and leaving it out for all would drop
	// rules that chain's packets reach only through it (review44
	// finding 2).
	loopAt map[string]map[int]string
	// loop holds the jumps that close a loop among chains no built-in
	// chain reaches, left out of their single rendering.
	loop map[int]string
	// natReach is NATReach of a nat table's rules: the built-in chains
	// that reach a user chain through jumps to user chains only.
	natReach map[string][]string
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
	p := &chainPlan{table: table, hooks: map[string]string{}, rules: rules, loop: map[int]string{}, loopAt: map[string]map[int]string{}, reach: map[string][]string{}}
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
	if table == "nat" {
		p.natReach = NATReach(rules)
	}
	const onStack, done = 1, 2
	// dfs walks the jumps from chain c depth first in rule order, taking
	// only those follow allows; a jump to a chain on the walk's stack
	// closes a loop and goes into loops, and every chain first met is
	// passed to met. Walks sharing state do not enter each other's chains
	// again.
	dfs := func(c string, state map[string]int, follow func(e edge) bool, loops map[int]string, met func(string)) {
		var stack []string
		var visit func(c string)
		visit = func(c string) {
			state[c] = onStack
			stack = append(stack, c)
			for _, e := range edges[c] {
				if !follow(e) {
					continue
				}
				switch state[e.to] {
				case onStack:
					k := len(stack) - 1
					for stack[k] != e.to {
						k--
					}
					loops[e.idx] = strings.Join(append(append([]string{}, stack[k:]...), e.to), " -> ")
				case 0:
					met(e.to)
					visit(e.to)
				}
			}
			stack = stack[:len(stack)-1]
			state[c] = done
		}
		visit(c)
	}
	// Per built-in chain: the jumps its packets take (those that can
	// match on its hook), the loops they close, and the chains they reach.
	for _, b := range bs {
		loops := map[int]string{}
		p.loopAt[b.name] = loops
		dfs(b.name, map[string]int{}, func(e edge) bool { return HookNeverMatches(b.hook, rules[e.idx].Props) == "" }, loops,
			func(c string) { p.reach[c] = append(p.reach[c], b.name) })
	}
	// Chains no built-in chain reaches are rendered once; nft refuses a
	// loop among them too.
	unreached := func(c string) bool { return p.hooks[c] == "" && len(p.reach[c]) == 0 }
	state := map[string]int{}
	for _, n := range names {
		if unreached(n) && state[n] == 0 {
			dfs(n, state, func(e edge) bool { return unreached(e.to) }, p.loop, func(string) {})
		}
	}
	// The jumps a chain's packets leave out differ between built-in
	// chains reaching the same chain: render it once per built-in chain.
	for c, es := range edges {
		rs := p.reachers(c)
		for _, e := range es {
			n := 0
			for _, b := range rs {
				if p.loopAt[b][e.idx] != "" {
					n++
				}
			}
			if n > 0 && n < len(rs) {
				p.split = true
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
// masquerade and src-nat in srcnat, dst-nat and redirect in dstnat). The
// same holds for a user chain's translation that from's packets reach
// only through such a jump (dstnat -> srcnat -> u): the configuration
// layer's check (checkNATRule, NATReach) does not follow jumps to built-in
// chains, so the renderer refused it and the whole configuration failed
// (review44 finding 1). A user chain's translation that from reaches
// through user chains only is refused by the configuration layer and by
// the renderer (needHook).
func (p *chainPlan) never(props map[string]string, from string) string {
	if w := HookNeverMatches(p.hooks[from], props); w != "" {
		return w
	}
	if p.table != "nat" {
		return ""
	}
	chain := props["chain"]
	if allowed := NATActionChains(props["action"]); allowed != nil && !contains(allowed, from) &&
		(p.hooks[chain] != "" || !contains(p.natReach[chain], from)) {
		return "action"
	}
	return ""
}

// reachers are the built-in chains whose packets run chain's rules: the
// chain itself when built-in, and those that reach it by jumps.
func (p *chainPlan) reachers(chain string) []string {
	if p.hooks[chain] != "" {
		return append([]string{chain}, p.reach[chain]...)
	}
	return p.reach[chain]
}

// loopOf is the loop jump i of chain chain closes in its rendering for the
// packets of built-in chain at, "" when none. A chain rendered once (at
// "") is one no built-in chain reaches, or one whose reaching built-in
// chains leave out the same jumps (chainPlan.split).
func (p *chainPlan) loopOf(i int, chain, at string) string {
	if at != "" {
		return p.loopAt[at][i]
	}
	if l := p.loop[i]; l != "" {
		return l
	}
	for _, b := range p.reachers(chain) {
		if l := p.loopAt[b][i]; l != "" {
			return l
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
		if p.loopOf(i, chain, at) == "" {
			out = append(out, placement{key, at})
		}
		if !p.split {
			return out
		}
		key += "#copy"
	} else if !p.split || len(p.reach[chain]) == 0 {
		if p.loopOf(i, chain, "") != "" {
			return nil
		}
		return []placement{{key, ""}}
	}
	for _, from := range p.reach[chain] {
		if p.never(props, from) == "" && p.loopAt[from][i] == "" {
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
		chain := r.Props["chain"]
		if loop := p.loop[i]; loop != "" {
			out[r.ID] = "jump-target: the jump closes the loop " + loop + ", which the kernel refuses: the rule is stored and never jumps [verify]"
			continue
		}
		// A loop is broken per built-in chain (loopAt): the jump never
		// jumps for the packets of those it closes a loop for.
		var loops, jumps []string
		loop := ""
		for _, b := range p.reachers(chain) {
			if l := p.loopAt[b][i]; l != "" {
				loops = append(loops, "chain="+b)
				if loop == "" {
					loop = l
				}
			} else if p.never(r.Props, b) == "" {
				jumps = append(jumps, "chain="+b)
			}
		}
		if loop != "" {
			msg := "jump-target: the jump closes the loop " + loop + ", which the kernel refuses: the rule is stored and never jumps [verify]"
			if len(jumps) > 0 {
				msg = "jump-target: the jump closes the loop " + loop + " for the packets of " + strings.Join(loops, " and ") +
					", which the kernel refuses: for them the rule never jumps [verify]; it jumps for those of " + strings.Join(jumps, " and ")
			}
			out[r.ID] = msg
			continue
		}
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
